"""The administration pages (admin role): users and their API tokens.

The same operations as ``bayyina users ...`` (``cli/users_cmds.py``), through
the same service functions of :mod:`bayyina.web.auth`:

* ``GET /admin/users`` — every user: name, role, clearance, enabled or not,
  live API tokens, last login (the newest login session still on record), and
  a form to add one (password rules as the CLI: ``auth.check_password``).
* ``GET /admin/users/{id}`` — one user: change role or clearance, disable or
  enable, set a new password (their login sessions end), their API tokens
  (id, prefix, label, created, revoked; never the secret), create one, revoke one.
* ``POST`` actions under ``/admin/...``: each needs the session's CSRF token
  (``login_gate``), runs in one transaction and redirects back with a notice
  (post/redirect/get). A refused action (bad name, short password, unknown
  role) shows the page again with the service's reason, status 400.
* A new token is shown once, on the answer of its ``POST`` (``Cache-Control:
  no-store``), in a read-only box with a copy button; only its SHA-256 is kept.

An admin cannot demote or disable the last enabled admin (themselves):
``auth.keep_an_admin`` is checked before ``set_role`` / ``set_active``.
Anonymous requests are sent to the login page like every page; other roles get 403.
The CLI does not write these operations to the custody log, and neither does this page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from bayyina.store.models_auth import ApiToken, User
from bayyina.store.sensitivity import LEVELS
from bayyina.web import auth
from bayyina.web.deps import CurrentUser, HomeDep, LangDep, RowId, require_role
from bayyina.web.i18n import LANGUAGES, Translator
from bayyina.web.routers.pages import render

router = APIRouter(tags=["admin"], include_in_schema=False)

AdminDep = Annotated[CurrentUser, Depends(require_role("admin"))]
T = TypeVar("T")

# the notices a redirect may ask for (?done=...), as label keys admin_done_<key>
DONE = ("added", "role", "clearance", "disabled", "enabled", "password", "revoked")
MAX_FIELD = 2 * auth.MAX_PASSWORD
NameField = Annotated[str, Form(max_length=200)]
SecretField = Annotated[str, Form(max_length=MAX_FIELD)]
LangField = Annotated[str | None, Form(max_length=5)]


def _when(ts: Any) -> str:
    return auth._aware(ts).strftime("%Y-%m-%d %H:%M") if ts is not None else ""


def _transaction(home: Any, fn: Callable[[Session], T]) -> T:
    """``fn(session)`` in one transaction; an AuthError rolls back and propagates."""
    with home.session() as s:
        try:
            out = fn(s)
            s.commit()
            return out
        except BaseException:
            s.rollback()
            raise


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise HTTPException(404, f"no user {user_id}")
    return user


def _back(path: str, lang: str | None, done: str) -> RedirectResponse:
    q = {"done": done}
    if lang in LANGUAGES:
        q["lang"] = str(lang)
    return RedirectResponse(f"{path}?{urlencode(q)}", status_code=303)


def _done(request: Request) -> str:
    done = request.query_params.get("done", "")
    return done if done in DONE else ""


# --------------------------------------------------------------------------- the list of users


def users_context(session: Session) -> dict[str, Any]:
    """The rows of the users page: each user with their live tokens and last login."""
    live: dict[int, int] = {}
    for tok, u in auth.list_tokens(session):
        if tok.revoked_at is None:
            live[u.id] = live.get(u.id, 0) + 1
    logins = auth.last_logins(session)
    rows = [{"id": u.id, "name": u.name, "role": u.role, "clearance": u.clearance, "active": u.active,
             "tokens": live.get(u.id, 0), "last_login": _when(logins.get(u.id)), "created": _when(u.created_at)}
            for u in auth.list_users(session)]
    return {"rows": rows, "roles": auth.ROLES, "levels": LEVELS, "min_password": auth.MIN_PASSWORD}


def _users_page(request: Request, t: Translator, home: Any, *, error: str | None = None,
                form: dict[str, str] | None = None, status_code: int = 200) -> HTMLResponse:
    with home.session() as s:
        try:
            ctx = users_context(s)
        finally:
            s.rollback()
    who = request.query_params.get("who", "")  # shown in the notice only when it names a user
    ctx.update({"error": error, "form": form or {}, "done": _done(request) if error is None else "",
                "who": who if any(r["name"] == who for r in ctx["rows"]) else ""})
    return render(request, t, "admin_users.html", ctx, status_code=status_code)


@router.get("/admin", response_class=HTMLResponse)
def admin_home(user: AdminDep) -> RedirectResponse:
    """The administration starts at the users."""
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, t: LangDep, home: HomeDep, user: AdminDep) -> HTMLResponse:
    """Every user, and the form to add one."""
    return _users_page(request, t, home)


@router.post("/admin/users", response_class=HTMLResponse)
def add_user(request: Request, t: LangDep, home: HomeDep, user: AdminDep, name: NameField,
             role: Annotated[str, Form(max_length=30)], password: SecretField, password2: SecretField,
             clearance: Annotated[str, Form(max_length=30)] = "", lang: LangField = None) -> Any:
    """``bayyina users add NAME --role R [--clearance L]`` with the password typed twice."""
    form = {"name": name, "role": role, "clearance": clearance}
    try:
        if password != password2:
            raise auth.AuthError(t("admin_password_mismatch"))
        made = _transaction(home, lambda s: auth.add_user(s, name, role, password, clearance or None))
    except auth.AuthError as exc:
        return _users_page(request, t, home, error=str(exc), form=form, status_code=400)
    q = {"done": "added", "who": made.name}
    if lang in LANGUAGES:
        q["lang"] = str(lang)
    return RedirectResponse(f"/admin/users?{urlencode(q)}", status_code=303)


# --------------------------------------------------------------------------- one user


def user_context(session: Session, user_id: int) -> dict[str, Any]:
    """One user and their API tokens (never the secrets: id, prefix, label, dates)."""
    u = _user(session, user_id)
    tokens = [{"id": tok.id, "prefix": tok.prefix, "label": tok.label, "created": _when(tok.created_at),
               "revoked": _when(tok.revoked_at)} for tok, _u in auth.list_tokens(session, u.name)]
    return {"u": {"id": u.id, "name": u.name, "role": u.role, "clearance": u.clearance, "active": u.active,
                  "created": _when(u.created_at), "last_login": _when(auth.last_logins(session).get(u.id))},
            "tokens": tokens, "roles": auth.ROLES, "levels": LEVELS, "min_password": auth.MIN_PASSWORD}


def _user_page(request: Request, t: Translator, home: Any, user_id: int, *, error: str | None = None,
               status_code: int = 200) -> HTMLResponse:
    with home.session() as s:
        try:
            ctx = user_context(s, user_id)
        finally:
            s.rollback()
    ctx.update({"error": error, "done": _done(request) if error is None else ""})
    return render(request, t, "admin_user.html", ctx, status_code=status_code)


@router.get("/admin/users/{user_id}", response_class=HTMLResponse)
def user_page(request: Request, user_id: RowId, t: LangDep, home: HomeDep, user: AdminDep) -> HTMLResponse:
    """One user: role, clearance, enabled, password, API tokens."""
    return _user_page(request, t, home, user_id)


def _act(request: Request, t: Translator, home: Any, user_id: int, lang: str | None, done: str,
         fn: Callable[[Session, User], object]) -> Any:
    """Run ``fn(session, target user)`` in one transaction; back to the user's page with a notice or the reason."""
    try:
        _transaction(home, lambda s: fn(s, _user(s, user_id)))
    except auth.AuthError as exc:
        return _user_page(request, t, home, user_id, error=str(exc), status_code=400)
    return _back(f"/admin/users/{user_id}", lang, done)


