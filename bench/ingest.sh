#!/usr/bin/env bash
# Ingest throughput: `tahadhari ingest` vs the sqlite3 CLI's `.import`.
#
# Usage (from the repo root):  bench/ingest.sh [all|gdelt|acled]
#
# Environment:
#   BENCH_DIR    scratch folder for generated data and stores (default /tmp/tahadhari-bench);
#                must be outside the repository (ACLED-derived data must never be committed)
#   TAHADHARI    tahadhari binary (default ./build/tahadhari)
#   GDELT_ROWS   rows in the synthetic GDELT 2.0 file (default 3000000)
#   ACLED_ROWS   rows in the synthetic ACLED file     (default 1000000)
#   GDELT_STORE  where the ingested GDELT store is kept for bench/query.sh
#                (default $BENCH_DIR/gdelt3m.gpkg)
#   SEED         generator seed (default 42)
#   BENCH_NICE   prefix for the timed commands, e.g. "nice -n 10" (default none)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/tahadhari-bench}
TAHADHARI=$(realpath -m "${TAHADHARI:-./build/tahadhari}")
GDELT_ROWS=${GDELT_ROWS:-3000000}
ACLED_ROWS=${ACLED_ROWS:-1000000}
GDELT_STORE=${GDELT_STORE:-$BENCH_DIR/gdelt3m.gpkg}
SEED=${SEED:-42}
read -r -a NICE <<<"${BENCH_NICE:-}"
WHAT=${1:-all}

