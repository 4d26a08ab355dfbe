#!/usr/bin/env python3
"""Request lists for bench/serve.sh (one path per line, read by wrk.lua).

Usage: make_paths.py OUTDIR CELLS_FILE MS_PREFIX [--seed S]
CELLS_FILE: lines "W,S,E,N" (busy 1-degree cells of the store).
Writes items100-tah.txt, items500-tah.txt (bbox + datetime year windows),
items100-ms.txt, items500-ms.txt (same bboxes, no datetime, MapServer path
prefix MS_PREFIX) and stats-tah.txt (/api/stats with varying by/filters).
"""
import argparse
import random

YEARS = [2014, 2015, 2016, 2017, 2018]
COUNTRIES = ["USA", "GBR", "RUS", "IND", "SYR", "CHN", "ZAF", "CAN", "TUR", "IRL",
             "JPN", "DEU", "FRA", "ARE", "LBN", "ESP", "IRN", "SAU", "ISR", "KEN"]
TYPES = ["Battles", "Violence against civilians", "Protests", "Riots",
         "Explosions/Remote violence", "Strategic developments"]
BYS = ["month", "week", "year", "type", "country", "admin1", "month,type"]


def q(s):
    return s.replace(" ", "%20").replace("/", "%2F").replace(",", "%2C")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("cells")
    ap.add_argument("ms_prefix")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    cells = [ln.strip() for ln in open(a.cells) if ln.strip()]

    def write(name, lines):
        with open(f"{a.outdir}/{name}", "w") as f:
            f.write("\n".join(lines) + "\n")

    combos = [(c, y) for c in cells for y in YEARS]
    rng.shuffle(combos)
    for limit in (100, 500):
        write(f"items{limit}-tah.txt",
              [f"/collections/events/items?bbox={q(c)}&datetime={y}-01-01%2F{y}-12-31&limit={limit}"
               for c, y in combos])
        write(f"items{limit}-ms.txt",
              [f"{a.ms_prefix}/collections/events/items?f=json&bbox={q(c)}&limit={limit}"
               for c in cells])

    stats = []
    while len(stats) < 1000:
        p = [f"by={q(rng.choice(BYS))}"]
        if rng.random() < 0.5:
            p.append("country=" + rng.choice(COUNTRIES))
        if rng.random() < 0.3:
            p.append("type=" + q(rng.choice(TYPES)))
        if rng.random() < 0.3:
            p.append("bbox=" + q(rng.choice(cells)))
        r = rng.random()
        if r < 0.4:
            y = rng.choice(YEARS)
            p += [f"from={y}-01-01", f"to={y}-12-31"]
        elif r < 0.6:
            y, m = rng.choice(YEARS), rng.randint(1, 9)
            p += [f"from={y}-{m:02d}-01", f"to={y}-{m + 3:02d}-28"]
        if len(p) > 1:  # at least one filter
            stats.append("/api/stats?" + "&".join(p))
    write("stats-tah.txt", stats)


if __name__ == "__main__":
    main()
