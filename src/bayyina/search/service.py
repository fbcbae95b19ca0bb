"""Answering a search: query analysis, the database query, ranking, snippets.

``search(session, query, kinds=..., limit=...)`` returns :class:`Hit` rows
(kind, id, title, score, snippet). Every query word must match one of its
forms (:func:`bayyina.search.analyzer.query_terms`); the last word also
matches as a prefix. The match expression is built from analysed terms only
(letters and digits, each quoted), so FTS5 / tsquery syntax in the user's
query (``"``, ``*``, ``NEAR(``, ``'``, ``:``, ``&``) is never interpreted.

The snippet is cut from the record's normalised text around the first
matching token; matching tokens are wrapped in ``<mark>…</mark>`` (HTML,
the rest escaped) or ``**…**`` (``highlight="text"``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from bayyina.search.analyzer import QueryTerm, Token, iter_tokens, matches, query_terms
from bayyina.search.index import KINDS

MAX_QUERY_CHARS = 1000
MAX_TERMS = 32
MAX_LIMIT = 500
SNIPPET_BEFORE = 60
SNIPPET_AFTER = 140


class SearchError(ValueError):
    """A query that cannot be run (empty, too long, bad kind or limit); the message says why."""


@dataclass(frozen=True)
class Hit:
    """One search result."""

    kind: str
    id: int
    title: str
    score: float
    snippet: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def parse_query(query: str) -> list[QueryTerm]:
    """The query's terms, or :class:`SearchError` saying why it cannot be searched."""
    if not isinstance(query, str):
        raise SearchError("the query must be text")
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(f"the query is too long: {len(query)} characters (at most {MAX_QUERY_CHARS})")
    terms = query_terms(query)
    if not terms:
        raise SearchError("the query has no words to search for (letters or digits)")
    if len(terms) > MAX_TERMS:
        raise SearchError(f"the query has too many words: {len(terms)} (at most {MAX_TERMS})")
    return terms


def fts5_expression(terms: list[QueryTerm]) -> str:
    """The FTS5 MATCH expression: every term, one of its forms each."""
    groups = []
    for t in terms:
        star = "*" if t.prefix else ""
        groups.append("(" + " OR ".join(f'"{f}"{star}' for f in t.forms) + ")")
    return " AND ".join(groups)


def tsquery_expression(terms: list[QueryTerm]) -> str:
    """The PostgreSQL ``to_tsquery('simple', ...)`` text for the same terms."""
    groups = []
    for t in terms:
        star = ":*" if t.prefix else ""
        groups.append("(" + " | ".join(f"'{f}'{star}" for f in t.forms) + ")")
    return " & ".join(groups)


