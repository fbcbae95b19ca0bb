"""The extractor's own evaluation set: hand-written Arabic and English cases.

The cases live in ``tests/extract/cases/*.toml`` (format and annotation
decisions: ``tests/extract/cases/README.md``). This module

* loads and validates every case file (codes from CONTRACT.md, ISO dates,
  unique ids) -- that test runs even before the extractor exists;
* runs ``bayyina.extract.api.extract_document`` on each case's normalised
  text, matches predicted incidents to the expected ones the way
  ``/work/shared/eval/score.py`` does (place by normalised name / alias or
  coordinates within 15 km, countries not differing; overlapping dates;
  one-to-one, best first), and computes incident precision / recall / F1 and
  per-field accuracies over all cases;
* prints a per-case report of misses and asserts the aggregate thresholds of
  ``tests/extract/cases/thresholds.toml``. The aggregate is the gate: there
  is deliberately no per-case assertion.

Run the report directly with ``.venv/bin/python tests/extract/test_cases.py``
(optionally ``--only ID_PREFIX``), or ``pytest tests/extract/test_cases.py -s``.
"""

from __future__ import annotations

import importlib
import math
import re
import sys
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

CASES_DIR = Path(__file__).parent / "cases"
THRESHOLDS = CASES_DIR / "thresholds.toml"

AGENTS = {"sarin", "chlorine", "mustard", "vx", "novichok", "unspecified"}
MEANS = {"helicopter", "aircraft", "rocket", "artillery", "mortar", "ground", "poisoning",
         "unspecified"}
ACTORS = {"syrian-government", "isis", "russia", "syrian-opposition", "unknown"}
BODIES = {"opcw", "opcw-ffm", "opcw-iit", "opcw-un-jim", "un-coi", "un-sg",
          "un-security-council", "hrw", "amnesty", "snhr", "sams", "white-helmets", "msf",
          "france", "usa", "uk", "russia", "syrian-government", "syrian-opposition",
          "activists", "media"}
STANCES = {"finding", "allegation", "denial"}
PRECISIONS = {"day", "month", "year"}
FIELDS = ["date_exact", "agents_exact", "means_exact", "perpetrators", "killed_low",
          "injured_low", "attributions", "language"]
CASE_KEYS = {"id", "lang", "text", "note", "incident"}
INCIDENT_KEYS = {"place", "place_ar", "aliases", "country", "lat", "lon", "date", "date_null",
                 "agents", "means", "killed_low", "injured_low", "perpetrators",
                 "attributions", "note"}
MAX_KM = 15.0


class CaseError(Exception):
    """A malformed case file; the message names the file and the case."""


# ------------------------------------------------------------------ names
_AR_FOLD = str.maketrans({"\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627",
                          "\u0671": "\u0627", "\u0629": "\u0647", "\u0649": "\u064a",
                          "\u0624": "\u0648", "\u0626": "\u064a", "\u06cc": "\u064a",
                          "\u06a9": "\u0643"})
_AR_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_LATIN_ARTICLE = re.compile(r"^(?:[ae]l|a(?:sh|dh|th|[dnrstz]))[\s\-'\u2019\u2018`]+(?=\w)")
_KEEP = {"Lu", "Ll", "Lt", "Lo", "Nd"}


def norm_name(s: str) -> str:
    """Normalise a place name exactly as score.py does."""
    s = unicodedata.normalize("NFKC", s).casefold().translate(_AR_FOLD)
    s = _AR_MARKS.sub("", s)
    s = "".join(c for c in unicodedata.normalize("NFD", s)
                if not unicodedata.category(c).startswith("M"))
    s = re.sub(r"^\W+", "", s)
    s = _LATIN_ARTICLE.sub("", s, count=1)
    if s.startswith("\u0627\u0644") and len(s) >= 4:
        s = s[2:]
    return "".join(c for c in s if unicodedata.category(c) in _KEEP)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


