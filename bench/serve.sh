#!/usr/bin/env bash
# HTTP serving throughput: `tahadhari serve` vs MapServer 8 (OGC API - Features,
# FastCGI behind lighttpd) on the same 3,000,000 GDELT 2.0 events, then tahadhari
# again while another 500,000 rows are ingested into the served store.
#
# Usage (from the repo root):  bench/serve.sh
#
# Environment:
#   BENCH_DIR     scratch folder (default /tmp/tahadhari-bench); must be outside the repo
#   TAHADHARI     tahadhari binary (default ./build/tahadhari)
#   GDELT_STORE   the 3M-event store, reused if it holds 3,000,000 events
#                 (default $BENCH_DIR/gdelt3m.gpkg; built like bench/ingest.sh otherwise)
#   DURATION      seconds per wrk run (default 20)
#   CONNS         wrk connections (default 32); THREADS wrk threads (default 2)
#   MS_CONNS      wrk connections against MapServer (default 4, see README)
#   MS_PROCS      mapserv FastCGI processes (default 2 = cores)
#   INGEST_ROWS   rows ingested during the second phase (default 500000)
#   SKIP_INSTALL  1 = don't apt-get anything
#
# Scratch files: $BENCH_DIR/serve/ (served copy of the store, MapServer GeoPackage,
# mapfile, lighttpd config and logs, wrk request lists and outputs).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE=$REPO/bench/serve
BENCH_DIR=${BENCH_DIR:-/tmp/tahadhari-bench}
TAHADHARI=$(realpath -m "${TAHADHARI:-./build/tahadhari}")
GDELT_ROWS=3000000
GDELT_STORE=${GDELT_STORE:-$BENCH_DIR/gdelt3m.gpkg}
DURATION=${DURATION:-20}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
MS_CONNS=${MS_CONNS:-4}
MS_PROCS=${MS_PROCS:-2}
INGEST_ROWS=${INGEST_ROWS:-500000}
INGEST_SEED=${INGEST_SEED:-500}
INGEST_ID_BASE=${INGEST_ID_BASE:-2000000000}
SEED=${SEED:-42}

case "$(realpath -m "$BENCH_DIR")/" in
  "$REPO"/*) echo "BENCH_DIR must be outside the repository ($REPO)" >&2; exit 2 ;;
esac
[[ -x $TAHADHARI ]] || { echo "tahadhari binary not found at $TAHADHARI (build first)" >&2; exit 2; }
WORK=$BENCH_DIR/serve
mkdir -p "$WORK/www"
SERVE_STORE=$WORK/store.gpkg
MS_GPKG=$WORK/mapserver-events.gpkg
RESULTS=$WORK/results.txt
: >"$RESULTS"

log() { printf '\n=== %s\n' "$*"; }
now() { date +%s.%N; }
secs_since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

# ---------------------------------------------------------------- packages
PKGS=(cgi-mapserver lighttpd wrk gdal-bin python3 sqlite3 curl)
if [[ ${SKIP_INSTALL:-0} != 1 ]]; then
  missing=()
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    SUDO=(); [[ $EUID -ne 0 ]] && SUDO=(sudo)
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get install -y "${missing[@]}" ||
      { "${SUDO[@]}" apt-get update && "${SUDO[@]}" apt-get install -y "${missing[@]}"; }
  fi
fi
for c in mapserv lighttpd wrk ogr2ogr sqlite3 curl python3 ss; do
  command -v "$c" >/dev/null || [[ $c == mapserv && -x /usr/lib/cgi-bin/mapserv ]] ||
    { echo "$c not found" >&2; exit 2; }
done
MAPSERV=/usr/lib/cgi-bin/mapserv
MS_VERSION=$("$MAPSERV" -v | head -1)
MS_VER=$(sed -n 's/^MapServer version \([0-9.]*\).*/\1/p' <<<"$MS_VERSION")
MS_PKG=$(dpkg-query -W -f='${Version}' cgi-mapserver 2>/dev/null || echo '?')
[[ $MS_VER == 8.* ]] || { echo "need MapServer 8, found: $MS_VERSION" >&2; exit 2; }
grep -q 'SUPPORTS=OGCAPI_SERVER' <<<"$MS_VERSION" || { echo "mapserv lacks OGC API support" >&2; exit 2; }
if grep -q 'SUPPORTS=FASTCGI' <<<"$MS_VERSION"; then MS_MODE=fastcgi; else MS_MODE=cgi; fi
MS_MODE=${MS_MODE_OVERRIDE:-$MS_MODE}
if pgrep -x cc1plus >/dev/null || pgrep -x ninja >/dev/null; then
  echo "WARNING: a compiler is running on this machine; figures will be noisy (load: $(cut -d' ' -f1-3 /proc/loadavg))"
