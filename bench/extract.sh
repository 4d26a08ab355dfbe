#!/usr/bin/env bash
# bench/extract.sh — news-extraction throughput (issue 4, item 3).
#
# Builds a corpus of >= 1,000,000 sentences from the notes of the ACLED export in shared/ (each
# note repeated with varied numbers, Kenyan place names and dates, 20 notes per article), then
# runs `tahadhari extract --format none --stats` on one thread and on all cores and prints
# sentences/s. Target: >= 27,000 sentences/s on one core (TABARI, the fastest open CAMEO coder,
# on this machine — it extracts no places, dates or counts) and near-linear scaling.
#
#   bench/extract.sh [SENTENCES]        (default 1000000)
#
# The corpus is derived from ACLED rows, so it lives only in $BENCH_DIR (default
# /tmp/tahadhari-bench), never in the repository. Build first (Release).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${BIN:-$ROOT/build/tahadhari}
SHARED=${SHARED:-$ROOT/../shared}
BENCH_DIR=${BENCH_DIR:-/tmp/tahadhari-bench}
TARGET=${1:-1000000}
case "$(realpath -m "$BENCH_DIR")/" in "$ROOT"/*) echo "BENCH_DIR must be outside the repository" >&2; exit 2;; esac
ACLED="$SHARED/data/acled/kenya-1997-2016.csv"
[ -f "$ACLED" ] || { echo "extract bench: $ACLED not found (needs ../shared)" >&2; exit 77; }
[ -x "$BIN" ] || { echo "extract bench: build first ($BIN missing)" >&2; exit 2; }
mkdir -p "$BENCH_DIR"
CORPUS="$BENCH_DIR/news-$TARGET.txt"

if [ ! -s "$CORPUS" ]; then
  echo "extract bench: writing $CORPUS ..."
  python3 - "$ACLED" "$ROOT/data/extract/gazetteer.tsv" "$CORPUS" "$TARGET" <<'PY'
import csv, random, re, sys
acled, gaz, out, target = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rng = random.Random(42)
notes = [r["notes"].replace("\n", " ").strip() for r in csv.DictReader(open(acled, encoding="utf-8"))]
notes = [n for n in notes if n]
places = []
for line in open(gaz, encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if len(f) >= 9 and f[0] == "city" and f[3] == "KEN" and not f[8]:
        places.append(f[1])
place_re = re.compile(r"\b(" + "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True)) + r")\b")
months = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
def vary(n):
    n = re.sub(r"\b\d{1,3}\b", lambda m: str(rng.randint(1, 60)), n)
    n = place_re.sub(lambda m: rng.choice(places), n)
    n = re.sub(r"\b(\d{1,2})/(\d{2})\b", lambda m: f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}", n)
    if rng.random() < 0.2:
        n = f"On {rng.randint(1, 28)} {rng.choice(months)} {rng.randint(1997, 2024)}, " + n[0].lower() + n[1:]
    return n
# ~1.45 sentences per note; write until the estimate passes the target (verified by the run).
sentences = 0
est = lambda n: max(1, len(re.findall(r"[.!?](\s|$)", n)))
with open(out, "w", encoding="utf-8") as f:
    k = 0
    while sentences < target * 1.02:
        n = vary(notes[rng.randrange(len(notes))])
        f.write(n + "\n\n")
        sentences += est(n)
        k += 1
        if k % 20 == 0:
            f.write("---\n")
PY
fi

CORES=$(nproc)
echo "extract bench: corpus $(du -h "$CORPUS" | cut -f1), $CORES cores"
run() {
  "$BIN" extract "$CORPUS" --format none --stats --threads "$1" 2>&1 >/dev/null | tail -1
}
ONE=$(run 1)
ALL=$(run "$CORES")
echo "1 thread:      $ONE"
echo "$CORES threads:     $ALL"
S1=$(echo "$ONE" | sed -E 's/.*: ([0-9]+) sentences\/s.*/\1/')
SN=$(echo "$ALL" | sed -E 's/.*: ([0-9]+) sentences\/s.*/\1/')
N=$(echo "$ONE" | sed -E 's/^extract: ([0-9]+) sentences.*/\1/')
python3 - "$S1" "$SN" "$CORES" "$N" <<'PY'
import sys
s1, sn, cores, n = map(float, sys.argv[1:5])
print(f"sentences: {int(n):,} (target >= 1,000,000: {'ok' if n >= 1e6 else 'TOO FEW'})")
print(f"single core: {s1:,.0f} sentences/s = {s1 / 27000:.2f}x the TABARI target of 27,000/s")
print(f"all {int(cores)} cores: {sn:,.0f} sentences/s, scaling {sn / s1:.2f}x (ideal {int(cores)}x)")
PY