# ------------------------------------------------------------------ model
@dataclass
class Expected:
    """One expected incident (partial: None / empty means "not scored")."""

    place: str | None  # None = the text names no place (prediction must be null too)
    names: frozenset[str] = frozenset()
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    dates: tuple[date, date] | None = None
    date_null: bool = False
    agents: frozenset[str] | None = None
    means: frozenset[str] | None = None
    killed: int | None = None
    injured: int | None = None
    perps: frozenset[str] = frozenset()
    attribs: frozenset[tuple[str, str]] = frozenset()

    def label(self) -> str:
        when = ("null" if self.date_null else "-") if self.dates is None else (
            "..".join(sorted({d.isoformat() for d in self.dates})))
        agents = "/".join(sorted(self.agents or [])) or "-"
        return f"{self.place if self.place is not None else '(no place)'} {when} {agents}"


@dataclass
class Case:
    id: str
    lang: str
    text: str
    file: str
    note: str = ""
    incidents: list[Expected] = field(default_factory=list)


@dataclass
class Predicted:
    names: frozenset[str]
    null_place: bool
    country: str | None
    lat: float | None
    lon: float | None
    dates: tuple[date, date] | None
    agents: frozenset[str]
    means: frozenset[str]
    perps: frozenset[str]
    killed: float | None
    injured: float | None
    attribs: frozenset[tuple[str, str]]
    label: str


