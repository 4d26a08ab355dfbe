#!/usr/bin/env bash
# Query latency: `tahadhari stats` / `tahadhari events` on the 3M-row GDELT
# store vs DuckDB running the same queries over the same data.
#
# Usage (from the repo root):  bench/query.sh
#
# Environment (defaults in brackets):
#   BENCH_DIR   scratch folder [/tmp/tahadhari-bench]   TAHADHARI  binary [./build/tahadhari]
#   GDELT_ROWS  [3000000]   GDELT_STORE [$BENCH_DIR/gdelt3m.gpkg] (made by bench/ingest.sh gdelt if missing)
#   RUNS        timed runs per query, after one warm-up [10]
#   COUNTRIES   ISO3 codes for the stats query ["USA KEN"] (add new ones to ISO3_TO_FIPS in duckdb_query.mjs)
#   BBOX FROM TO  the events query [33.9,-4.7,41.9,5.0 (Kenya), 2018-01-01, 2018-12-31]
#   BENCH_NICE  prefix for the timed commands, e.g. "nice -n 10" [none]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export BENCH_DIR=${BENCH_DIR:-/tmp/tahadhari-bench}
TAHADHARI=$(realpath -m "${TAHADHARI:-./build/tahadhari}")
export TAHADHARI
GDELT_ROWS=${GDELT_ROWS:-3000000}
export GDELT_STORE=${GDELT_STORE:-$BENCH_DIR/gdelt3m.gpkg}
RUNS=${RUNS:-10}
read -r -a COUNTRY_LIST <<<"${COUNTRIES:-USA KEN}"
BBOX=${BBOX:-33.9,-4.7,41.9,5.0}
FROM=${FROM:-2018-01-01}
TO=${TO:-2018-12-31}
read -r -a NICE <<<"${BENCH_NICE:-}"

GDELT_FILE=$BENCH_DIR/gdelt2-$GDELT_ROWS.tsv
DUCK_MODULES=$BENCH_DIR/duckdb
DUCK_DB=$BENCH_DIR/gdelt-$GDELT_ROWS.duckdb
OUT=$BENCH_DIR/query-out
mkdir -p "$OUT"

[[ -x $TAHADHARI ]] || { echo "tahadhari binary not found at $TAHADHARI (build it, or set TAHADHARI)" >&2; exit 2; }

# ------------------------------------------------------------ prerequisites
if [[ ! -f $GDELT_STORE || ! -f $GDELT_FILE ]]; then
  echo "no GDELT store at $GDELT_STORE (or no $GDELT_FILE): running bench/ingest.sh gdelt"
  GDELT_ROWS=$GDELT_ROWS "$REPO/bench/ingest.sh" gdelt
fi
[[ -f $GDELT_STORE ]] || { echo "ingest did not produce $GDELT_STORE" >&2; exit 1; }

if [[ ! -d $DUCK_MODULES/node_modules/@duckdb/node-api ]]; then
  echo "installing @duckdb/node-api into $DUCK_MODULES (scratch, not the repo)"
  mkdir -p "$DUCK_MODULES"
  (cd "$DUCK_MODULES" && { [[ -f package.json ]] || npm init -y >/dev/null; } && npm install --no-audit --no-fund @duckdb/node-api)
fi
DUCK=(node "$REPO/bench/duckdb_query.mjs")
if [[ ! -f $DUCK_DB || $GDELT_FILE -nt $DUCK_DB ]]; then
  "${DUCK[@]}" load --csv "$GDELT_FILE" --db "$DUCK_DB"
fi

# ------------------------------------------------------------ timing helper
# median_s NAME CMD... : median wall seconds of CMD (stdout discarded) over
# $RUNS runs after one warm-up; hyperfine if installed, else a python loop.
median_s() {
  local name=$1; shift
  if command -v hyperfine >/dev/null; then
    local cmd; cmd=$(printf '%q ' "$@")
    hyperfine -N --style none --warmup 1 --runs "$RUNS" --output null \
      --export-json "$OUT/$name.hyperfine.json" -- "$cmd" >/dev/null
    python3 -c 'import json,sys; print("%.6f" % json.load(open(sys.argv[1]))["results"][0]["median"])' \
      "$OUT/$name.hyperfine.json"
  else
    python3 - "$RUNS" "$@" <<'EOF'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
ts = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    ts.append(time.perf_counter() - t0)
print("%.6f" % statistics.median(ts))
EOF
  fi
}

# ------------------------------------------------------------ queries
declare -a NAMES=() T_CMDS=() D_CMDS=()
for c in "${COUNTRY_LIST[@]}"; do
  NAMES+=("stats_$c")
  T_CMDS+=("$TAHADHARI stats --store $GDELT_STORE --by month --country $c --format csv")
  D_CMDS+=("${DUCK[*]} once --db $DUCK_DB --query stats --country $c")
done
NAMES+=("events_bbox")
T_CMDS+=("$TAHADHARI events --store $GDELT_STORE --bbox $BBOX --from $FROM --to $TO --format csv --limit 0")
D_CMDS+=("${DUCK[*]} once --db $DUCK_DB --query events --bbox $BBOX --from $FROM --to $TO")