@router.post("/admin/users/{user_id}/role", response_class=HTMLResponse)
def change_role(request: Request, user_id: RowId, t: LangDep, home: HomeDep, user: AdminDep,
                role: Annotated[str, Form(max_length=30)], lang: LangField = None) -> Any:
    """``bayyina users set-role NAME ROLE`` (not the last admin's own demotion)."""
    def go(s: Session, u: User) -> object:
        auth.keep_an_admin(s, u.name, role=role)
        return auth.set_role(s, u.name, role)

    return _act(request, t, home, user_id, lang, "role", go)


@router.post("/admin/users/{user_id}/clearance", response_class=HTMLResponse)
def change_clearance(request: Request, user_id: RowId, t: LangDep, home: HomeDep, user: AdminDep,
                     clearance: Annotated[str, Form(max_length=30)], lang: LangField = None) -> Any:
    """``bayyina users set-clearance NAME LEVEL``."""
    return _act(request, t, home, user_id, lang, "clearance", lambda s, u: auth.set_clearance(s, u.name, clearance))


@router.post("/admin/users/{user_id}/active", response_class=HTMLResponse)
def change_active(request: Request, user_id: RowId, t: LangDep, home: HomeDep, user: AdminDep,
                  active: Annotated[bool, Form()], lang: LangField = None) -> Any:
    """``bayyina users disable NAME`` / ``enable NAME`` (never the last enabled admin)."""
    def go(s: Session, u: User) -> object:
        auth.keep_an_admin(s, u.name, active=active)
        return auth.set_active(s, u.name, active)

    return _act(request, t, home, user_id, lang, "enabled" if active else "disabled", go)


@router.post("/admin/users/{user_id}/password", response_class=HTMLResponse)
def change_password(request: Request, user_id: RowId, t: LangDep, home: HomeDep, user: AdminDep,
                    password: SecretField, password2: SecretField, lang: LangField = None) -> Any:
    """``bayyina users passwd NAME``: a new password, typed twice; the user's login sessions end."""
    def go(s: Session, u: User) -> object:
        if password != password2:
            raise auth.AuthError(t("admin_password_mismatch"))
        return auth.set_password(s, u.name, password)

    return _act(request, t, home, user_id, lang, "password", go)


@router.post("/admin/users/{user_id}/tokens", response_class=HTMLResponse)
def create_token(request: Request, user_id: RowId, t: LangDep, home: HomeDep, user: AdminDep,
                 label: Annotated[str, Form(max_length=400)] = "") -> Any:
    """``bayyina users token create NAME --label L``: the token is on this answer only."""
    try:
        made = _transaction(home, lambda s: _new_token(s, user_id, label))
    except auth.AuthError as exc:
        return _user_page(request, t, home, user_id, error=str(exc), status_code=400)
    response = render(request, t, "admin_token.html", made)
    response.headers["Cache-Control"] = "no-store"
    return response


def _new_token(session: Session, user_id: int, label: str) -> dict[str, Any]:
    u = _user(session, user_id)
    tok, secret = auth.create_token(session, u.name, label)
    return {"u": {"id": u.id, "name": u.name}, "token_id": tok.id, "label": tok.label, "secret": secret}


@router.post("/admin/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(request: Request, token_id: RowId, t: LangDep, home: HomeDep, user: AdminDep,
                 lang: LangField = None) -> Any:
    """``bayyina users token revoke ID``: the token stops working at once."""
    def go(s: Session) -> int:
        if s.get(ApiToken, token_id) is None:
            raise HTTPException(404, f"no API token {token_id}")
        return auth.revoke_token(s, str(token_id)).user_id

    owner = _transaction(home, go)
    return _back(f"/admin/users/{owner}", lang, "revoked")