# ------------------------------------------------------------------ loading
def _iso(v: object, where: str) -> date:
    if not isinstance(v, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        raise CaseError(f"{where}: date bound must be an ISO date string, got {v!r}")
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise CaseError(f"{where}: invalid date {v!r}") from None


def _codes(v: object, vocab: set[str], where: str, what: str) -> frozenset[str]:
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise CaseError(f"{where}: {what} must be a list of strings")
    bad = sorted(set(v) - vocab)
    if bad:
        raise CaseError(f"{where}: {what} codes outside CONTRACT.md: {bad}")
    return frozenset(v)


def _int(v: object, where: str, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise CaseError(f"{where}: {what} must be a non-negative integer, got {v!r}")
    return v


def _check_precision(start: date, end: date, prec: str, where: str) -> None:
    if prec == "day":
        return
    if start.day != 1:
        raise CaseError(f"{where}: a {prec}-precision date must start on the 1st")
    if prec == "year" and (start.month, end.month, end.day) != (1, 12, 31):
        raise CaseError(f"{where}: a year-precision date covers 1 Jan .. 31 Dec")
    if prec == "month":
        nxt = date(end.year + (end.month == 12), end.month % 12 + 1, 1)
        if (nxt - end).days != 1:
            raise CaseError(f"{where}: a month-precision date ends on the month's last day")


def parse_incident(raw: object, where: str) -> Expected:
    if not isinstance(raw, dict):
        raise CaseError(f"{where}: incident must be a table")
    unknown = set(raw) - INCIDENT_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown incident keys {sorted(unknown)}")
    if "place" not in raw or not isinstance(raw["place"], str):
        raise CaseError(f"{where}: 'place' (a string; \"\" for no place) is required")
    place = raw["place"].strip() or None
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise CaseError(f"{where}: aliases must be a list of strings")
    place_ar = raw.get("place_ar")
    if place_ar is not None and not isinstance(place_ar, str):
        raise CaseError(f"{where}: place_ar must be a string")
    if place is None and (aliases or place_ar or "lat" in raw or "country" in raw):
        raise CaseError(f"{where}: a null place takes no aliases/place_ar/lat/lon/country")
    names = frozenset(n for n in (norm_name(s) for s in [place or "", place_ar or "", *aliases])
                      if n)
    exp = Expected(place=place, names=names)
    if "country" in raw:
        c = raw["country"]
        if not isinstance(c, str) or not re.fullmatch(r"[A-Z]{2}", c):
            raise CaseError(f"{where}: country must be ISO 3166-1 alpha-2, got {c!r}")
        exp.country = c
    if ("lat" in raw) != ("lon" in raw):
        raise CaseError(f"{where}: give both lat and lon or neither")
    if "lat" in raw:
        lat, lon = raw["lat"], raw["lon"]
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (lat, lon)):
            raise CaseError(f"{where}: lat/lon must be numbers")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise CaseError(f"{where}: lat/lon out of range")
        exp.lat, exp.lon = float(lat), float(lon)
    if "date" in raw:
        d = raw["date"]
        if raw.get("date_null"):
            raise CaseError(f"{where}: 'date' and 'date_null' exclude each other")
        if not isinstance(d, list) or len(d) != 3 or d[2] not in PRECISIONS:
            raise CaseError(f"{where}: date must be [start, end, day|month|year]")
        start, end = _iso(d[0], where), _iso(d[1], where)
        if start > end:
            raise CaseError(f"{where}: date start {start} after end {end}")
        _check_precision(start, end, d[2], where)
        exp.dates = (start, end)
    dn = raw.get("date_null", False)
    if not isinstance(dn, bool):
        raise CaseError(f"{where}: date_null must be true or false")
    exp.date_null = dn
    if "agents" in raw:
        exp.agents = _codes(raw["agents"], AGENTS, where, "agents")
        if not exp.agents:
            raise CaseError(f'{where}: agents [] never: use ["unspecified"]')
    if "means" in raw:
        exp.means = _codes(raw["means"], MEANS, where, "means")
        if not exp.means:
            raise CaseError(f'{where}: means [] never: use ["unspecified"]')
    if "killed_low" in raw:
        exp.killed = _int(raw["killed_low"], where, "killed_low")
    if "injured_low" in raw:
        exp.injured = _int(raw["injured_low"], where, "injured_low")
    if "perpetrators" in raw:
        exp.perps = _codes(raw["perpetrators"], ACTORS - {"unknown"}, where, "perpetrators")
    atts = raw.get("attributions", [])
    pairs = set()
    if not isinstance(atts, list):
        raise CaseError(f"{where}: attributions must be a list of [by, stance] pairs")
    for a in atts:
        if (not isinstance(a, list) or len(a) != 2 or a[0] not in BODIES
                or a[1] not in STANCES):
            raise CaseError(f"{where}: bad attribution {a!r} (want [body, stance] "
                            "with codes from CONTRACT.md)")
        pairs.add((a[0], a[1]))
    exp.attribs = frozenset(pairs)
    return exp


def load_cases(directory: Path = CASES_DIR) -> list[Case]:
    """Load every ``*.toml`` case file except thresholds.toml, validating it."""
    cases: list[Case] = []
    seen: dict[str, str] = {}
    files = sorted(p for p in directory.glob("*.toml") if p.name != THRESHOLDS.name)
    if not files:
        raise CaseError(f"{directory}: no case files")
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise CaseError(f"{path.name}: not valid TOML: {e}") from None
        if set(data) != {"case"} or not isinstance(data["case"], list):
            raise CaseError(f"{path.name}: a case file holds only [[case]] tables")
        for n, raw in enumerate(data["case"], 1):
            where = f"{path.name}: case {n}"
            if not isinstance(raw, dict):
                raise CaseError(f"{where}: not a table")
            cid = raw.get("id")
            if not isinstance(cid, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", cid):
                raise CaseError(f"{where}: id must be a lower-case slug, got {cid!r}")
            where = f"{path.name}: case {cid!r}"
            if cid in seen:
                raise CaseError(f"{where}: duplicate id (also in {seen[cid]})")
            seen[cid] = path.name
            unknown = set(raw) - CASE_KEYS
            if unknown:
                raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
            if raw.get("lang") not in ("ar", "en"):
                raise CaseError(f"{where}: lang must be 'ar' or 'en'")
            text = raw.get("text")
            if not isinstance(text, str) or not text.strip():
                raise CaseError(f"{where}: text must be a non-empty string")
            incs = raw.get("incident", [])
            if not isinstance(incs, list):
                raise CaseError(f"{where}: use [[case.incident]] tables")
            cases.append(Case(
                id=cid, lang=raw["lang"], text=text, file=path.name,
                note=str(raw.get("note", "")),
                incidents=[parse_incident(r, f"{where} incident {i}")
                           for i, r in enumerate(incs, 1)]))
    return cases


# ------------------------------------------------------------------ predictions
def _opt_float(v: object) -> float | None:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    return None


def parse_predicted(inc: dict[str, Any]) -> Predicted:
    """Read one predicted incident leniently; a broken field reads as absent."""
    place = inc.get("place")
    names: set[str] = set()
    country = lat = lon = None
    label = "(no place)"
    if isinstance(place, dict):
        for k in ("name", "name_ar"):
            if isinstance(place.get(k), str) and norm_name(place[k]):
                names.add(norm_name(place[k]))
        if isinstance(place.get("country"), str) and place["country"].strip():
            country = place["country"].strip().upper()
        lat, lon = _opt_float(place.get("lat")), _opt_float(place.get("lon"))
        label = str(place.get("name") or place.get("name_ar") or "?")
    dates = None
    d = inc.get("date")
    if isinstance(d, dict):
        try:
            dates = (date.fromisoformat(str(d.get("start"))), date.fromisoformat(str(d.get("end"))))
        except ValueError:
            dates = None

    def codes(v: object) -> frozenset[str]:
        out = set()
        for x in v if isinstance(v, list) else []:
            x = x.get("id") if isinstance(x, dict) else x
            if isinstance(x, str):
                out.add(x.strip())
        return frozenset(out)

    def low(v: object) -> float | None:
        return _opt_float(v.get("low")) if isinstance(v, dict) else None

    atts = frozenset(
        (a["by"], a["stance"]) for a in inc.get("attributions") or []
        if isinstance(a, dict) and isinstance(a.get("by"), str)
        and isinstance(a.get("stance"), str))
    when = "-" if dates is None else "..".join(sorted({x.isoformat() for x in dates}))
    agents = codes(inc.get("agents"))
    return Predicted(
        names=frozenset(names), null_place=place is None, country=country, lat=lat, lon=lon,
        dates=dates, agents=agents, means=codes(inc.get("means")),
        perps=codes(inc.get("perpetrators")), killed=low(inc.get("killed")),
        injured=low(inc.get("injured")), attribs=atts,
        label=f"{label} {when} {'/'.join(sorted(agents)) or '-'}")


# ------------------------------------------------------------------ matching
def place_score(g: Expected, p: Predicted) -> int | None:
    if g.place is None:
        return 2 if p.null_place else None
    if p.null_place:
        return None
    if g.country and p.country and g.country != p.country:
        return None
    by_name = bool(g.names & p.names)
    near = (g.lat is not None and g.lon is not None and p.lat is not None and p.lon is not None
            and haversine_km(g.lat, g.lon, p.lat, p.lon) <= MAX_KM)
    return 2 * by_name + near if (by_name or near) else None


def date_score(g: Expected, p: Predicted) -> int | None:
    if g.dates is None:
        return int(p.dates is None)
    if p.dates is None or p.dates[0] > g.dates[1] or g.dates[0] > p.dates[1]:
        return None
    return int(p.dates == g.dates)


def match(golds: list[Expected], preds: list[Predicted]) -> list[tuple[int, int]]:
    cands = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            ps, ds = place_score(g, p), date_score(g, p)
            if ps is not None and ds is not None:
                cands.append((-(ps + ds + bool((g.agents or frozenset()) & p.agents)), i, j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in sorted(cands):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            out.append((i, j))
    return sorted(out)


def field_checks(g: Expected, p: Predicted) -> dict[str, bool | None]:
    """Per-field verdicts for a matched pair; None = not scored for this case."""
    if g.dates is not None:
        date_ok: bool | None = p.dates == g.dates
    else:
        date_ok = (p.dates is None) if g.date_null else None
    return {
        "date_exact": date_ok,
        "agents_exact": None if g.agents is None else p.agents == g.agents,
        "means_exact": None if g.means is None else p.means == g.means,
        "perpetrators": None if not g.perps else g.perps <= p.perps,
        "killed_low": None if g.killed is None else p.killed == g.killed,
        "injured_low": None if g.injured is None else p.injured == g.injured,
        "attributions": None if not g.attribs else g.attribs <= p.attribs,
    }


def _describe(g: Expected, p: Predicted, f: str) -> str:
    show = {
        "date_exact": (g.label().split(" ")[-2] if g.dates or g.date_null else "-",
                       "null" if p.dates is None else f"{p.dates[0]}..{p.dates[1]}"),
        "agents_exact": (sorted(g.agents or []), sorted(p.agents)),
        "means_exact": (sorted(g.means or []), sorted(p.means)),
        "perpetrators": (sorted(g.perps), sorted(p.perps)),
        "killed_low": (g.killed, p.killed),
        "injured_low": (g.injured, p.injured),
        "attributions": (sorted(g.attribs), sorted(p.attribs)),
    }[f]
    return f"{f}: want {show[0]} got {show[1]}"


# ------------------------------------------------------------------ evaluation
@dataclass
class Report:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    fields: dict[str, list[int]] = field(default_factory=lambda: {f: [0, 0] for f in FIELDS})
    lines: list[str] = field(default_factory=list)

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else float(self.fn == 0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else float(self.fp == 0)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def score(self, f: str) -> float | None:
        ok, total = self.fields[f]
        return ok / total if total else None

    def summary(self) -> str:
        p, r, f1 = self.prf()
        head = (f"incident_f1={f1:.3f} P={p:.3f} R={r:.3f} "
                f"tp={self.tp} fp={self.fp} fn={self.fn}")
        parts = [head]
        for f in FIELDS:
            s = self.score(f)
            ok, total = self.fields[f]
            parts.append(f"{f}={'n/a' if s is None else f'{s:.2f}'} ({ok}/{total})")
        return " ".join(parts)


def evaluate(cases: list[Case], extract: Any, normalize: Any) -> Report:
    rep = Report()
    for case in cases:
        text = normalize(case.text).text
        try:
            doc = extract(text, source=case.id, language=case.lang)
        except Exception as e:  # noqa: BLE001 -- one crashing case is reported, not fatal
            doc = {"incidents": [], "language": None}
            rep.lines.append(f"{case.file}:{case.id}: EXTRACTOR RAISED {type(e).__name__}: {e}")
        raw = doc.get("incidents") if isinstance(doc, dict) else None
        preds = [parse_predicted(x) for x in raw or [] if isinstance(x, dict)]
        lang_ok = isinstance(doc, dict) and doc.get("language") == case.lang
        rep.fields["language"][0] += lang_ok
        rep.fields["language"][1] += 1
        pairs = match(case.incidents, preds)
        rep.tp += len(pairs)
        rep.fp += len(preds) - len(pairs)
        rep.fn += len(case.incidents) - len(pairs)
        problems: list[str] = []
        if not lang_ok:
            problems.append(f"  language: want {case.lang} got "
                            f"{doc.get('language') if isinstance(doc, dict) else None}")
        for i, j in pairs:
            g, p = case.incidents[i], preds[j]
            for f, ok in field_checks(g, p).items():
                if ok is None:
                    continue
                rep.fields[f][0] += ok
                rep.fields[f][1] += 1
                if not ok:
                    problems.append(f"  WRONG {g.label()}: {_describe(g, p, f)}")
        for j in sorted(set(range(len(preds))) - {j for _, j in pairs}):
            problems.append(f"  FP    {preds[j].label}")
        for i in sorted(set(range(len(case.incidents))) - {i for i, _ in pairs}):
            problems.append(f"  FN    {case.incidents[i].label()}")
        if problems:
            head = f"{case.file}:{case.id}" + (f"  ({case.note})" if case.note else "")
            rep.lines.append("\n".join([head, *problems]))
    return rep


def load_thresholds(path: Path = THRESHOLDS) -> dict[str, float]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise CaseError(f"{path.name}: cannot read thresholds: {e}") from None
    out = {}
    for k, v in data.items():
        if k != "incident_f1" and k not in FIELDS:
            raise CaseError(f"{path.name}: unknown threshold {k!r}")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
            raise CaseError(f"{path.name}: threshold {k} must be a number in [0, 1]")
        out[k] = float(v)
    return out


def _extractor() -> tuple[Any, Any]:
    pytest.importorskip("bayyina.extract.pipeline",
                        reason="the extractor (bayyina.extract.pipeline) is not there yet")
    api = importlib.import_module("bayyina.extract.api")
    norm = importlib.import_module("bayyina.text.normalize")
    return api.extract_document, norm.normalize


# ------------------------------------------------------------------ tests
def test_case_files_are_well_formed() -> None:
    cases = load_cases()
    negatives = [c for c in cases if not c.incidents]
    assert len(cases) >= 70, f"only {len(cases)} cases"
    assert len(negatives) >= 25, f"only {len(negatives)} negative cases"
    assert {c.lang for c in cases} == {"ar", "en"}
    thresholds = load_thresholds()
    assert "incident_f1" in thresholds


def _oracle(cases: list[Case]) -> Any:
    """A fake extractor that returns each case's expectations in contract shape."""
    by_text = {c.text: c for c in cases}

    def extract(text: str, *, source: str, language: str | None = None) -> dict[str, Any]:
        case = by_text[text]
        incs = []
        for g in case.incidents:
            place = None if g.place is None else {
                "name": g.place, "name_ar": None, "country": g.country,
                "lat": g.lat, "lon": g.lon, "geonames_id": None}
            dates = None if g.dates is None else {
                "start": g.dates[0].isoformat(), "end": g.dates[1].isoformat()}
            incs.append({
                "place": place, "date": dates,
                "agents": sorted(g.agents or {"unspecified"}),
                "means": sorted(g.means or {"unspecified"}),
                "killed": None if g.killed is None else {"low": g.killed, "high": None},
                "injured": None if g.injured is None else {"low": g.injured, "high": None},
                "perpetrators": sorted(g.perps),
                "attributions": [{"by": b, "against": "unknown", "stance": s}
                                 for b, s in sorted(g.attribs)]})
        return {"source": source, "language": case.lang, "incidents": incs}

    return extract


def test_probe_files_are_well_formed_and_self_consistent() -> None:
    """The probes kept out of the gates (tests/extract/probes) parse like the cases, and their expectations
    fed back through the matcher score 1.0 (their score is measured, not gated: ``--dir``)."""
    probes = load_cases(Path(__file__).parent / "probes")
    assert len(probes) >= 10
    rep = evaluate(probes, _oracle(probes), lambda t: type("N", (), {"text": t})())
    assert rep.prf()[2] == 1.0, rep.summary()


def test_matcher_self_check() -> None:
    """Expectations fed back as predictions score perfectly; nothing scores recall 0."""
    cases = load_cases()
    rep = evaluate(cases, _oracle(cases), lambda t: type("N", (), {"text": t})())
    assert rep.prf()[2] == 1.0, "\n".join(rep.lines)
    assert all(rep.score(f) in (1.0, None) for f in FIELDS), rep.summary()
    empty = evaluate(cases, lambda t, **k: {"language": None, "incidents": []},
                     lambda t: type("N", (), {"text": t})())
    assert empty.tp == 0 and empty.fn == sum(len(c.incidents) for c in cases)


def test_extractor_on_own_cases() -> None:
    extract, normalize = _extractor()
    cases = load_cases()
    thresholds = load_thresholds()
    rep = evaluate(cases, extract, normalize)
    print("\n\n".join(rep.lines))
    print(rep.summary())
    failures = []
    f1 = rep.prf()[2]
    if f1 < thresholds.get("incident_f1", 0.0):
        failures.append(f"incident_f1 {f1:.3f} < {thresholds['incident_f1']}")
    for f in FIELDS:
        s = rep.score(f)
        if f in thresholds and s is not None and s < thresholds[f]:
            failures.append(f"{f} {s:.3f} < {thresholds[f]}")
    assert not failures, "; ".join(failures) + "\n" + rep.summary()


def main(argv: list[str]) -> int:
    """Print the per-case report (``--only PREFIX`` restricts to matching ids; ``--dir DIR`` reads
    another folder of case files, e.g. the probes in tests/extract/probes)."""
    try:
        cases = load_cases(Path(argv[argv.index("--dir") + 1]) if "--dir" in argv else CASES_DIR)
    except CaseError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if "--only" in argv:
        prefix = argv[argv.index("--only") + 1]
        cases = [c for c in cases if c.id.startswith(prefix)]
    from bayyina.extract.api import extract_document
    from bayyina.text.normalize import normalize

    rep = evaluate(cases, extract_document, normalize)
    print("\n\n".join(rep.lines))
    print(rep.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