# DuckDB in process: loads the TSV into an in-memory table, then times the queries alone
echo "=== DuckDB in-process (table loaded from $GDELT_FILE)"
"${NICE[@]}" "${DUCK[@]}" bench --csv "$GDELT_FILE" --runs "$RUNS" \
  --country "$(IFS=,; echo "${COUNTRY_LIST[*]}")" --bbox "$BBOX" --from "$FROM" --to "$TO" \
  --outdir "$OUT/duckdb" --json "$OUT/duckdb-inprocess.json"

echo
echo "=== tahadhari and DuckDB end-to-end (new process per query; median of $RUNS runs after a warm-up)"
declare -a T_MS=() E_MS=() T_OK=()
for i in "${!NAMES[@]}"; do
  name=${NAMES[$i]}
  read -r -a tcmd <<<"${T_CMDS[$i]}"
  read -r -a dcmd <<<"${D_CMDS[$i]}"
  echo "--- $name: ${T_CMDS[$i]}"
  # one run with output kept, for the cross-check
  rc=0
  "${tcmd[@]}" >"$OUT/tahadhari-$name.csv" 2>"$OUT/tahadhari-$name.err" || rc=$?
  if [[ $rc -ne 0 ]]; then
    echo "!!! tahadhari failed (exit $rc):"; sed 's/^/    /' "$OUT/tahadhari-$name.err" | head -20
    T_MS+=("FAIL"); T_OK+=("fail")
  else
    head -3 "$OUT/tahadhari-$name.csv" | cut -c1-160 | sed 's/^/    /'
    T_MS+=("$(awk -v s="$(median_s "t-$name" "${NICE[@]}" "${tcmd[@]}")" 'BEGIN{printf "%.2f", s*1000}')")
    T_OK+=("ok")
  fi
  E_MS+=("$(awk -v s="$(median_s "d-$name" "${NICE[@]}" "${dcmd[@]}")" 'BEGIN{printf "%.2f", s*1000}')")
done

# ------------------------------------------------------------ cross-check + table
python3 - "$OUT" "$RUNS" "$(IFS='|'; echo "${NAMES[*]}")" "$(IFS='|'; echo "${T_MS[*]}")" \
  "$(IFS='|'; echo "${E_MS[*]}")" <<'EOF'
import csv, json, os, re, sys
out, runs = sys.argv[1], sys.argv[2]
names, t_ms, e_ms = (a.split("|") for a in sys.argv[3:6])
inproc = json.load(open(os.path.join(out, "duckdb-inprocess.json")))

def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))

def check(name):
    tpath = os.path.join(out, f"tahadhari-{name}.csv")
    d = read(os.path.join(out, "duckdb", f"{name}.csv"))
    if not os.path.exists(tpath) or os.path.getsize(tpath) == 0:
        return "no output", "-"
    t = read(tpath)
    if name.startswith("stats"):
        # compare month -> events (month normalised to its digits)
        try:
            hi = [h.strip().lower() for h in t[0]]
            mi, ei = hi.index("month"), hi.index("events")
        except ValueError:
            return f"bad header {t[0]}", "-"
        tm = {re.sub(r"\D", "", r[mi]): int(float(r[ei])) for r in t[1:] if r}
        dm = {re.sub(r"\D", "", r[0]): int(r[1]) for r in d[1:] if r}
        rows = f"{len(tm)}/{len(dm)} months"
        if tm == dm:
            return "match", rows
        diff = sorted(k for k in set(tm) | set(dm) if tm.get(k) != dm.get(k))
        return (f"MISMATCH in {len(diff)} months, e.g. {diff[0]}: "
                f"tahadhari {tm.get(diff[0])} duckdb {dm.get(diff[0])}"), rows
    tn, dn = len(t) - 1, len(d) - 1
    rows = f"{tn}/{dn}"
    if tn != dn:
        return "MISMATCH (row count)", rows
    # if one of tahadhari's columns carries the GLOBALEVENTIDs, compare the sets
    dids = {r[0] for r in d[1:]}
    for j in range(len(t[0])):
        vals = {re.sub(r"\D", "", r[j]) for r in t[1:] if len(r) > j}
        if vals == dids:
            return "match (ids)", rows
    return "match (count)", rows

def ratio(a, b):
    try:
        return "%.2f" % (float(a) / float(b))
    except (ValueError, ZeroDivisionError):
        return "n/a"

print()
print(f"Query latency, median of {runs} runs (targets: tahadhari / DuckDB <= 2.0)")
hdr = ("query", "tahadhari_ms", "duckdb_ms", "ratio", "duckdb_e2e_ms", "ratio_e2e", "rows t/d", "check")
fmt = "%-12s %12s %10s %6s %13s %9s %17s  %s"
print(fmt % hdr)
for n, tm, em in zip(names, t_ms, e_ms):
    dm = "%.2f" % inproc[n]["median_ms"]
    ok, rows = check(n)
    print(fmt % (n, tm, dm, ratio(tm, dm), em, ratio(tm, em), rows, ok))
print("duckdb_ms: query alone in a warm in-process table (results materialised);"
      " duckdb_e2e_ms: new node process opening the persisted DuckDB file, one query,"
      " CSV to stdout (like a tahadhari run).")
EOF
