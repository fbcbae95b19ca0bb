"""Confidence grades of an incident, each with a sentence that explains it.

* ``confirmed``: an official finding of use is linked to the incident;
* ``disputed``: a linked finding did not establish use, or a report carries a
  denial attribution (with a confirming finding the grade stays confirmed and
  the denial is named in the reason);
* ``corroborated``: at least two independent sources;
* ``single-source``: one source.

Sources are independent when they come from different outlets: the agency a
text names as its wire (``data/agencies.tsv``: Reuters, AFP, AP, Anadolu,
SANA ...) decides first - two outlets carrying the same Reuters copy are one
source - then an ``outlet:``/``source:`` label, then the host of the
document's source URL, else the document itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bayyina.resolve.findings import CONFIRMING
from bayyina.store.models import Document
from bayyina.store.models_resolve import Finding
from bayyina.text.normalize import fold_str

AGENCIES = Path(__file__).parent / "data" / "agencies.tsv"
HEAD_CHARS = 600  # a wire credit sits in the dateline or the first lines


@lru_cache(maxsize=1)
def agency_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """(agency code, folded pattern) pairs from ``data/agencies.tsv``."""
    out: list[tuple[str, re.Pattern[str]]] = []
    try:
        lines = AGENCIES.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ValueError(f"{AGENCIES}: cannot read the agency list: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise ValueError(f"{AGENCIES}:{n}: expected 'code<TAB>pattern|pattern'")
        for pat in parts[1].split("|"):
            folded = re.escape(fold_str(pat))
            # folded text is lower-case: whole words only, so 'ap' never matches inside a word
            out.append((parts[0], re.compile(rf"(?<![\w]){folded}(?![\w])")))
    return out


def agency_of(text: str) -> str | None:
    """The wire agency a text credits near its start, or None."""
    head = fold_str(text[:HEAD_CHARS])
    for code, pat in agency_patterns():
        if pat.search(head):
            return code
    return None


def source_of(doc: Document) -> str:
    """The independent-source key of a document (see the module docstring)."""
    agency = agency_of(doc.norm_text or "")
    if agency:
        return f"agency:{agency}"
    for label in doc.labels or []:
        for prefix in ("outlet:", "source:"):
            if label.startswith(prefix) and label[len(prefix):]:
                return "outlet:" + label[len(prefix):].lower()
    if doc.source_url:
        host = (urlparse(doc.source_url).hostname or "").lower()
        host = host.removeprefix("www.")
        if host:
            return f"host:{host}"
    return f"document:{doc.id}"


@dataclass(frozen=True)
class Grade:
    """A confidence grade and the sentence explaining it."""

    grade: str
    reason: str


def grade(reports: list[dict[str, Any]], sources: dict[int, str], findings: list[Finding]) -> Grade:
    """Grade an incident from its reports' data, ``document id -> source`` and its linked findings."""
    confirming = [f for f in findings if f.outcome in CONFIRMING]
    contrary = [f for f in findings if f.outcome not in CONFIRMING]
    denials = sorted({f"{a.get('by')} (against {a.get('against')})" for r in reports
                      for a in (r.get("attributions") or []) if isinstance(a, dict) and a.get("stance") == "denial"})
    distinct = sorted(set(sources.values()))
    if contrary:
        return Grade("disputed", "disputed: " + "; ".join(f"{f.symbol} ({f.body}) did not establish use" for f in contrary)
                     + (f"; confirming: {', '.join(f.symbol for f in confirming)}" if confirming else "") + ".")
    if confirming:
        reason = "confirmed by official finding " + "; ".join(
            f"{f.symbol} ({f.body}, {f.date}): {f.outcome}" + (f", names {f.party_named}" if f.party_named else "")
            for f in confirming)
        if denials:
            reason += f"; denied by {', '.join(denials)}"
        return Grade("confirmed", reason + ".")
    if denials:
        return Grade("disputed", f"disputed: a report carries a denial by {', '.join(denials)}; "
                                 f"{len(distinct)} independent source(s): {', '.join(distinct)}.")
    if len(distinct) >= 2:
        return Grade("corroborated", f"corroborated by {len(distinct)} independent sources: {', '.join(distinct)}.")
    docs = len(sources)
    same = f" ({docs} documents carry the same source)" if docs > 1 else ""
    return Grade("single-source", f"single source: {distinct[0] if distinct else 'none'}{same}.")