fi
echo "MapServer $MS_VER (Debian cgi-mapserver $MS_PKG), mode: $MS_MODE; $(lighttpd -v | head -1); $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"

# ---------------------------------------------------------------- cleanup
PIDS=()          # processes this script started (servers, ingest)
LIGHTTPD_PID=""
WRK_PID=""
cleanup() {
  local rc=$?
  set +e
  [[ -n $WRK_PID ]] && kill "$WRK_PID" 2>/dev/null
  if [[ -n $LIGHTTPD_PID ]]; then
    local kids k; kids=$(pgrep -P "$LIGHTTPD_PID" 2>/dev/null)
    kill "$LIGHTTPD_PID" 2>/dev/null
    for k in $kids; do kill "$k" 2>/dev/null; done
    sleep 0.5
    # mapserv processes lighttpd spawned for this run (their stderr is our error log)
    for k in $(pgrep -x mapserv 2>/dev/null); do
      [[ $(readlink "/proc/$k/fd/2" 2>/dev/null) == "$WORK/lighttpd-error.log" ]] && kill "$k" 2>/dev/null
    done
  fi
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [[ -n ${TAH_PID:-} ]] && wait "$TAH_PID" 2>/dev/null
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_http() { # url seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -sf -o /dev/null --max-time 5 "$1" && return 0
    sleep 0.1
  done
  echo "no answer from $1 within $2 s" >&2; return 1
}
store_count() { sqlite3 -readonly "$1" 'SELECT count(*) FROM events' 2>/dev/null || echo 0; }
rm_store() { rm -f -- "$1" "$1"-* "$1".*; }

ensure_tsv() { # file rows seed id_base
  local file=$1 rows=$2
  if [[ -f $file ]] && [[ $(wc -l <"$file") -eq $rows ]]; then echo "reusing $file"; return; fi
  echo "generating $file ($rows rows, seed $3, ids from $4) ..."
  python3 "$REPO/bench/gen_gdelt2.py" "$rows" "$file.tmp" --seed "$3" --id-base "$4"
  mv "$file.tmp" "$file"
}

# ---------------------------------------------------------------- 1. 3M store
log "1. the 3,000,000-event store"
if [[ -f $GDELT_STORE ]] && [[ $(store_count "$GDELT_STORE") -eq $GDELT_ROWS ]]; then
  echo "reusing $GDELT_STORE ($GDELT_ROWS events)"
else
  ensure_tsv "$BENCH_DIR/gdelt2-$GDELT_ROWS.tsv" "$GDELT_ROWS" "$SEED" 1000000000
  rm_store "$GDELT_STORE"
  t0=$(now)
  "$TAHADHARI" ingest --store "$GDELT_STORE" "$BENCH_DIR/gdelt2-$GDELT_ROWS.tsv"
  echo "ingested in $(secs_since "$t0") s"
  [[ $(store_count "$GDELT_STORE") -eq $GDELT_ROWS ]] || { echo "store count is not $GDELT_ROWS" >&2; exit 1; }
fi
# the served copy: phase 5 ingests into it, the 3M store stays as it is for query.sh
rm_store "$SERVE_STORE"
for f in "$GDELT_STORE" "$GDELT_STORE"-wal "$GDELT_STORE".*; do
  [[ -f $f ]] && cp "$f" "$SERVE_STORE${f#"$GDELT_STORE"}"
done
STORE_ID=$(sqlite3 -readonly "$GDELT_STORE" "SELECT value FROM tahadhari_meta WHERE key='store_id'" 2>/dev/null || echo unknown)
echo "served copy: $SERVE_STORE"

# ---------------------------------------------------------------- 2. MapServer GeoPackage
log "2. GeoPackage of the same events for MapServer (ogr2ogr)"
COLS="source, source_id, date_start, date_end, date_precision, event_type, sub_event_type,
source_event_code, mapping_lossy, actor1, actor1_category, assoc_actor1, actor2, actor2_category,
assoc_actor2, country_iso3, admin1, admin2, place, latitude, longitude, geo_precision, fatalities,
fatalities_low, fatalities_high, reported_by, notes, url, source_line"
COLS=$(tr -s ' \n' ' ' <<<"$COLS")
STAMP="$STORE_ID|$GDELT_ROWS|$COLS"
if [[ -f $MS_GPKG && -f $MS_GPKG.stamp ]] && [[ $(cat "$MS_GPKG.stamp") == "$STAMP" ]] &&
   [[ $(store_count "$MS_GPKG") -eq $GDELT_ROWS ]]; then
  echo "reusing $MS_GPKG"
else
  rm -f "$MS_GPKG" "$MS_GPKG.tmp" "$MS_GPKG.stamp"
  t0=$(now)
  # event_id = fid as an attribute: MapServer's OGC API needs a featureid item
  ogr2ogr -f GPKG -nln events -lco SPATIAL_INDEX=YES -gt 65536 \
    --config OGR_SQLITE_SYNCHRONOUS OFF "$MS_GPKG.tmp" "$GDELT_STORE" \
    -sql "SELECT fid, fid AS event_id, geom, $COLS FROM events"
  mv "$MS_GPKG.tmp" "$MS_GPKG"
  echo "$STAMP" >"$MS_GPKG.stamp"
  echo "made $MS_GPKG in $(secs_since "$t0") s"
fi
ogrinfo -so "$MS_GPKG" events | grep -E 'Feature Count|Extent|FID Column|Geometry Column'

# ---------------------------------------------------------------- 3. servers
log "3. servers"
TAH_PORT=$(free_port)
"$TAHADHARI" serve --store "$SERVE_STORE" --port "$TAH_PORT" >"$WORK/tahadhari-serve.log" 2>&1 &
TAH_PID=$!; PIDS+=("$TAH_PID")
TAH=http://127.0.0.1:$TAH_PORT
wait_http "$TAH/api/info" 60
echo "tahadhari serve (pid $TAH_PID): $TAH  $(curl -s "$TAH/api/info")"

MS_PORT=$(free_port)
sub() {
  sed -e "s#@WORK@#$WORK#g" -e "s#@PORT@#$MS_PORT#g" -e "s#@GPKG@#$MS_GPKG#g" \
      -e "s#@PROCS@#$MS_PROCS#g" "$1" >"$2"
}
sub "$HERE/mapserver.conf.in" "$WORK/mapserver.conf"
sub "$HERE/events.map.in" "$WORK/events.map"
sub "$HERE/lighttpd-$MS_MODE.conf.in" "$WORK/lighttpd.conf"
: >"$WORK/mapserver.log"
rm -f "$WORK/lighttpd.pid" "$WORK/mapserv.sock"*
lighttpd -tt -f "$WORK/lighttpd.conf"
lighttpd -D -f "$WORK/lighttpd.conf" >>"$WORK/lighttpd-error.log" 2>&1 &
LIGHTTPD_PID=$!
MS=http://127.0.0.1:$MS_PORT
MS_PREFIX=/mapserv/events/ogcapi
wait_http "$MS$MS_PREFIX/conformance?f=json" 30
echo "MapServer via lighttpd (pid $LIGHTTPD_PID, $MS_MODE, $MS_PROCS mapserv): $MS$MS_PREFIX"

# busy 1-degree cells of the data (each holds tens of thousands of events)
CELLS=$WORK/cells.txt
sqlite3 -readonly "$GDELT_STORE" "SELECT x || ',' || y || ',' || (x + 1) || ',' || (y + 1)
  FROM (SELECT CAST(floor(longitude) AS INT) x, CAST(floor(latitude) AS INT) y, count(*) c
        FROM events WHERE latitude IS NOT NULL GROUP BY x, y ORDER BY c DESC LIMIT 16)" >"$CELLS"
python3 "$HERE/make_paths.py" "$WORK" "$CELLS" "$MS_PREFIX"

# verify both answer GeoJSON for the same bbox, and show how many events the bboxes hold
check_geojson() { # label url
  curl -sf --max-time 120 "$2" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["type"] == "FeatureCollection", d
f = d["features"]
assert f and f[0]["geometry"]["type"] == "Point", "no point features"
nxt = [l["href"] for l in d.get("links", []) if l.get("rel") == "next"]
print("  %-10s FeatureCollection numberMatched=%s numberReturned=%s properties=%d\n             next: %s" % (
    sys.argv[1], d.get("numberMatched"), d.get("numberReturned"), len(f[0]["properties"]),
    nxt[0] if nxt else None))
' "$1"
}
B=$(head -1 "$CELLS")
echo "check: first 10 items of bbox $B"
check_geojson tahadhari "$TAH/collections/events/items?limit=10&bbox=$B"
check_geojson MapServer "$MS$MS_PREFIX/collections/events/items?f=json&limit=10&bbox=$B"
python3 - "$TAH" "$CELLS" <<'EOF'
import json, sys, urllib.request
base, cells = sys.argv[1], [l.strip() for l in open(sys.argv[2]) if l.strip()]
allc, yearc = [], []
for c in cells:
    allc.append(json.load(urllib.request.urlopen(f"{base}/collections/events/items?limit=1&bbox={c}"))["numberMatched"])
    for y in (2014, 2018):
        yearc.append(json.load(urllib.request.urlopen(
            f"{base}/collections/events/items?limit=1&bbox={c}&datetime={y}-01-01/{y}-12-31"))["numberMatched"])
print(f"  {len(cells)} bboxes (1-degree cells): {min(allc)}..{max(allc)} events each; "
      f"with a one-year datetime: {min(yearc)}..{max(yearc)}")
EOF

# ---------------------------------------------------------------- wrk
# Connections whose request sits unread in the server's socket for the whole probe
# (5 samples, 1 s apart, in the middle of the run): clients the server never answers.
# wrk 4.1 does not count them (its --timeout check does not fire for them).
starved_probe() { # port
  local i f=$WORK/ss-probe
  rm -f "$f".*
  for i in 1 2 3 4 5; do
    ss -Htn state established "( sport = :$1 )" | awk '$1 > 0 {print $4}' | sort -u >"$f.$i" || true
    [[ $i -lt 5 ]] && sleep 1
  done
  sort "$f".* | uniq -c | awk '$1 == 5' | wc -l
}
run_wrk() { # label base_url paths_file conns timeout_s
  local label=$1 url=$2 paths=$3 conns=$4 tmo=$5 out=$WORK/wrk-$1.txt port=${2##*:}
  timeout $((DURATION + tmo + 30)) wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --timeout "${tmo}s" \
    --latency -s "$HERE/wrk.lua" "$url" -- "$paths" "$label" >"$out" 2>&1 &
  local wpid=$! starved=0
  WRK_PID=$wpid
  if ((DURATION >= 8)); then sleep $((DURATION / 4)); starved=$(starved_probe "$port"); fi
  wait "$wpid" || true
  WRK_PID=""
  local r; r=$(grep '^RESULT ' "$out" | tail -1 || true)
  if [[ -z $r ]]; then echo "!!! wrk $label produced no result:"; cat "$out"; r="RESULT $label 0 0 0 0 0 0 -1 -1 0"; fi
  echo "${r#RESULT } $conns $starved" >>"$RESULTS"
  echo "  $label: ${r#RESULT }  (c=$conns, starved=$starved)"
}

log "4. wrk: ${DURATION}s per run, $THREADS threads, $CONNS connections (MapServer: $MS_CONNS)"
cat "$SERVE_STORE" "$MS_GPKG" >/dev/null     # same page-cache state for both
run_wrk warmup-tah "$TAH" "$WORK/items100-tah.txt" "$CONNS" 10 >/dev/null
run_wrk tah-items100 "$TAH" "$WORK/items100-tah.txt" "$CONNS" 10
run_wrk ms-items100 "$MS" "$WORK/items100-ms.txt" "$MS_CONNS" 60
run_wrk tah-items500 "$TAH" "$WORK/items500-tah.txt" "$CONNS" 10
run_wrk ms-items500 "$MS" "$WORK/items500-ms.txt" "$MS_CONNS" 60
run_wrk tah-stats "$TAH" "$WORK/stats-tah.txt" "$CONNS" 10

# ---------------------------------------------------------------- profile (optional)
PROFILE=$WORK/profile.txt
: >"$PROFILE"
if [[ ${PERF:-1} == 1 ]] && command -v perf >/dev/null; then
  log "profile: perf record -p <tahadhari serve> for 6 s inside an 8 s wrk run (c=8)"
  for s in items100 stats; do
    timeout 40 wrk -t"$THREADS" -c8 -d8s -s "$HERE/wrk.lua" "$TAH" -- "$WORK/$s-tah.txt" prof >/dev/null 2>&1 &
    wp=$!
    sleep 1
    perf record -F 499 -g -p "$TAH_PID" -o "$WORK/perf-$s.data" -- sleep 6 >/dev/null 2>&1 || true
    wait "$wp" || true
    perf report -i "$WORK/perf-$s.data" --no-children --percent-limit 3 --stdio -g none 2>/dev/null |
      grep -E '^ +[0-9.]+%' | head -4 | awk -v s="$s" '{printf "  %-8s %7s  %s\n", s, $1, $NF}' >>"$PROFILE" || true
  done
  cat "$PROFILE"
fi

# ---------------------------------------------------------------- 5. during an ingest
log "5. tahadhari again while $INGEST_ROWS rows are ingested into the served store"
ING_TSV=$BENCH_DIR/gdelt2-$INGEST_ROWS-seed$INGEST_SEED.tsv
ensure_tsv "$ING_TSV" "$INGEST_ROWS" "$INGEST_SEED" "$INGEST_ID_BASE"
cat "$ING_TSV" >/dev/null
ING_LOG=$WORK/ingest-during-serve.log
rm -f "$ING_LOG.rc" "$ING_LOG.end" "$ING_LOG.pid" "$WORK/ingest-windows.txt"
ING_T0=$(now)
(
  "$TAHADHARI" ingest --store "$SERVE_STORE" "$ING_TSV" >"$ING_LOG" 2>&1 &
  echo $! >"$ING_LOG.pid"
  rc=0; wait $! || rc=$?
  now >"$ING_LOG.end"; echo "$rc" >"$ING_LOG.rc"
) &
ING_PID=$!; PIDS+=("$ING_PID")
sleep 0.2; [[ -s $ING_LOG.pid ]] && PIDS+=("$(cat "$ING_LOG.pid")")
# stats before items500: the targets are on items100 and stats, so they run while the ingest is
# surely still going (it takes ~40-80 s under load; each run 20 s)
for s in items100 stats items500; do
  t=$(now)
  run_wrk "ing-tah-$s" "$TAH" "$WORK/$s-tah.txt" "$CONNS" 10
  echo "$s $t $(now)" >>"$WORK/ingest-windows.txt"
done
[[ -f $ING_LOG.end ]] || echo "  (ingest still running after the runs; waiting for it)"
wait "$ING_PID" || true
ING_RC=$(cat "$ING_LOG.rc" 2>/dev/null || echo '?')
ING_END=$(cat "$ING_LOG.end")
ING_S=$(awk -v a="$ING_T0" -v b="$ING_END" 'BEGIN{printf "%.1f", b-a}')
sed 's/^/    /' "$ING_LOG"
WANT=$((GDELT_ROWS + INGEST_ROWS))
echo "  ingest exit $ING_RC, wall time $ING_S s; store now holds $(store_count "$SERVE_STORE") events"
# the server swaps in the new column index in the background: how long until readers see it?
VISIBLE="not within 180 s"
for ((i = 0; i < 1800; i++)); do
  n=$(curl -s --max-time 5 "$TAH/api/info" | python3 -c 'import json,sys; print(json.load(sys.stdin)["events"])' 2>/dev/null || echo 0)
  if [[ $n -eq $WANT ]]; then VISIBLE="$(secs_since "$ING_END") s after the ingest ended"; break; fi
  sleep 0.1
done
echo "  new events visible to the server: $VISIBLE  (/api/info: $(curl -s "$TAH/api/info"))"

# ---------------------------------------------------------------- table
log "results (MapServer $MS_VER $MS_MODE x$MS_PROCS; tahadhari; ${DURATION}s each)"
python3 - "$RESULTS" "$ING_T0" "$ING_LOG.end" "$WORK/ingest-windows.txt" <<'EOF'
import sys
rows = {}
for ln in open(sys.argv[1]):
    f = ln.split()
    rows[f[0]] = dict(n=int(f[1]), s=float(f[2]), rps=float(f[3]), p50=float(f[4]), p99=float(f[5]),
                      max=float(f[6]), sock=int(f[7]), non2xx=int(f[8]), bytes=float(f[9]), c=int(f[10]),
                      starved=int(f[11]))
ing0 = float(sys.argv[2]); ing1 = float(open(sys.argv[3]).read())
overlap = {}
for ln in open(sys.argv[4]):
    s, a, b = ln.split(); a, b = float(a), float(b)
    overlap["ing-tah-" + s] = max(0.0, min(b, ing1) - max(a, ing0)) / (b - a) * 100
hdr = "%-17s %3s %7s %8s %8s %8s %7s %6s %7s %8s  %s" % (
    "run", "c", "req/s", "p50 ms", "p99 ms", "max ms", "sockerr", "non2xx", "starved", "body B",
    "target / note")
print(hdr); print("-" * len(hdr))
def target(k, r):
    ok_err = r["sock"] == 0 and r["non2xx"] == 0 and r["starved"] == 0
    if k.endswith("items100") and "tah" in k:
        ok = r["rps"] >= 1000 and r["p99"] < 50 and ok_err
        return ("MET" if ok else "MISSED") + ": >=1000 req/s, p99<50 ms, 0 errors"
    if k.endswith("stats"):
        ok = r["rps"] >= 200 and r["p99"] < 100 and ok_err
        return ("MET" if ok else "MISSED") + ": >=200 req/s, p99<100 ms, 0 errors"
    if k.startswith("ms-"):
        return "first page, same bboxes, no datetime"
    return "0 errors: " + ("MET" if ok_err else "MISSED")
for k in ("tah-items100", "ms-items100", "tah-items500", "ms-items500", "tah-stats",
          "ing-tah-items100", "ing-tah-items500", "ing-tah-stats"):
    if k not in rows: continue
    r = rows[k]
    note = target(k, r)
    if k in overlap: note += "  [%.0f%% of run during ingest]" % overlap[k]
    print("%-17s %3d %7.1f %8.1f %8.1f %8.1f %7d %6d %7d %8.0f  %s" % (
        k, r["c"], r["rps"], r["p50"], r["p99"], r["max"], r["sock"], r["non2xx"], r["starved"],
        r["bytes"], note))
print()
for lim in ("100", "500"):
    t, m = rows.get("tah-items" + lim), rows.get("ms-items" + lim)
    if t and m and m["rps"] > 0:
        ratio = t["rps"] / m["rps"]
        extra = "  (target >= 100x: %s)" % ("MET" if ratio >= 100 else "MISSED") if lim == "100" else ""
        print("items limit=%s: tahadhari/MapServer req/s = %.1fx; p50 MapServer/tahadhari = %.1fx%s" % (
            lim, ratio, m["p50"] / t["p50"] if t["p50"] else 0, extra))
for k in ("items100", "items500", "stats"):
    a, b = rows.get("tah-" + k), rows.get("ing-tah-" + k)
    if a and b:
        print("during ingest, %-8s: req/s %.0f -> %.0f, p99 %.1f -> %.1f ms, max %.0f -> %.0f ms" % (
            k, a["rps"], b["rps"], a["p99"], b["p99"], a["max"], b["max"]))
EOF
echo "ingest of $INGEST_ROWS rows during the load: $ING_S s (exit $ING_RC); new events visible to the server $VISIBLE"
if [[ -s $PROFILE ]]; then echo "tahadhari serve profile (self time, top symbols):"; cat "$PROFILE"; fi
echo "wrk outputs, logs and request lists: $WORK"
