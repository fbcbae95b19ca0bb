"""``GET /api/search?q=&kind=&limit=``: full-text search over documents, incidents and actors.

The answer is a list of hits (kind, id, title, score, snippet with the
matched words in ``<mark>``; the rest of the snippet is HTML-escaped). The
index is brought up to date before each query. A query that cannot be
searched (empty, only punctuation, too long, unknown kind, bad limit) answers
400 with the reason.

The session comes from the app's data home (``app.state.bayyina.home()`` when
the app provides one, else a home opened from the settings and kept on
``app.state``), so the router can be included in any FastAPI app.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

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


def search_session(request: Request) -> Iterator[Session]:
    """A session on the app's data home, closed after the request."""
    session: Session = _home(request).session()
    try:
        yield session
    finally:
        session.close()


@router.get("/search", response_model=list[SearchHit], summary="Full-text search",
            responses={400: {"description": "the query cannot be searched (the detail says why)"}})
def search_endpoint(
    session: Annotated[Session, Depends(search_session)],
    q: Annotated[str, Query(description="Words to find; the last one also matches as a prefix.")] = "",
    kind: Annotated[list[str] | None, Query(description="document, incident or actor (repeatable).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
) -> list[SearchHit]:
    from bayyina.search.index import refresh
    from bayyina.search.service import SearchError, search

    try:
        refresh(session)
        hits = search(session, q, kinds=kind or None, limit=limit)
        session.commit()
    except SearchError as exc:
        session.rollback()
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    except BaseException:
        session.rollback()
        raise
    return [SearchHit(**h.as_dict()) for h in hits]
