"""What the routers share: the data home opened once per app, a session per request,
and the language of a page.

The home is opened lazily on the first request that needs it, from the
settings given to ``create_app`` (``bayyina.settings``: ``BAYYINA_HOME``,
``BAYYINA_DATABASE_URL``). A home that was never initialised answers 503 with
the reason (``run `bayyina init` first``); the next request tries again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from sqlalchemy.orm import Session

from bayyina.settings import Settings
from bayyina.vault.home import Home, NotInitialized
from bayyina.web.i18n import COOKIE, Translator, pick_lang


class AppState:
    """The settings of one app and its lazily opened home."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._home: Home | None = None
        self._lock = threading.Lock()

    def home(self) -> Home:
        """The open home; raises NotInitialized when ``bayyina init`` was not run."""
        with self._lock:
            if self._home is None:
                self._home = Home.open(self.settings)
            return self._home

    def close(self) -> None:
        """Release the database connections (app shutdown)."""
        with self._lock:
            if self._home is not None:
                self._home.close()
                self._home = None


def app_state(request: Request) -> AppState:
    """The :class:`AppState` of the app serving this request."""
    state: AppState = request.app.state.bayyina
    return state


def get_home(request: Request) -> Home:
    """The open home, or 503 naming why it cannot be opened."""
    try:
        return app_state(request).home()
    except NotInitialized as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from exc


def get_session(home: Annotated[Home, Depends(get_home)]) -> Iterator[Session]:
    """One read-only session per request (rolled back at the end)."""
    session = home.session()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def translator(request: Request) -> Translator:
    """The labels of the request's language (``?lang=``, cookie ``bayyina_lang``, else Arabic)."""
    return Translator(pick_lang(request.query_params.get("lang"), request.cookies.get(COOKIE)))


HomeDep = Annotated[Home, Depends(get_home)]
SessionDep = Annotated[Session, Depends(get_session)]
LangDep = Annotated[Translator, Depends(translator)]

MAX_ID = 2**31 - 1  # row ids are 32-bit integers on PostgreSQL
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="row id (1 to 2^31-1)")]
