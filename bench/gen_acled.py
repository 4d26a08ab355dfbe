#!/usr/bin/env python3
"""Generate a large synthetic ACLED-format CSV by resampling a real ACLED export.

Every output row is a copy of a random row of the source file (ACLED's
31-column export, quoted CSV with header) with:
  * new unique ids: data_id = base + row number, event_id_no_cnty = row
    number + 1 and event_id_cnty = <source prefix, e.g. KEN> + event_id_no_cnty;
  * event_date moved by a random number of days in [-spread, +spread], year
    kept consistent (the source's date format YYYY-MM-DD is kept);
  * latitude/longitude moved by a small random offset (kept in range,
    4 decimals as in ACLED).
Everything else (actors, types, admin names, notes, fatalities, ...) is
copied verbatim, quoted the way the csv module quotes it (minimal quoting).

The output is derived row by row from ACLED data: write it OUTSIDE the
repository (e.g. $BENCH_DIR) and never commit it.

Deterministic for a given --seed.  python3 stdlib only.

Usage: gen_acled.py N OUT [--src FILE] [--seed S] [--spread-days D] [--jitter DEG]
"""
import argparse
import csv
import datetime as dt
import io
import random
import re
import sys

DEFAULT_SRC = "/work/shared/data/acled/kenya-1997-2016.csv"
REQUIRED = ("data_id", "event_id_cnty", "event_id_no_cnty", "event_date", "year",
            "latitude", "longitude")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of data rows to write")
    ap.add_argument("out", help="output file ('-' for stdout)")
    ap.add_argument("--src", default=DEFAULT_SRC)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--spread-days", type=int, default=730,
                    help="move each event date by up to this many days either way")
    ap.add_argument("--jitter", type=float, default=0.02,
                    help="max coordinate offset in degrees")
    ap.add_argument("--id-base", type=int, default=100_000_000)
    args = ap.parse_args()

    rng = random.Random(args.seed)

    with open(args.src, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], [r for r in rows[1:] if r]
    col = {name: i for i, name in enumerate(header)}
    missing = [c for c in REQUIRED if c not in col]
    if missing:
        sys.exit("source lacks columns: %s" % ", ".join(missing))
    ncol = len(header)
    c_did, c_cnty, c_no = col["data_id"], col["event_id_cnty"], col["event_id_no_cnty"]
    c_date, c_year = col["event_date"], col["year"]
    c_lat, c_lon = col["latitude"], col["longitude"]

    # render a list of fields exactly as csv.writer would (minimal quoting)
    sio = io.StringIO()
    w = csv.writer(sio, lineterminator="\n")

    def render(fields):
        sio.seek(0)
        sio.truncate()
        w.writerow(fields)
        return sio.getvalue()

    # --- one template pass -----------------------------------------------
    templates = []
    for r in rows:
        if len(r) != ncol:
            sys.exit("source row has %d columns, expected %d" % (len(r), ncol))
        d = dt.date.fromisoformat(r[c_date])
        lat, lon = float(r[c_lat]), float(r[c_lon])
        m = re.match(r"[A-Za-z]*", r[c_cnty])
        prefix = m.group(0) if m else ""
        # sentinel values never occurring in data, replaced by %-slots afterwards
        f = list(r)
        f[c_did] = "\x01DID\x01"
        f[c_cnty] = "\x01CNTY\x01"
        f[c_no] = "\x01NO\x01"
        f[c_date] = "\x01DATE\x01"
        f[c_year] = "\x01YEAR\x01"
        f[c_lat] = "\x01LAT\x01"
        f[c_lon] = "\x01LON\x01"
        line = render(f).replace("%", "%%")
        # put the slots in column order so the argument tuple is fixed
        slots = sorted([(c_did, "\x01DID\x01", "%(did)d"),
                        (c_cnty, "\x01CNTY\x01", prefix.replace("%", "%%") + "%(no)d"),
                        (c_no, "\x01NO\x01", "%(no)d"),
                        (c_date, "\x01DATE\x01", "%(date)s"),
                        (c_year, "\x01YEAR\x01", "%(year)s"),
                        (c_lat, "\x01LAT\x01", "%(lat).4f"),
                        (c_lon, "\x01LON\x01", "%(lon).4f")])
        for _, sentinel, slot in slots:
            line = line.replace(sentinel, slot)
        # convert named slots to positional ones in column order
        order = []

        def repl(mo):
            order.append(mo.group(1))
            return "%" + mo.group(2)
        line = re.sub(r"%\((\w+)\)(\.4f|d|s)", repl, line)
        cap = max(0.0, min(args.jitter, 90 - abs(lat), 180 - abs(lon)))
        templates.append((line, tuple(order), d.toordinal(), lat, lon, cap))

    # all templates have the same slot order (same columns); check and freeze it
    order = templates[0][1]
    assert all(t[1] == order for t in templates)

    spread = max(0, args.spread_days)
    lo = min(t[2] for t in templates) - spread
    hi = max(t[2] for t in templates) + spread
    dates = {}
    for o in range(lo, hi + 1):
        d = dt.date.fromordinal(o)
        dates[o] = (d.isoformat(), str(d.year))

    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8",
                                                  newline="")
    out.write(render(header))
    nsrc = len(templates)
    rnd = rng.random
    rint = rng.randrange
    base = args.id_base
    width = 2 * spread + 1
    chunk = 50_000
    written = 0
    while written < args.n:
        m = min(chunk, args.n - written)
        buf = []
        app = buf.append
        for i in range(written, written + m):
            line, _, o, lat, lon, cap = templates[rint(nsrc)]
            ds, ys = dates[o - spread + rint(width)]
            no = i + 1
            vals = {"did": base + i, "no": no, "date": ds, "year": ys,
                    "lat": lat + (rnd() * 2 - 1) * cap,
                    "lon": lon + (rnd() * 2 - 1) * cap}
            app(line % tuple(vals[k] for k in order))
        out.write("".join(buf))
        written += m
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
