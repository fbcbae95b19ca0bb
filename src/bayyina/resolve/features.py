"""Matching features for incident reports: one small function per feature.

Each feature compares two contract incidents (``place``, ``date``, ``agents``,
``means``, ``killed`` ...) and returns a :class:`Feature` - a named weight with
a sentence that explains it - or None when it does not apply. A pair's score is
the sum of the weights (:func:`score`). Weights and thresholds are data
(``data/resolve.toml``).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from bayyina.text.normalize import fold_str

DATA_DIR = Path(__file__).parent / "data"
ARTICLES = ("al-", "el-", "ال")


@dataclass(frozen=True)
class Config:
    """Weights and thresholds from ``data/resolve.toml``."""

    merge_threshold: float
    suggest_threshold: float
    near_km: float
    date_near_days: int
    weights: dict[str, float]


@lru_cache(maxsize=1)
def config() -> Config:
    """The matching configuration (read once)."""
    path = DATA_DIR / "resolve.toml"
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        return Config(
            merge_threshold=float(raw["merge_threshold"]),
            suggest_threshold=float(raw["suggest_threshold"]),
            near_km=float(raw["near_km"]),
            date_near_days=int(raw["date_near_days"]),
            weights={str(k): float(v) for k, v in raw["weights"].items()},
        )
    except (OSError, KeyError, ValueError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path}: bad matching configuration: {exc.__class__.__name__}: {exc}") from exc


@dataclass(frozen=True)
class Feature:
    """One fired feature: its name, weight and a sentence saying why."""

    name: str
    weight: float
    reason: str


# --------------------------------------------------------------------- helpers


def norm_name(name: str | None) -> str:
    """A place name folded for comparison: case, diacritics, hamza/alef, article, spaces and hyphens."""
    if not name:
        return ""
    s = fold_str(name).strip()
    for art in ARTICLES:
        s = s.removeprefix(art)
    return "".join(ch for ch in s if ch.isalnum())


def place_names(place: dict[str, Any] | None) -> set[str]:
    """The normalised names (English, Arabic, aliases) of a contract place."""
    if not place:
        return set()
    names = [place.get("name"), place.get("name_ar"), *(place.get("aliases") or [])]
    return {n for n in (norm_name(x) for x in names if isinstance(x, str)) if n}


def distance_km(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float | None:
    """Great-circle distance between two places, None when either lacks coordinates."""
    try:
        lat1, lon1 = float(a["lat"]), float(a["lon"])  # type: ignore[index]
        lat2, lon2 = float(b["lat"]), float(b["lon"])  # type: ignore[index]
    except (TypeError, KeyError, ValueError):
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def date_range(d: dict[str, Any] | None) -> tuple[date, date] | None:
    """(start, end) of a contract date, None when absent or malformed."""
    if not d:
        return None
    try:
        start = date.fromisoformat(str(d["start"]))
        end = date.fromisoformat(str(d.get("end") or d["start"]))
    except (KeyError, ValueError, TypeError):
        return None
    return (start, end) if start <= end else (end, start)


def days_apart(a: tuple[date, date], b: tuple[date, date]) -> int:
    """0 when two ranges overlap, else the days between them."""
    if a[0] <= b[1] and b[0] <= a[1]:
        return 0
    return min(abs((a[0] - b[1]).days), abs((b[0] - a[1]).days))


def _specific(codes: list[str] | None) -> set[str]:
    return {c for c in (codes or []) if c and c != "unspecified"}


def _label(place: dict[str, Any] | None) -> str:
    return str((place or {}).get("name") or (place or {}).get("name_ar") or "?")


# --------------------------------------------------------------------- features


def same_place(a: dict[str, Any], b: dict[str, Any]) -> Feature | None:
    """Same GeoNames id, or the same name after normalisation."""
    pa, pb = a.get("place"), b.get("place")
    if not pa or not pb:
        return None
    w = config().weights["same_place"]
    if pa.get("geonames_id") and pa.get("geonames_id") == pb.get("geonames_id"):
        return Feature("same_place", w, f"same place: {_label(pa)} (GeoNames {pa['geonames_id']})")
    common = place_names(pa) & place_names(pb)
    if common:
        return Feature("same_place", w, f"same place name: {_label(pa)} / {_label(pb)}")
    return None


def near_place(a: dict[str, Any], b: dict[str, Any]) -> Feature | None:
    """Different names, coordinates within ``near_km``; or clearly apart (a negative weight)."""
    if same_place(a, b) is not None:
        return None
    km = distance_km(a.get("place"), b.get("place"))
    if km is None:
        return None
    cfg = config()
    if km <= cfg.near_km:
        return Feature("near_place", cfg.weights["near_place"],
                       f"{_label(a.get('place'))} and {_label(b.get('place'))} are {km:.1f} km apart (≤ {cfg.near_km:g} km)")
    return Feature("far_place", cfg.weights["far_place"],
                   f"{_label(a.get('place'))} and {_label(b.get('place'))} are {km:.0f} km apart")


def date_match(a: dict[str, Any], b: dict[str, Any]) -> Feature | None:
    """Overlapping dates; close dates; or dates far apart (a negative weight)."""
    ra, rb = date_range(a.get("date")), date_range(b.get("date"))
    if ra is None or rb is None:
        return None
    cfg = config()
    gap = days_apart(ra, rb)
    if gap == 0:
        return Feature("date_overlap", cfg.weights["date_overlap"], f"dates overlap ({ra[0]}..{ra[1]} / {rb[0]}..{rb[1]})")
    if gap <= cfg.date_near_days:
        return Feature("date_near", cfg.weights["date_near"], f"dates {gap} day(s) apart")
    return Feature("date_far", cfg.weights["date_far"], f"dates {gap} days apart")


def agents_match(a: dict[str, Any], b: dict[str, Any]) -> Feature | None:
    """Compatible agents (equal, or one side unspecified) or conflicting ones."""
    sa, sb = _specific(a.get("agents")), _specific(b.get("agents"))
    w = config().weights
    if not sa or not sb:
        return Feature("agents_compatible", w["agents_compatible"], "agents compatible (one side unspecified)")
    if sa & sb:
        return Feature("agents_compatible", w["agents_compatible"], f"same agent: {', '.join(sorted(sa & sb))}")
    return Feature("agents_conflict", w["agents_conflict"],
                   f"different agents: {', '.join(sorted(sa))} / {', '.join(sorted(sb))}")


def shared_means(a: dict[str, Any], b: dict[str, Any]) -> Feature | None:
    """At least one specific means in common."""
    common = _specific(a.get("means")) & _specific(b.get("means"))
    if not common:
        return None
    return Feature("shared_means", config().weights["shared_means"], f"same means: {', '.join(sorted(common))}")


def casualties_close(a: dict[str, Any], b: dict[str, Any]) -> Feature | None:
    """Killed figures within ``casualty_ratio`` of each other."""
    ka, kb = (a.get("killed") or {}).get("low"), (b.get("killed") or {}).get("low")
    if not isinstance(ka, int) or not isinstance(kb, int) or max(ka, kb) == 0:
        return None
    w = config().weights
    if abs(ka - kb) <= w["casualty_ratio"] * max(ka, kb):
        return Feature("casualties_close", w["casualties_close"], f"killed figures close: {ka} / {kb}")
    return None


FEATURES = (same_place, near_place, date_match, agents_match, shared_means, casualties_close)


def compare(a: dict[str, Any], b: dict[str, Any]) -> list[Feature]:
    """Every feature that fires for a pair of contract incidents."""
    return [f for f in (fn(a, b) for fn in FEATURES) if f is not None]


def score(features: list[Feature]) -> float:
    """The pair's score: the sum of the fired features' weights."""
    return float(sum(f.weight for f in features))


def explain(features: list[Feature]) -> str:
    """One line: each feature's weight and reason."""
    return "; ".join(f"{f.reason} ({f.weight:+g})" for f in features)
