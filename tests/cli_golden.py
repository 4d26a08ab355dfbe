#!/usr/bin/env python3
"""End-to-end and golden-file tests of the `tahadhari` CLI on real files.

Each check runs the real binary on real data and compares with an independent computation
(Python's csv module, haversine) or with a golden file under tests/golden/ (made only from the
open UCDP/GDELT samples; ACLED-derived expectations are computed at test time, never stored).
Checks that need ../shared are skipped with a message when it is absent. Exit 0 = all passed,
1 = a failure, 77 = everything skipped.
"""
import argparse
import csv
import json
import math
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLES = REPO / "data" / "samples"
GOLDEN = HERE / "golden"
EARTH_RADIUS_KM = 6371.0088

args = None
results = {"passed": 0, "failed": 0, "skipped": 0}


def run(*argv, expect=0, input_bytes=None):
    p = subprocess.run([args.binary, *map(str, argv)], capture_output=True, input=input_bytes)
    if expect is not None and p.returncode != expect:
        raise AssertionError(f"{' '.join(map(str, argv))}: exit {p.returncode}, expected {expect}\n"
                             f"stdout: {p.stdout.decode(errors='replace')[:2000]}\n"
                             f"stderr: {p.stderr.decode(errors='replace')[:2000]}")
    return p


def check(name, needs_shared=False):
    def wrap(fn):
        def inner():
            if needs_shared and not args.shared.is_dir():
                print(f"SKIP {name}: {args.shared} is absent (real ACLED/UCDP/GDELT data needed)")
                results["skipped"] += 1
                return
            t0 = time.time()
            try:
                fn()
            except Exception as e:  # noqa: BLE001 - report every failure and continue
                print(f"FAIL {name}: {e}")
                results["failed"] += 1
                return
            print(f"ok   {name} ({time.time() - t0:.1f}s)")
            results["passed"] += 1
        inner.__name__ = name
        CHECKS.append(inner)
        return inner
    return wrap


CHECKS = []


def acled_csv():
    return args.shared / "data" / "acled" / "kenya-1997-2016.csv"


def ingest_summary(store, *files, expect=0):
    p = run("ingest", "--store", store, "--summary", "json", "--quiet", *files, expect=expect)
    return {row["source"]: row for row in json.loads(p.stdout)}


def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


# ------------------------------------------------------------------------------------------------
@check("ingest counts and idempotent re-ingest (issue 2, item 1)", needs_shared=True)
def ingest_counts():
    store = args.work / "counts.gpkg"
    files = [acled_csv(), args.shared / "data/ucdp/ged231-sample-1000.csv",
             args.shared / "data/gdelt/20191024143000.export.CSV",
             args.shared / "data/gdelt/v1-events-sample.tsv"]
    first = ingest_summary(store, *files)
    want = {"acled": 5145, "ucdp": 1000, "gdelt2": 2111, "gdelt1": 710}
    for source, n in want.items():
        got = first[source]
        assert got["inserted"] == n and got["rejected"] == 0 and got["read"] == n, (source, got)
    second = ingest_summary(store, *files)
    for source, n in want.items():
        got = second[source]
        assert got["inserted"] == 0 and got["updated"] == 0 and got["unchanged"] == n, (source, got)


