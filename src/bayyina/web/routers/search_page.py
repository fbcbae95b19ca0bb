"""``GET /search?q=&kind=&page=``: the search page (server-rendered, Arabic right-to-left by default).

The page asks the same service as ``GET /api/search`` (``bayyina.search``)
through the same session (``routers.search.search_session``: read-only, the
request user's clearance; the index is kept fresh at write time), and filters the hits
the same way (``search(..., levels=...)`` then
``bayyina.web.clearance.visible_hits``): a reader never sees, in the list or
in the counts, a document above their clearance or an incident none of whose
sources they may see.

Above the list: how many results each kind has (counted with the same match
expression and the same visibility filter, capped at :data:`COUNT_CAP`);
below it, :data:`PER_PAGE` results per page, each with its title linked to the
document, incident or actor page and a snippet whose matched words are marked.
Snippets are rendered safely: :func:`marked` unescapes the service's escaped
text, escapes it again and turns only the service's ``<mark>`` markers into
elements, so text from a document (``<script>``...) is shown, never run.

An empty query shows the form; a query that cannot be searched (only
punctuation, too long, too many words, an unknown kind) shows the reason in the
reader's language with status 400.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape
from sqlalchemy import text
from sqlalchemy.orm import Session

from bayyina.search.analyzer import query_terms
from bayyina.search.index import KINDS
from bayyina.search.service import (
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    MAX_TERMS,
    Hit,
    SearchError,
    fts5_expression,
    parse_query,
    search,
    tsquery_expression,
    visibility_sql,
)
from bayyina.web.clearance import sight, visible_hits
from bayyina.web.deps import LangDep
from bayyina.web.i18n import Translator
from bayyina.web.routers.pages import render
from bayyina.web.routers.search import search_session

router = APIRouter(tags=["pages"], include_in_schema=False)

PER_PAGE = 20
MAX_PAGE = MAX_LIMIT // PER_PAGE  # the service answers at most MAX_LIMIT hits
COUNT_CAP = 1000
_MARKER = re.compile(r"(</?mark>)")
_LINKS = {"document": "/documents/{}", "incident": "/incidents/{}", "actor": "/actors#actor-{}"}


def marked(snippet: str) -> Markup:
    """A snippet of the service (HTML-escaped text with ``<mark>`` markers) as safe HTML.

    Everything is escaped again from the plain text; only the markers become
    ``<mark>`` elements. A ``<mark>`` written in a document reaches here escaped
    (``&lt;mark&gt;``), so it is never taken for a marker.
    """
    out: list[str] = []
    inside = False
    for part in _MARKER.split(snippet):
        if part in ("<mark>", "</mark>"):
            inside = part == "<mark>"
            continue
        if part:
            safe = str(escape(html.unescape(part)))
            out.append(f"<mark>{safe}</mark>" if inside else safe)
    return Markup("".join(out))


@dataclass(frozen=True)
class Result:
    """One result as the page shows it."""

    kind: str
    id: int
    title: str
    url: str
    snippet: Markup


def _result(h: Hit) -> Result:
    title = h.title
    prefix = f"incident {h.id}"
    if h.kind == "incident" and title.startswith(prefix):  # the index's English title: the page labels it
        title = title[len(prefix):].lstrip(": ").strip()
    return Result(h.kind, h.id, title, _LINKS[h.kind].format(h.id), marked(h.snippet))


def count_hits(session: Session, query: str) -> dict[str, int]:
    """How many records of each kind match ``query`` for the session's reader (at most COUNT_CAP + 1 each).

    The match expression and the visibility filter are the service's
    (``search(..., levels=...)``); incidents with some hidden sources go through
    ``visible_hits`` like the API's hits, so an incident the query matches only
    through hidden material is not counted.
    """
    terms = parse_query(query)
    seen = sight(session)
    params: dict[str, Any] = {"cap": COUNT_CAP + 1}
    where = ""
    if not seen.everything:
        where = " AND " + visibility_sql(seen.levels, params)
        params["vis_true"] = True
    if session.get_bind().dialect.name == "sqlite":
        params["q"] = fts5_expression(terms)
        source = ("FROM search_fts JOIN search_index s ON s.id = search_fts.rowid "
                  "WHERE search_fts MATCH :q")
    else:
        params["q"] = tsquery_expression(terms)
        source = "FROM search_index s WHERE s.tsv @@ to_tsquery('simple', :q)"
    counts: dict[str, int] = {}
    for kind in KINDS:
        ids = [int(r) for r in session.execute(
            text(f"SELECT s.ref_id {source} AND s.kind = :kind{where} LIMIT :cap"), {**params, "kind": kind}
        ).scalars()]
        if kind in ("incident", "document") and not seen.everything and ids:  # documents: marked spans
            ids = [h.id for h in visible_hits(session, [Hit(kind, i, "", 0.0, "") for i in ids], query)]
        counts[kind] = len(ids)
    return counts


def _problem(t: Translator, q: str, kind: str) -> str | None:
    """Why the query cannot be searched, in the reader's language (None: it can)."""
    if kind and kind not in KINDS:
        return t("search_bad_kind").format(kind=kind, kinds=", ".join(KINDS))
    if len(q) > MAX_QUERY_CHARS:
        return t("search_too_long").format(chars=len(q), max=MAX_QUERY_CHARS)
    words = len(query_terms(q))
    if words == 0:
        return t("search_no_words")
    if words > MAX_TERMS:
        return t("search_too_many_words").format(words=words, max=MAX_TERMS)
    return None


