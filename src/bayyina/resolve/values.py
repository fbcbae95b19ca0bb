"""Sourced values of an incident: every field keeps all its values side by side,
each with the document, report and evidence span it comes from, and the value
chosen with the reason.

Choice rules, in order: the linked official finding's value (date, agents,
perpetrators); the value most independent sources give; for dates the most
specific precision (day > month > year); for casualty figures the highest; and
finally the earliest report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bayyina.resolve.features import date_range, norm_name
from bayyina.store.models_resolve import Finding

FIELDS = ("place", "date", "agents", "means", "killed", "injured", "perpetrators")
PRECISION = {"day": 3, "month": 2, "year": 1}


@dataclass(frozen=True)
class ReportView:
    """What resolving needs of one incident report."""

    report_id: int
    document_id: int
    source: str
    data: dict[str, Any]


@dataclass
class SourcedValue:
    """One value of one field and everywhere it comes from."""

    value: Any
    text: str
    reports: list[dict[str, Any]] = field(default_factory=list)  # {document_id, report_id, source, evidence}

    @property
    def sources(self) -> set[str]:
        return {r["source"] for r in self.reports}


def display(fname: str, value: Any) -> str:
    """A short human form of a field value."""
    if value is None:
        return "—"
    if fname == "place":
        return f"{value.get('name') or ''} / {value.get('name_ar') or ''}".strip(" /")
    if fname == "date":
        s = value["start"] if value.get("start") == value.get("end") else f"{value.get('start')}..{value.get('end')}"
        return f"{s} ({value.get('precision')})"
    if fname in ("killed", "injured"):
        lo, hi = value.get("low"), value.get("high")
        return f"≥{lo}" if hi is None else (str(lo) if lo == hi else f"{lo}–{hi}")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _key(fname: str, value: Any) -> str:
    if fname == "place" and isinstance(value, dict):
        return str(value.get("geonames_id") or norm_name(value.get("name")) or norm_name(value.get("name_ar")))
    if fname == "date" and isinstance(value, dict):
        return f"{value.get('start')}|{value.get('end')}|{value.get('precision')}"
    if isinstance(value, list):
        return json.dumps(sorted(value))
    return json.dumps(value, sort_keys=True)


def _hints(fname: str, value: Any) -> list[str]:
    if fname == "place":
        return [h for h in (value.get("name"), value.get("name_ar")) if h]
    if fname in ("killed", "injured"):
        return [str(value.get("low"))] if value.get("low") is not None else []
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def _spans(rep: ReportView, fname: str, value: Any) -> list[dict[str, Any]]:
    """Evidence spans of a report that show the value (the first span when none shows it)."""
    ev = [e for e in (rep.data.get("evidence") or []) if isinstance(e, dict)]
    hints = [h.lower() for h in _hints(fname, value)]
    hit = [e for e in ev if any(h in str(e.get("text", "")).lower() for h in hints)]
    return [{"start": e.get("start"), "end": e.get("end"), "text": e.get("text")} for e in (hit or ev)[:2]]


def gather(reports: list[ReportView], fname: str) -> list[SourcedValue]:
    """All values of one field across reports, grouped (value -> its reports)."""
    groups: dict[str, SourcedValue] = {}
    for rep in reports:
        value = rep.data.get(fname)
        if value is None or value == [] or (isinstance(value, list) and value == ["unspecified"]):
            continue
        if fname in ("agents", "means", "perpetrators") and isinstance(value, list):
            value = sorted(value)
        sv = groups.setdefault(_key(fname, value), SourcedValue(value, display(fname, value)))
        sv.reports.append({"document_id": rep.document_id, "report_id": rep.report_id, "source": rep.source,
                           "evidence": _spans(rep, fname, value)})
    return list(groups.values())


def _finding_value(fname: str, findings: list[Finding], reports: list[ReportView]) -> tuple[Any, str] | None:
    """The value the linked finding gives for a field, with the reason; None when it gives none."""
    for f in findings:
        if f.outcome == "use-not-established":
            continue
        for fi in f.incidents:
            fr = date_range(fi)
            covered = any((r := date_range(rep.data.get("date"))) and fr and r[0] <= fr[1] and fr[0] <= r[1]
                          for rep in reports)
            if not covered:
                continue
            why = f"official finding {f.symbol} ({f.body})"
            if fname == "date":
                return {"start": fi["start"], "end": fi["end"], "precision": "day"}, why
            if fname == "agents" and fi.get("agents"):
                return sorted(fi["agents"]), why
            if fname == "perpetrators" and f.party:
                return [f.party], why + f", which names {f.party_named}"
    return None


def choose(fname: str, values: list[SourcedValue], findings: list[Finding],
           reports: list[ReportView]) -> tuple[Any, str]:
    """The chosen value of a field and why."""
    official = _finding_value(fname, findings, reports)
    if official is not None:
        return official
    if not values:
        return None, "no report gives a value"
    def rank(sv: SourcedValue) -> tuple[float, ...]:
        first = min(r["report_id"] for r in sv.reports)
        extra = 0.0
        if fname == "date":
            extra = PRECISION.get(str(sv.value.get("precision")), 0)
        elif fname in ("killed", "injured"):
            extra = float(sv.value.get("low") or 0)
        elif fname == "place":
            extra = 1.0 if sv.value.get("geonames_id") else 0.0
        return (len(sv.sources), extra, -first)
    ordered = sorted(values, key=rank, reverse=True)
    best = ordered[0]
    n = len(best.sources)
    if len(ordered) == 1:
        return best.value, f"the only value ({n} source{'s' if n != 1 else ''})"
    runner = ordered[1]
    if n > len(runner.sources):
        return best.value, f"given by the most independent sources ({n} of {len(values)} values)"
    if fname == "date" and rank(best)[1] > rank(runner)[1]:
        return best.value, f"most specific date ({best.value.get('precision')}) among equally sourced values"
    if fname in ("killed", "injured") and rank(best)[1] > rank(runner)[1]:
        return best.value, "sources disagree; the highest reported figure is chosen (tolls rise as the dead are counted)"
    return best.value, "sources disagree equally; the value of the earliest report is chosen"


def incident_values(reports: list[ReportView], findings: list[Finding]) -> dict[str, Any]:
    """``{field: {"values": [...], "chosen": value, "chosen_text": str, "why": str}}`` plus attributions."""
    out: dict[str, Any] = {}
    for fname in FIELDS:
        values = gather(reports, fname)
        chosen, why = choose(fname, values, findings, reports)
        out[fname] = {
            "values": [{"value": v.value, "text": v.text, "reports": v.reports} for v in values],
            "chosen": chosen,
            "chosen_text": display(fname, chosen),
            "why": why,
        }
    atts: list[dict[str, Any]] = []
    for rep in reports:
        for a in rep.data.get("attributions") or []:
            if isinstance(a, dict):
                atts.append({**a, "document_id": rep.document_id, "report_id": rep.report_id, "source": rep.source})
    out["attributions"] = atts
    return out
