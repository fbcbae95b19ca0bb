"""What the routers share: the data home opened once per app, a session per request,
the language of a page, and who is asking (login, role, clearance, CSRF).

The home is opened lazily on the first request that needs it, from the
settings given to ``create_app`` (``bayyina.settings``: ``BAYYINA_HOME``,
``BAYYINA_DATABASE_URL``). A home that was never initialised answers 503 with
the reason (``run `bayyina init` first``); the next request tries again.

Reads do not block ingest: on SQLite the request sessions come from a second
engine whose transactions start with a plain (deferred) ``BEGIN`` instead of
``BEGIN IMMEDIATE``; in WAL mode such a reader sees a consistent snapshot and
never takes the write lock. Routes that write use ``home.session()``.

Authentication (see docs/web-auth.md): :func:`login_gate` runs before every
route of the app. Except for :data:`PUBLIC_PATHS` it requires a user, from an
``Authorization: Bearer`` API token or the ``bayyina_session`` cookie; pages
without one redirect to ``/login?next=...``, the API answers 401. Every
unsafe request (POST, PUT, PATCH, DELETE) made with the cookie must carry the
session's CSRF token, in the form field ``csrf_token`` or the
``X-CSRF-Token`` header (the login form: the ``bayyina_csrf`` cookie's value).
Routes ask for :data:`CurrentUserDep`, ``Depends(require_role("analyst"))``
or :data:`ClearanceDep`.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from bayyina.settings import Settings
from bayyina.store.db import normalize_url, session_factory
from bayyina.store.sensitivity import visible_levels
from bayyina.vault.home import Home, NotInitialized
from bayyina.web import auth
from bayyina.web.i18n import COOKIE, Translator, pick_lang

SESSION_COOKIE = "bayyina_session"
CSRF_COOKIE = "bayyina_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
# exact paths, and prefixes ending in "/", open without a login
PUBLIC_PATHS = ("/login", "/api/health", "/static/")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def read_engine(url: str) -> Engine | None:
    """A SQLite engine for readers (deferred ``BEGIN``, WAL, foreign keys); None for other databases."""
    url = normalize_url(url)
    if not url.startswith("sqlite"):
        return None
    engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA query_only=ON")  # a reader never writes, even by mistake
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


class AppState:
    """The settings of one app, its lazily opened home and the readers' sessions."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._home: Home | None = None
        self._reader: Engine | None = None
        self._readers: sessionmaker[Session] | None = None
        self._lock = threading.Lock()

    def home(self) -> Home:
        """The open home; raises NotInitialized when ``bayyina init`` was not run."""
        with self._lock:
            if self._home is None:
                self._home = Home.open(self.settings)
                self._reader = read_engine(self.settings.database_url)
                self._readers = session_factory(self._reader) if self._reader is not None else None
            return self._home

    def read_session(self) -> Session:
        """A session for reading only (on SQLite: never takes the write lock)."""
        home = self.home()
        return self._readers() if self._readers is not None else home.session()

    def close(self) -> None:
        """Release the database connections (app shutdown)."""
        with self._lock:
            if self._home is not None:
                self._home.close()
                self._home = None
            if self._reader is not None:
                self._reader.dispose()
                self._reader = None
                self._readers = None


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


def reader_session(request: Request) -> Session:
    """A read-only session that reads with the request user's clearance (``public`` without a user)."""
    from bayyina.web.clearance import set_clearance

    session = app_state(request).read_session()
    user = optional_user(request)
    return set_clearance(session, user.clearance if user is not None else "public")


def get_session(request: Request, home: Annotated[Home, Depends(get_home)]) -> Iterator[Session]:
    """One read-only session per request, reading with the user's clearance (rolled back at the end)."""
    session = reader_session(request)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def get_write_session(request: Request, home: Annotated[Home, Depends(get_home)]) -> Iterator[Session]:
    """A session that may write (the route commits; rolled back if it did not), reading with the user's clearance."""
    from bayyina.web.clearance import set_clearance

    user = optional_user(request)
    session = set_clearance(home.session(), user.clearance if user is not None else "public")
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def translator(request: Request) -> Translator:
    """The labels of the request's language (``?lang=``, cookie ``bayyina_lang``, else Arabic)."""
    return Translator(pick_lang(request.query_params.get("lang"), request.cookies.get(COOKIE)))


# --------------------------------------------------------------------------- who is asking


