#!/usr/bin/env python3
"""Generate a large synthetic GDELT 2.0 event export by resampling a real one.

Every output row is a copy of a random row of the source file (61 tab-separated
columns, no header) with:
  * a new unique GLOBALEVENTID (base + row number);
  * the event date shifted by a random number of days (spread over --years
    years ending at the source date), with SQLDATE, MonthYear, Year,
    FractionDate and DATEADDED all shifted together and kept consistent
    (DATEADDED also gets a random 15-minute slot as its time of day);
  * the Actor1Geo / Actor2Geo / ActionGeo latitude/longitude moved by one small
    random offset per row (the same offset for all three, so places that were
    equal stay equal); empty coordinates stay empty and values stay in range.
Everything else (actors, CAMEO codes, names, FIPS codes, feature ids, URL) is
copied verbatim.

Deterministic for a given --seed.  python3 stdlib only.

Usage: gen_gdelt2.py N OUT [--src FILE] [--seed S] [--years Y] [--jitter DEG]
"""
import argparse
import datetime as dt
import random
import sys

DEFAULT_SRC = "/work/shared/data/gdelt/20191024143000.export.CSV"

# 0-based column indexes in the GDELT 2.0 event table (61 columns)
C_ID, C_SQLDATE, C_MONTHYEAR, C_YEAR, C_FRACDATE = 0, 1, 2, 3, 4
GEO_LATLON = ((40, 41), (48, 49), (56, 57))  # Actor1Geo, Actor2Geo, ActionGeo
C_DATEADDED = 59
NCOLS = 61


def fraction_date(d):
    # GDELT's own approximation: YYYY + ((month-1)*30 + day)/365, 4 decimals
    return "%d.%04d" % (d.year, round(((d.month - 1) * 30 + d.day) / 365 * 10000))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of rows to write")
    ap.add_argument("out", help="output file ('-' for stdout)")
    ap.add_argument("--src", default=DEFAULT_SRC)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--years", type=float, default=5.0,
                    help="spread event dates over this many years before the source date")
    ap.add_argument("--jitter", type=float, default=0.05,
                    help="max coordinate offset in degrees")
    ap.add_argument("--id-base", type=int, default=1_000_000_000)
    args = ap.parse_args()

    rng = random.Random(args.seed)

    with open(args.src, encoding="utf-8", newline="") as f:
        src = [ln.rstrip("\r\n").split("\t") for ln in f if ln.strip()]
    for r in src:
        if len(r) != NCOLS:
            sys.exit("source row has %d columns, expected %d" % (len(r), NCOLS))

    # --- one template pass over the source rows --------------------------
    # Each template is a %-format string with slots for:
    #   id, the 4 date columns (one pre-joined string), the present geo
    #   coordinates (%.5f), DATEADDED date, DATEADDED time.
    # Per source row we also keep: event-date ordinal, DATEADDED-date
    # ordinal minus event ordinal, base coordinates and a jitter cap.
    templates = []
    for r in src:
        parts = [c.replace("%", "%%") for c in r]
        parts[C_ID] = "%d"
        parts[C_SQLDATE] = "%s"          # SQLDATE\tMonthYear\tYear\tFractionDate
        del parts[C_MONTHYEAR:C_FRACDATE + 1]
        # indexes after deleting 3 columns shift by -3
        coords = []
        for la, lo in GEO_LATLON:
            if r[la] != "" and r[lo] != "":
                parts[la - 3] = "%.5f"
                parts[lo - 3] = "%.5f"
                coords.append((float(r[la]), float(r[lo])))
        parts[C_DATEADDED - 3] = "%s%s"
        tmpl = "\t".join(parts) + "\n"
        ev = dt.datetime.strptime(r[C_SQLDATE], "%Y%m%d").date()
        added = dt.datetime.strptime(r[C_DATEADDED][:8], "%Y%m%d").date()
        # cap the jitter so that no coordinate can leave [-90,90] x [-180,180]
        cap = args.jitter
        for la, lo in coords:
            cap = min(cap, 90 - abs(la), 180 - abs(lo))
        cap = max(cap, 0.0)
        flat = []
        for la, lo in coords:
            flat += [la, lo]
        templates.append((tmpl, ev.toordinal(), added.toordinal() - ev.toordinal(),
                          tuple(flat), len(coords), cap))

    # --- lookup tables for dates -----------------------------------------
    span = max(1, int(args.years * 365.25))
    lo_ord = min(t[1] for t in templates) - span
    hi_ord = max(t[1] + t[2] for t in templates) + 1
    date4 = {}   # ordinal -> "SQLDATE\tMonthYear\tYear\tFractionDate"
    ymd = {}     # ordinal -> "YYYYMMDD"
    for o in range(lo_ord, hi_ord + 1):
        d = dt.date.fromordinal(o)
        s = d.strftime("%Y%m%d")
        ymd[o] = s
        date4[o] = "%s\t%s\t%d\t%s" % (s, s[:6], d.year, fraction_date(d))
    slots = ["%02d%02d00" % (q // 4, (q % 4) * 15) for q in range(96)]

    # --- generate -------------------------------------------------------
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8",
                                                  newline="")
    nsrc = len(templates)
    rnd = rng.random
    rint = rng.randrange
    base = args.id_base
    chunk = 50_000
    written = 0
    while written < args.n:
        m = min(chunk, args.n - written)
        buf = []
        app = buf.append
        for i in range(written, written + m):
            tmpl, evo, gap, flat, ng, cap = templates[rint(nsrc)]
            o = evo - rint(span)
            if ng:
                dla = (rnd() * 2 - 1) * cap
                dlo = (rnd() * 2 - 1) * cap
                if ng == 1:
                    g = (flat[0] + dla, flat[1] + dlo)
                elif ng == 2:
                    g = (flat[0] + dla, flat[1] + dlo, flat[2] + dla, flat[3] + dlo)
                else:
                    g = (flat[0] + dla, flat[1] + dlo, flat[2] + dla, flat[3] + dlo,
                         flat[4] + dla, flat[5] + dlo)
                app(tmpl % ((base + i, date4[o]) + g + (ymd[o + gap], slots[rint(96)])))
            else:
                app(tmpl % (base + i, date4[o], ymd[o + gap], slots[rint(96)]))
        out.write("".join(buf))
        written += m
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
