"""``/login`` and ``/logout``: the login form (Arabic by default, English with ``?lang=en``).

``GET /login?next=/incidents`` shows the form; it sets the ``bayyina_csrf``
cookie whose value the form carries back in a hidden field (checked by
:func:`bayyina.web.deps.login_gate`). ``POST /login`` checks the password
(argon2), opens a login session and redirects to ``next`` (a local path
only) with the ``bayyina_session`` cookie: HttpOnly, SameSite=Lax, Secure
when the request came over https. A wrong name or password answers 401 with
the form again; the 5th failure of one name from one address within 10
minutes answers 429 until the window has passed. ``POST /logout`` (with the
session's CSRF token) ends the session and returns to the login form.
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bayyina.vault.home import NotInitialized
from bayyina.web import auth
from bayyina.web.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    LangDep,
    app_state,
    optional_user,
)
from bayyina.web.i18n import Translator

router = APIRouter(tags=["auth"], include_in_schema=False)


def safe_next(target: str | None) -> str:
    """A local path to go to after login (anything else, e.g. ``//evil.example``, becomes ``/``)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or len(target) > 2000:
        return "/"
    if any(c in target for c in "\r\n\t"):
        return "/"
    return target


def login_url(target: str) -> str:
    """``/login?next=<target>`` (target quoted)."""
    return "/login?next=" + quote(safe_next(target), safe="")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _csrf_cookie(request: Request) -> str:
    value = request.cookies.get(CSRF_COOKIE, "")
    return value if 20 <= len(value) <= 100 and value.replace("-", "").replace("_", "").isalnum() \
        else secrets.token_urlsafe(32)


def _form(request: Request, t: Translator, *, next_url: str, name: str = "", error: str | None = None,
          status_code: int = 200) -> HTMLResponse:
    from bayyina.web.routers.pages import render

    token = _csrf_cookie(request)
    problem = None
    try:
        app_state(request).home()
    except NotInitialized as exc:
        problem = str(exc)
    response = render(request, t, "login.html", {"next_url": safe_next(next_url), "name": name, "error": error,
                                                  "login_csrf": token, "problem": problem},
                      status_code=status_code)
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", secure=_secure(request), path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, t: LangDep, next: str = "/") -> Response:
    """The login form (a logged-in user is sent on to ``next``)."""
    if optional_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, t, next_url=next)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    t: LangDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=2000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the name and password; open a session and redirect, or show the form with the reason."""
    client = request.client.host if request.client else "unknown"
    try:
        home = app_state(request).home()
    except NotInitialized as exc:
        raise HTTPException(503, str(exc)) from exc
    session = home.session()
    try:
        try:
            user = auth.authenticate(session, username, password, client)
        except auth.RateLimited as exc:
            session.rollback()
            minutes = max(1, exc.retry_after // 60 + (1 if exc.retry_after % 60 else 0))
            response = _form(request, t, next_url=next, name=username, status_code=429,
                             error=t("login_rate_limited").replace("{minutes}", str(minutes)))
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        if user is None:
            session.commit()  # keep the recorded failure
            return _form(request, t, next_url=next, name=username, status_code=401, error=t("login_failed"))
        auth.close_session(session, request.cookies.get(SESSION_COOKIE, ""))  # a new login replaces the old one
        opened = auth.open_session(session, user, client)
        session.commit()
    finally:
        session.close()
    done = RedirectResponse(safe_next(next), status_code=303)
    done.set_cookie(SESSION_COOKIE, opened.token, max_age=auth.SESSION_HOURS * 3600, httponly=True,
                        samesite="lax", secure=_secure(request), path="/")
    return done


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the login session (the gate has checked its CSRF token) and go back to the login form."""
    token = request.cookies.get(SESSION_COOKIE, "")
    session = app_state(request).home().session()
    try:
        auth.close_session(session, token)
        session.commit()
    finally:
        session.close()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))
    return response