@dataclass(frozen=True)
class CurrentUser:
    """The user of a request: name, role, clearance, and how they proved it."""

    id: int
    name: str
    role: str
    clearance: str
    via: str  # "session" (cookie) or "token" (Authorization: Bearer)
    csrf_token: str | None = None  # the session's CSRF token (None with an API token)

    def has_role(self, role: str) -> bool:
        """Whether this user's role is at least ``role``."""
        return auth.has_role(self.role, role)

    @property
    def levels(self) -> tuple[str, ...]:
        """The sensitivity levels this user may see."""
        return visible_levels(self.clearance)


class NotAuthenticated(Exception):
    """No valid login on a request that needs one (pages: redirect to /login; API: 401)."""

    def __init__(self, reason: str = "login required") -> None:
        super().__init__(reason)
        self.reason = reason


def is_public(path: str) -> bool:
    """Whether ``path`` is served without a login."""
    return any(path.startswith(p) if p.endswith("/") else path == p for p in PUBLIC_PATHS)


def bearer_token(request: Request) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _lookup(request: Request) -> CurrentUser | None:
    token = bearer_token(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if token is None and not cookie:
        return None
    try:
        session = app_state(request).read_session()
    except NotInitialized as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from exc
    try:
        if token is not None:
            user = auth.user_for_token(session, token)
            if user is None:
                raise NotAuthenticated("invalid or revoked API token")
            return CurrentUser(user.id, user.name, user.role, user.clearance, "token")
        found = auth.session_user(session, cookie or "")
        if found is None:
            return None
        user, row = found
        return CurrentUser(user.id, user.name, user.role, user.clearance, "session", row.csrf_token)
    finally:
        session.rollback()
        session.close()


def optional_user(request: Request) -> CurrentUser | None:
    """The logged-in user of the request, or None (looked up once per request)."""
    if not hasattr(request.state, "user"):
        request.state.user = _lookup(request)
    user: CurrentUser | None = request.state.user
    return user


def current_user(request: Request) -> CurrentUser:
    """The logged-in user, or :class:`NotAuthenticated`."""
    user = optional_user(request)
    if user is None:
        raise NotAuthenticated()
    return user


def require_role(role: str) -> Callable[..., CurrentUser]:
    """A dependency admitting users whose role is at least ``role`` (else 403)."""
    auth.check_role(role)

    def dependency(user: Annotated[CurrentUser, Depends(current_user)]) -> CurrentUser:
        if not user.has_role(role):
            raise HTTPException(403, f"this needs the {role} role (you are {user.role})")
        return user

    dependency.__name__ = f"require_{role}"
    return dependency


def clearance(user: Annotated[CurrentUser, Depends(current_user)]) -> str:
    """The sensitivity level the user is cleared for."""
    return user.clearance


async def _sent_csrf(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


def csrf_ok(sent: str, expected: str | None) -> bool:
    """Constant-time comparison of a sent CSRF token with the expected one."""
    return bool(sent) and bool(expected) and hmac.compare_digest(sent.encode(), (expected or "").encode())


async def login_gate(request: Request) -> None:
    """Run before every route: require a login (except public paths) and a CSRF token on unsafe methods."""
    path = request.url.path
    public = is_public(path)
    if not public:
        await run_in_threadpool(get_home, request)  # 503 with the reason when there is no home
    user = await run_in_threadpool(optional_user, request) if not public or request.cookies.get(SESSION_COOKIE) \
        else None
    if not public and user is None:
        raise NotAuthenticated()
    if request.method in SAFE_METHODS or (user is not None and user.via == "token"):
        return
    if public and bearer_token(request) is not None:
        return
    expected = user.csrf_token if user is not None and not public else request.cookies.get(CSRF_COOKIE)
    if not csrf_ok(await _sent_csrf(request), expected):
        raise HTTPException(403, "CSRF token missing or wrong: reload the page and submit the form again")


HomeDep = Annotated[Home, Depends(get_home)]
SessionDep = Annotated[Session, Depends(get_session)]
WriteSessionDep = Annotated[Session, Depends(get_write_session)]
LangDep = Annotated[Translator, Depends(translator)]
CurrentUserDep = Annotated[CurrentUser, Depends(current_user)]
ClearanceDep = Annotated[str, Depends(clearance)]

MAX_ID = 2**31 - 1  # row ids are 32-bit integers on PostgreSQL
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="row id (1 to 2^31-1)")]