case "$WHAT" in all|gdelt|acled) ;; *) echo "usage: $0 [all|gdelt|acled]" >&2; exit 2 ;; esac
case "$(realpath -m "$BENCH_DIR")/" in
  "$REPO"/*) echo "BENCH_DIR must be outside the repository ($REPO)" >&2; exit 2 ;;
esac
command -v sqlite3 >/dev/null || { echo "sqlite3 not found (apt-get install sqlite3)" >&2; exit 2; }
mkdir -p "$BENCH_DIR"

GDELT_FILE=$BENCH_DIR/gdelt2-$GDELT_ROWS.tsv
ACLED_FILE=$BENCH_DIR/acled-$ACLED_ROWS.csv

# ---------------------------------------------------------------- data files
ensure_file() { # file expected_lines generator rows
  local file=$1 lines=$2 gen=$3 rows=$4
  if [[ -f $file ]] && [[ $(wc -l <"$file") -eq $lines ]]; then
    echo "reusing $file ($rows rows)"
    return
  fi
  echo "generating $file ($rows rows) ..."
  local t0; t0=$(date +%s.%N)
  python3 "$REPO/bench/$gen" "$rows" "$file.tmp" --seed "$SEED"
  mv "$file.tmp" "$file"
  echo "  done in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
}

[[ $WHAT != acled ]] && ensure_file "$GDELT_FILE" "$GDELT_ROWS" gen_gdelt2.py "$GDELT_ROWS"
[[ $WHAT != gdelt ]] && ensure_file "$ACLED_FILE" $((ACLED_ROWS + 1)) gen_acled.py "$ACLED_ROWS"

# ---------------------------------------------------------------- helpers
GDELT_COLS="GLOBALEVENTID:INTEGER SQLDATE:INTEGER MonthYear:INTEGER Year:INTEGER FractionDate:REAL
Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode Actor1Religion1Code
Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code Actor2Code Actor2Name
Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code Actor2Religion2Code
Actor2Type1Code Actor2Type2Code Actor2Type3Code IsRootEvent:INTEGER EventCode EventBaseCode
EventRootCode QuadClass:INTEGER GoldsteinScale:REAL NumMentions:INTEGER NumSources:INTEGER
NumArticles:INTEGER AvgTone:REAL Actor1Geo_Type:INTEGER Actor1Geo_FullName Actor1Geo_CountryCode
Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat:REAL Actor1Geo_Long:REAL Actor1Geo_FeatureID
Actor2Geo_Type:INTEGER Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code
Actor2Geo_Lat:REAL Actor2Geo_Long:REAL Actor2Geo_FeatureID ActionGeo_Type:INTEGER ActionGeo_FullName
ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code ActionGeo_Lat:REAL ActionGeo_Long:REAL
ActionGeo_FeatureID DATEADDED:INTEGER SOURCEURL"
gdelt_create_sql() {
  local defs=() c
  for c in $GDELT_COLS; do
    if [[ $c == *:* ]]; then defs+=("${c%%:*} ${c#*:}"); else defs+=("$c TEXT"); fi
  done
  [[ ${#defs[@]} -eq 61 ]] || { echo "internal error: ${#defs[@]} GDELT columns" >&2; exit 1; }
  local IFS=,
  echo "CREATE TABLE gdelt(${defs[*]});"
}

# a store and its sidecar files (-wal, -shm, -journal, .colidx, ...)
rm_store() { rm -f -- "$1" "$1"-* "$1".*; }
secs_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.3f", b-a}'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN{ if (s > 0) printf "%.0f", n/s; else print "n/a" }'; }

declare -a RESULTS=()

run_one() { # label file rows store sqlite_mode country
  local label=$1 file=$2 rows=$3 store=$4 mode=$5 country=$6 q_s="n/a"
  local db=$BENCH_DIR/sqlite3-$label.db
  echo
  echo "=== $label: $rows rows from $file"
  cat "$file" >/dev/null   # same page-cache state for both contenders

  # --- tahadhari
  local t_s="n/a" t_rate="n/a" t0 log=$BENCH_DIR/ingest-$label.log
  if [[ -x $TAHADHARI ]]; then
    rm_store "$store"
    echo "--- ${NICE[*]} $TAHADHARI ingest --store $store $file"
    t0=$(date +%s.%N)
    if "${NICE[@]}" "$TAHADHARI" ingest --store "$store" "$file" >"$log" 2>&1; then
      t_s=$(secs_since "$t0"); t_rate=$(rate "$rows" "$t_s")
    else
      local rc=$?
      echo "!!! tahadhari ingest failed (exit $rc)"; t_s="FAIL"
    fi
    sed 's/^/    /' "$log"
    if [[ $t_s != FAIL ]]; then
      # not part of the ratio: the first query on a fresh store may build
      # sidecar indexes that ingest deferred; show that cost separately
      t0=$(date +%s.%N)
      "${NICE[@]}" "$TAHADHARI" stats --store "$store" --by month --country "$country" --format csv >/dev/null \
        && q_s=$(secs_since "$t0") || q_s=FAIL
      echo "    first query after ingest (stats --country $country): $q_s s"
    fi
  else
    echo "--- tahadhari binary not found at $TAHADHARI: skipped"
  fi

  # --- sqlite3 .import into a plain table of a fresh database
  rm -f "$db" "$db-journal"
  local script
  if [[ $mode == tabs ]]; then
    script="$(gdelt_create_sql)
.mode tabs
.import '$file' gdelt"
  else
    script=".mode csv
.import '$file' acled"
  fi
  echo "--- ${NICE[*]} sqlite3 $db  (.mode $mode; .import)"
  t0=$(date +%s.%N)
  "${NICE[@]}" sqlite3 -bail "$db" <<<"$script"
  local s_s; s_s=$(secs_since "$t0")
  local s_rate; s_rate=$(rate "$rows" "$s_s")
  local table=gdelt; [[ $mode == csv ]] && table=acled
  local n; n=$(sqlite3 "$db" "SELECT count(*) FROM $table")
  echo "    sqlite3 imported $n rows in $s_s s"
  [[ $n -eq $rows ]] || echo "!!! sqlite3 row count $n != $rows"
  rm -f "$db"   # only the timing matters; keep the scratch dir small

  local ratio="n/a"
  if [[ $t_rate != n/a ]]; then ratio=$(awk -v a="$t_rate" -v b="$s_rate" 'BEGIN{printf "%.2f", a/b}'); fi
  RESULTS+=("$label|$rows|$t_s|$t_rate|$s_s|$s_rate|$ratio|$q_s")
  # keep only the GDELT store (bench/query.sh uses it)
  if [[ $label != gdelt ]]; then rm_store "$store"; fi
}

[[ $WHAT != acled ]] && run_one gdelt "$GDELT_FILE" "$GDELT_ROWS" "$GDELT_STORE" tabs USA
[[ $WHAT != gdelt ]] && run_one acled "$ACLED_FILE" "$ACLED_ROWS" "$BENCH_DIR/acled-ingest.gpkg" csv KEN

echo
echo "Ingest throughput (target: tahadhari rows/s >= sqlite3 .import rows/s, ratio >= 1.0)"
printf '%-6s %9s %12s %16s %10s %14s %6s %15s\n' source rows tahadhari_s tahadhari_rows/s sqlite3_s sqlite3_rows/s ratio first_query_s
for r in "${RESULTS[@]}"; do
  IFS='|' read -r a b c d e f g h <<<"$r"
  printf '%-6s %9s %12s %16s %10s %14s %6s %15s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h"
done
echo "(first_query_s: one tahadhari stats query right after ingest, not in the ratio)"
[[ $WHAT != acled && -f $GDELT_STORE ]] && echo "GDELT store kept for bench/query.sh: $GDELT_STORE"
exit 0