def _url(q: str, kind: str, page: int = 1) -> str:
    params = [("q", q)] + ([("kind", kind)] if kind else []) + ([("page", str(page))] if page > 1 else [])
    return "/search?" + urlencode(params)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    t: LangDep,
    session: Annotated[Session, Depends(search_session)],
    q: Annotated[str, Query(max_length=4 * MAX_QUERY_CHARS)] = "",
    kind: Annotated[str, Query(max_length=40)] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    """The search form, the result counts per kind and one page of results with marked snippets."""
    ctx: dict[str, Any] = {"search_q": q, "kind": kind, "kinds": KINDS, "page": page, "problem": None,
                           "counts": None, "results": [], "total": 0, "prev_url": None, "next_url": None,
                           "capped": False, "first": (page - 1) * PER_PAGE + 1}
    if not q.strip():
        return render(request, t, "search.html", ctx)
    problem = _problem(t, q, kind)
    if problem:
        ctx["problem"] = problem
        return render(request, t, "search.html", ctx, status_code=400)
    kinds = [kind] if kind else None
    want = min(MAX_LIMIT, page * PER_PAGE + 1)  # one more than shown: is there a next page?
    try:
        seen = sight(session)
        counts = count_hits(session, q)
        if seen.everything:
            hits = search(session, q, kinds=kinds, limit=want)
        else:  # like /api/search: some incident hits may drop once redacted
            more = min(MAX_LIMIT, want * 2 + 10)
            hits = visible_hits(session, search(session, q, kinds=kinds, limit=more, levels=seen.levels), q)[:want]
    except SearchError as exc:  # _problem caught the known cases; the service's reason otherwise
        ctx["problem"] = f"{t('search_invalid')}: {exc}"
        return render(request, t, "search.html", ctx, status_code=400)
    shown = hits[(page - 1) * PER_PAGE : page * PER_PAGE]
    total = counts[kind] if kind else sum(counts.values())
    ctx.update({
        "counts": counts, "total": total, "results": [_result(h) for h in shown],
        "tabs": [("", t("search_all"), sum(counts.values()), _url(q, ""))] + [
            (k, t("nav_" + k + "s"), counts[k], _url(q, k)) for k in KINDS],
        "prev_url": _url(q, kind, page - 1) if page > 1 else None,
        "next_url": _url(q, kind, page + 1) if len(hits) > page * PER_PAGE and page < MAX_PAGE else None,
        "capped": total > MAX_LIMIT or any(c > COUNT_CAP for c in counts.values()),
        "cap": COUNT_CAP,
    })
    return render(request, t, "search.html", ctx)