@check("stats --by year reproduces the ACLED file's per-year counts (item 2)", needs_shared=True)
def stats_by_year():
    store = args.work / "acled.gpkg"
    ingest_summary(store, acled_csv())
    expected = {}
    with open(acled_csv(), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["iso3"] != "KEN":
                continue
            year = row["event_date"][:4]
            events, fat = expected.get(year, (0, 0))
            expected[year] = (events + 1, fat + int(row["fatalities"] or 0))
    p = run("stats", "--store", store, "--by", "year", "--country", "KEN", "--source", "acled",
            "--format", "csv")
    rows = list(csv.DictReader(p.stdout.decode().splitlines()))
    assert list(rows[0].keys()) == ["year", "events", "fatalities"], rows[0].keys()
    got = {r["year"]: (int(r["events"]), int(r["fatalities"])) for r in rows}
    assert got == expected, f"stats {got} != csv {expected}"
    assert [r["year"] for r in rows] == sorted(expected), "years not in ascending order"


@check("events near Garissa within 50 km, actor shabaab, GeoJSON (item 3)", needs_shared=True)
def events_near_garissa():
    store = args.work / "acled.gpkg"
    if not store.exists():
        ingest_summary(store, acled_csv())
    lat0, lon0 = -0.4532, 39.6461
    expected = set()
    with open(acled_csv(), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            actors = " ".join(row[k] for k in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"))
            if "shabaab" not in actors.lower():
                continue
            if haversine(lat0, lon0, float(row["latitude"]), float(row["longitude"])) <= 50.0:
                expected.add(row["event_id_cnty"])
    p = run("events", "--store", store, "--near", f"{lat0},{lon0}", "--within", "50", "--actor",
            "shabaab", "--format", "geojson")
    fc = json.loads(p.stdout)
    assert fc["type"] == "FeatureCollection"
    got = [feat["properties"]["source_id"] for feat in fc["features"]]
    assert len(got) == len(set(got)), "duplicate features"
    assert set(got) == expected, f"missing {expected - set(got)}, extra {set(got) - expected}"
    assert fc["numberMatched"] == len(expected) == fc["numberReturned"]
    assert len(expected) > 10, "fixture too small to mean anything"
    for feat in fc["features"]:
        lon, lat = feat["geometry"]["coordinates"]
        assert haversine(lat0, lon0, lat, lon) <= 50.0
    dates = [feat["properties"]["date_start"] for feat in fc["features"]]
    assert dates == sorted(dates), "not ordered by date"


def write_acled_fixture(path, header, good_rows, bad_lines):
    """Writes header, then good rows and bad raw lines interleaved; returns {line: kind}."""
    lines = {}
    with open(path, "wb") as f:
        f.write((",".join(header) + "\n").encode())
        n = 1
        for i, row in enumerate(good_rows):
            buf = []
            w = csv.writer(_Sink(buf), lineterminator="\n")
            w.writerow(row)
            f.write("".join(buf).encode())
            n += 1
            if i < len(bad_lines):
                kind, raw = bad_lines[i]
                f.write(raw + b"\n")
                n += 1
                lines[n] = kind
    return lines


class _Sink:
    def __init__(self, buf):
        self.buf = buf

    def write(self, s):
        self.buf.append(s)


@check("rejects: each bad row reported with path:line: field, valid rows still load (item 4)",
       needs_shared=True)
def rejects_fixtures():
    with open(acled_csv(), newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [next(reader) for _ in range(8)]
    col = {name: i for i, name in enumerate(header)}

    def mutate(row, **changes):
        r = list(row)
        for k, v in changes.items():
            r[col[k]] = v
        return r

    def raw(row):
        buf = []
        csv.writer(_Sink(buf), lineterminator="").writerow(row)
        return "".join(buf).encode()

    src = rows[0]
    bad = [
        ("truncated", raw(src)[: len(raw(src)) // 2]),
        ("columns", raw(src + ["extra"])),
        ("date", raw(mutate(src, event_id_cnty="BAD1", event_date="2016-02-30"))),
        ("latitude", raw(mutate(src, event_id_cnty="BAD2", latitude="95.5"))),
        ("fatalities", raw(mutate(src, event_id_cnty="BAD3", fatalities="many"))),
        ("utf8", raw(mutate(src, event_id_cnty="BAD4")).replace(b"Eastern", b"East\xffrn")),
        ("longitude", raw(mutate(src, event_id_cnty="BAD5", longitude="abc"))),
    ]
    path = args.work / "acled-bad.csv"
    expected = write_acled_fixture(path, header, rows, bad)
    store = args.work / "rejects.gpkg"
    p = run("ingest", "--store", store, path, expect=0)
    err = p.stderr.decode()
    want_field = {"truncated": None, "columns": None, "date": "event_date: 2016-02-30",
                  "latitude": "latitude: 95.5", "fatalities": "fatalities: many",
                  "utf8": "region", "longitude": "longitude: abc"}
    for line, kind in expected.items():
        prefix = f"{path}:{line}: "
        hits = [l for l in err.splitlines() if l.startswith(prefix)]
        assert hits, f"no message for {kind} at line {line}:\n{err}"
        if want_field[kind]:
            assert want_field[kind] in hits[0], f"{kind}: {hits[0]}"
    summary = run("stats", "--store", store, "--by", "source", "--format", "json").stdout
    total = json.loads(summary)["total"]["events"]
    assert total == len(rows), f"{total} events stored, expected the {len(rows)} valid rows"
    rejects_csv = store.with_suffix(".rejects.csv")
    with open(rejects_csv, newline="", encoding="utf-8", errors="replace") as f:
        logged = list(csv.DictReader(f))
    assert sorted(int(r["line"]) for r in logged) == sorted(expected), logged
    assert all(r["raw"] for r in logged), "raw line missing from rejects CSV"
    db = sqlite3.connect(store)
    assert db.execute("select count(*) from rejects").fetchone()[0] == len(expected)


@check("empty file and unknown format give clear errors, other files still load")
def bad_files():
    empty = args.work / "empty.csv"
    empty.write_bytes(b"")
    junk = args.work / "junk.txt"
    junk.write_text("hello world\nthis is not a dataset\n")
    store = args.work / "badfiles.gpkg"
    p = run("ingest", "--store", store, empty, junk, SAMPLES / "ucdp-ged231-sample-1000.csv",
            expect=1)
    err = p.stderr.decode()
    assert f"{empty}: empty file" in err, err
    assert f"{junk}:1: unknown format" in err and "GDELT 2.0" in err and "ACLED" in err, err
    out = p.stdout.decode()
    assert "ucdp" in out and "1000" in out, out


@check("GDELT rows with the wrong column count are rejected with their line")
def gdelt_bad_rows():
    lines = (SAMPLES / "gdelt2-20191024143000.export.CSV").read_bytes().split(b"\n")[:20]
    lines[4] = b"\t".join(lines[4].split(b"\t")[:40])  # truncated row, line 5
    lines[9] = lines[9] + b"\textra"                       # 62 columns, line 10
    f = args.work / "gdelt-bad.CSV"
    f.write_bytes(b"\n".join(lines) + b"\n")
    store = args.work / "gdelt-bad.gpkg"
    p = run("ingest", "--store", store, f)
    err = p.stderr.decode()
    assert f"{f}:5: expected 61 tab-separated columns (GDELT 2.0), found 40" in err, err
    assert f"{f}:10: expected 61 tab-separated columns (GDELT 2.0), found 62" in err, err
    assert '"inserted": 18' in run("ingest", "--store", args.work / "g2.gpkg", "--summary",
                                   "json", f).stdout.decode()


@check("ogrinfo (GDAL) lists the events layer and its feature count")
def ogrinfo_reads_store():
    if shutil.which("ogrinfo") is None:
        raise AssertionError("ogrinfo not installed (scripts/setup installs gdal-bin)")
    store = args.work / "ogr.gpkg"
    ingest_summary(store, SAMPLES / "ucdp-ged231-sample-1000.csv",
                   SAMPLES / "gdelt2-20191024143000.export.CSV")
    p = subprocess.run(["ogrinfo", "-so", "-ro", str(store), "events"], capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    assert "Feature Count: 3111" in p.stdout, p.stdout
    assert "Geometry: Point" in p.stdout, p.stdout
    p = subprocess.run(["ogrinfo", "-ro", "-sql",
                        "SELECT COUNT(*) AS n FROM events WHERE source = 'ucdp'", str(store)],
                       capture_output=True, text=True)
    assert "n (Integer) = 1000" in p.stdout, p.stdout
    # The spatial index answers a bbox filter the same way as the attributes do.
    p = subprocess.run(["ogrinfo", "-ro", "-so", "-spat", "30", "-10", "50", "10", str(store),
                        "events"], capture_output=True, text=True)
    db = sqlite3.connect(store)
    n = db.execute("select count(*) from events where longitude between 30 and 50 and "
                   "latitude between -10 and 10").fetchone()[0]
    assert f"Feature Count: {n}" in p.stdout, (n, p.stdout)


def make_gdelt_copies(path, copies):
    rows = (SAMPLES / "gdelt2-20191024143000.export.CSV").read_bytes().split(b"\n")
    rows = [r for r in rows if r]
    with open(path, "wb") as f:
        n = 0
        for c in range(copies):
            for r in rows:
                n += 1
                f.write(str(10_000_000_000 + n).encode() + r[r.index(b"\t"):] + b"\n")
    return n


@check("SIGKILL mid-ingest leaves the store as before, and the next ingest works", )
def sigkill_mid_ingest():
    store = args.work / "kill.gpkg"
    ingest_summary(store, SAMPLES / "ucdp-ged231-sample-1000.csv")
    big = args.work / "big.CSV"
    n = make_gdelt_copies(big, 150)
    killed = False
    for delay in (0.5, 1.0, 2.0):
        proc = subprocess.Popen([args.binary, "ingest", "--store", str(store), "--quiet", str(big)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed = True
            break
        proc.wait()
        store.unlink()
        for suffix in ("-wal", "-shm", ".colidx"):
            Path(str(store) + suffix).unlink(missing_ok=True)
        ingest_summary(store, SAMPLES / "ucdp-ged231-sample-1000.csv")
    assert killed, "ingest finished before it could be killed"
    stats = json.loads(run("stats", "--store", store, "--by", "source", "--format", "json").stdout)
    assert stats["total"]["events"] == 1000, stats
    db = sqlite3.connect(store)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db.execute("select count(*) from ingests where rows_read > 0").fetchone()[0] == 1
    db.close()
    again = ingest_summary(store, big)
    assert again["gdelt2"]["inserted"] == n, again
    stats = json.loads(run("stats", "--store", store, "--by", "source", "--format", "json").stdout)
    assert stats["total"]["events"] == 1000 + n, stats


@check("a hot rollback journal left by a killed bulk load is rolled back before reading")
def hot_journal():
    store = args.work / "hot.gpkg"
    ingest_summary(store, SAMPLES / "ucdp-ged231-sample-1000.csv")
    # A child writes through a tiny page cache in rollback-journal mode, so pages spill into the
    # file, then dies without committing: the journal is hot.
    child = subprocess.run([sys.executable, "-c", f"""
import os, sqlite3
db = sqlite3.connect({str(store)!r}, isolation_level=None)
db.execute("pragma journal_mode=delete")
db.execute("pragma cache_size=10")
db.execute("begin immediate")
db.execute("create table filler(x)")
for i in range(20000):
    db.execute("insert into filler values (randomblob(300))")
db.execute("delete from events")
os._exit(9)
"""])
    assert child.returncode == 9, child
    journal = Path(str(store) + "-journal")
    assert journal.exists() and journal.stat().st_size > 0, "no hot journal was left"
    stats = json.loads(run("stats", "--store", store, "--by", "source", "--format", "json").stdout)
    assert stats["total"]["events"] == 1000, stats
    db = sqlite3.connect(store)
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db.execute("select count(*) from sqlite_master where name = 'filler'").fetchone()[0] == 0


@check("golden: stats by type and by country over the open samples")
def golden_stats():
    store = args.work / "golden.gpkg"
    if not store.exists():
        ingest_summary(store, *sorted(SAMPLES.glob("*.CSV")), *sorted(SAMPLES.glob("*.csv")),
                       *sorted(SAMPLES.glob("*.tsv")))
    cases = {
        "stats-type-source.csv": ["stats", "--by", "type,source", "--format", "csv"],
        "stats-ucdp-year-country.csv": ["stats", "--by", "year,country", "--source", "ucdp",
                                        "--format", "csv"],
        "events-somalia-ucdp.csv": ["events", "--country", "SOM", "--source", "ucdp",
                                    "--format", "csv"],
    }
    for name, argv in cases.items():
        out = run(argv[0], "--store", store, *argv[1:]).stdout.decode()
        if name.startswith("events"):
            # provenance columns depend on where the test runs: drop them
            rows = list(csv.reader(out.splitlines()))
            keep = [i for i, h in enumerate(rows[0])
                    if h not in ("fid", "source_file", "ingested_at")]
            out = "\n".join(",".join(_q(r[i]) for i in keep) for r in rows) + "\n"
        golden = GOLDEN / name
        if args.update_golden:
            golden.write_text(out)
        assert golden.exists(), f"{golden} missing (run with --update-golden)"
        assert out == golden.read_text(), f"{name} differs from {golden}"


def _q(v):
    return '"' + v.replace('"', '""') + '"' if any(c in v for c in ',"\n\r') else v


@check("usage errors exit 2 and say what was expected")
def usage_errors():
    store = args.work / "golden.gpkg"
    if not store.exists():
        ingest_summary(store, SAMPLES / "ucdp-ged231-sample-1000.csv")
    cases = [
        (["events", "--bbox", "1,2,3"], "expected 4 comma-separated numbers"),
        (["events", "--bbox", "40,5,50,-5"], "south"),
        (["events", "--near", "-0.45,39.6"], "--near and --within go together"),
        (["events", "--near", "100,39", "--within", "5"], "out of range"),
        (["events", "--from", "2016-02-30"], "not a date"),
        (["events", "--from", "2017-01-01", "--to", "2016-01-01"], "is after"),
        (["stats", "--by", "decade"], "unknown key"),
        (["stats", "--by", "year,month,type"], "one or two keys"),
        (["events", "--format", "xml"], "--format"),
        (["events", "--limit", "-3"], "--limit"),
    ]
    for argv, needle in cases:
        p = run(argv[0], "--store", store, *argv[1:], expect=2)
        assert needle in p.stderr.decode(), (argv, p.stderr.decode())
    p = run("nosuchcommand", expect=2)
    for sub in ("ingest", "events", "stats", "demo"):
        p = run(sub, "--help", expect=0)
        assert b"Usage" in p.stdout or b"usage" in p.stdout.lower(), sub
    p = run("events", "--store", args.work / "does-not-exist.gpkg", expect=1)
    assert b"no store here" in p.stderr


def main():
    global args
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--work", type=Path, default=REPO / "build" / "cli_golden.work")
    ap.add_argument("--update-golden", action="store_true")
    ap.add_argument("-k", default="", help="run only checks whose name contains this")
    args = ap.parse_args()
    args.shared = args.shared.resolve()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)
    if not args.shared.is_dir():
        print(f"NOTE: {args.shared} is absent: checks on real ACLED data are skipped")
    for c in CHECKS:
        if args.k in c.__name__:
            c()
    print(f"{results['passed']} passed, {results['failed']} failed, {results['skipped']} skipped")
    if results["failed"]:
        return 1
    return 77 if results["passed"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