def _kinds(kinds: Iterable[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(kinds or KINDS))
    bad = [k for k in chosen if k not in KINDS]
    if bad:
        raise SearchError(f"unknown kind {bad[0]!r}: choose from {', '.join(KINDS)}")
    return chosen


def visibility_sql(levels: Sequence[str], params: dict[str, Any]) -> str:
    """SQL keeping only documents at ``levels`` and incidents with a member report from such a document.

    Actors are not documents' material and stay. ``params`` receives the bound levels.
    """
    names = []
    for i, level in enumerate(levels):
        params[f"lv{i}"] = level
        names.append(f":lv{i}")
    inside = ", ".join(names) or "NULL"
    return (
        f"(s.kind NOT IN ('document', 'incident')"
        f" OR (s.kind = 'document' AND EXISTS (SELECT 1 FROM documents d WHERE d.id = s.ref_id"
        f" AND d.sensitivity IN ({inside})))"
        f" OR (s.kind = 'incident' AND EXISTS (SELECT 1 FROM incident_members m"
        f" JOIN incident_reports r ON r.id = m.incident_report_id JOIN documents d ON d.id = r.document_id"
        f" WHERE m.incident_id = s.ref_id AND m.active = :vis_true AND d.sensitivity IN ({inside}))))"
    )


def search(session: Session, query: str, *, kinds: Iterable[str] | None = None, limit: int = 20,
           highlight: str = "html", levels: Sequence[str] | None = None) -> list[Hit]:
    """The best ``limit`` records matching ``query`` (see the module docstring).

    ``levels``: the sensitivity levels the reader may see; documents at other
    levels, and incidents none of whose member reports comes from a visible
    document, are left out (an incident with some hidden members still needs
    its snippet redacted: ``bayyina.web.clearance.visible_hits``). None: no filter.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if highlight not in ("html", "text"):
        raise SearchError(f"highlight must be 'html' or 'text', not {highlight!r}")
    ks = _kinds(kinds)
    terms = parse_query(query)
    kind_sql = ", ".join(f":k{i}" for i in range(len(ks)))
    params: dict[str, Any] = {f"k{i}": k for i, k in enumerate(ks)} | {"lim": limit}
    seen = ""
    if levels is not None:
        seen = " AND " + visibility_sql(levels, params)
        params["vis_true"] = True
    if session.get_bind().dialect.name == "sqlite":
        params["q"] = fts5_expression(terms)
        sql = (
            "SELECT s.kind, s.ref_id, s.title, s.body, -bm25(search_fts) AS score "
            "FROM search_fts JOIN search_index s ON s.id = search_fts.rowid "
            f"WHERE search_fts MATCH :q AND s.kind IN ({kind_sql}){seen} ORDER BY bm25(search_fts) LIMIT :lim"
        )
    else:
        params["q"] = tsquery_expression(terms)
        sql = (
            "SELECT s.kind, s.ref_id, s.title, s.body, ts_rank(s.tsv, q.q) AS score "
            "FROM search_index s, to_tsquery('simple', :q) AS q(q) "
            f"WHERE s.tsv @@ q.q AND s.kind IN ({kind_sql}){seen} ORDER BY score DESC, s.id LIMIT :lim"
        )
    rows = session.execute(text(sql), params).all()
    return [
        Hit(str(k), int(r), str(t), round(float(sc), 6), snippet(str(b), terms, highlight=highlight))
        for k, r, t, b, sc in rows
    ]


def record_matches(body: str, terms: list[QueryTerm]) -> bool:
    """Whether every query term matches a token of ``body`` (as the index would match it).

    Used to re-check a record after redaction (``bayyina.web.clearance.visible_hits``):
    a hit whose query matched only inside a span the reader may not see is dropped.
    """
    tokens = list(iter_tokens(body))
    return all(any(matches(tok, t) for tok in tokens) for t in terms)


def snippet(body: str, terms: list[QueryTerm], *, highlight: str = "html") -> str:
    """A piece of ``body`` around the first match, matching tokens marked."""
    hits: list[Token] = []
    for t in iter_tokens(body):  # up to the end of the window after the first match
        if hits and t.start > hits[0].end + SNIPPET_AFTER + 20:
            break
        if any(matches(t, q) for q in terms):
            hits.append(t)
    if not hits:
        return _escape(body[: SNIPPET_BEFORE + SNIPPET_AFTER], highlight)
    first = hits[0]
    a = max(0, first.start - SNIPPET_BEFORE)
    b = min(len(body), first.end + SNIPPET_AFTER)
    while a > 0 and not body[a - 1].isspace() and first.start - a < SNIPPET_BEFORE + 20:
        a -= 1  # do not cut a word in two
    while b < len(body) and not body[b].isspace() and b - first.end < SNIPPET_AFTER + 20:
        b += 1
    opn, close = ("<mark>", "</mark>") if highlight == "html" else ("**", "**")
    out: list[str] = ["…" if a > 0 else ""]
    pos = a
    for t in hits:
        if t.start < a or t.end > b:
            continue
        out.append(_escape(body[pos : t.start], highlight))
        out.append(opn + _escape(body[t.start : t.end], highlight) + close)
        pos = t.end
    out.append(_escape(body[pos:b], highlight))
    out.append("…" if b < len(body) else "")
    return "".join(out).replace("\n", " ")


def _escape(s: str, highlight: str) -> str:
    return html.escape(s, quote=False) if highlight == "html" else s
