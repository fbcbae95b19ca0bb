"""``GET /api/search?q=&kind=&limit=``: full-text search over documents, incidents and actors.

The answer is a list of hits (kind, id, title, score, snippet with the
matched words in ``<mark>``; the rest of the snippet is HTML-escaped). The
index is kept fresh when records are written (``bayyina.search.index.keep_fresh``),
so a search only reads: its session is read-only (on SQLite it never takes
the write lock, so searches neither wait for nor hold up an ingest). A query that cannot be
searched (empty, only punctuation, too long, unknown kind, bad limit) answers
400 with the reason.

The session comes from the app's data home (``app.state.bayyina.home()`` when
the app provides one, else a home opened from the settings and kept on
``app.state``). The user must be logged in; the hits are what their clearance
allows (``bayyina.web.clearance``): documents above it and incidents without a
visible source are left out, an incident with some hidden sources gets its
title and snippet rebuilt from what remains.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from bayyina.vault.home import NotInitialized

router = APIRouter(prefix="/api", tags=["search"])


class SearchHit(BaseModel):
    """One search result."""

    kind: str
    id: int
    title: str
    score: float
    snippet: str


def _home(request: Request) -> Any:
    from bayyina.settings import Settings
    from bayyina.vault.home import Home, NotInitialized

    state = request.app.state
    try:
        provider = getattr(state, "bayyina", None)
        if provider is not None and hasattr(provider, "home"):
            return provider.home()
        home = getattr(state, "search_home", None)
        if home is None:
            home = Home.open(Settings.load())
            state.search_home = home
        return home
    except NotInitialized as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from exc


def _bare_reader(request: Request) -> Session:
    """A read-only session of a bare app (no ``AppState``): its own reader engine, kept on ``app.state``."""
    from bayyina.store.db import session_factory
    from bayyina.web.deps import read_engine

    home = _home(request)
    state = request.app.state
    readers = getattr(state, "search_readers", None)
    if readers is None:
        engine = read_engine(home.settings.database_url)
        readers = session_factory(engine) if engine is not None else home.session
        state.search_readers = readers
    session: Session = readers()
    return session


def search_session(request: Request) -> Iterator[Session]:
    """A read-only session on the app's data home, reading with the user's clearance; rolled back after the request."""
    from bayyina.web.clearance import set_clearance
    from bayyina.web.deps import current_user, reader_session

    # inside the bayyina app the user is logged in (login_gate); a bare app has no users: public only
    if getattr(request.app.state, "bayyina", None) is not None:
        current_user(request)
        try:
            session = reader_session(request)
        except NotInitialized as exc:
            raise HTTPException(status_code=503, detail=str(exc)) from exc
    else:
        session = set_clearance(_bare_reader(request), "public")
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@router.get("/search", response_model=list[SearchHit], summary="Full-text search",
            responses={400: {"description": "the query cannot be searched (the detail says why)"}})
def search_endpoint(
    session: Annotated[Session, Depends(search_session)],
    q: Annotated[str, Query(description="Words to find; the last one also matches as a prefix.")] = "",
    kind: Annotated[list[str] | None, Query(description="document, incident or actor (repeatable).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[SearchHit]:
    from bayyina.search.service import MAX_LIMIT, SearchError, search
    from bayyina.web.clearance import sight, visible_hits

    try:
        seen = sight(session)
        if seen.everything:
            hits = search(session, q, kinds=kind or None, limit=limit)
        else:  # some incident hits may drop once redacted: ask for more, keep ``limit``
            more = min(MAX_LIMIT, limit * 2 + 10)
            hits = visible_hits(session, search(session, q, kinds=kind or None, limit=more, levels=seen.levels), q)
            hits = hits[:limit]
    except SearchError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    return [SearchHit(**h.as_dict()) for h in hits]
