"""Users, passwords, login sessions, API tokens and login rate limiting (the service layer).

The CLI (``bayyina users ...``) and the web app (``web/routers/auth.py``,
``web/deps.py``) both call these functions; nothing here knows about HTTP.

* Roles are ordered ``viewer < analyst < reviewer < admin``; a route asking
  for ``analyst`` admits analysts, reviewers and admins.
* Clearance is a sensitivity level (:mod:`bayyina.store.sensitivity`): admins
  default to ``restricted``, everyone else to ``public``.
* Passwords are hashed with argon2id (argon2-cffi, its default parameters).
  ``BAYYINA_ARGON2=fast`` selects cheap parameters: for tests only, never
  in production.
* Session cookies and API tokens are random (``secrets``, 256 bits); only
  their SHA-256 is stored, so a copy of the database does not let anyone in.
* Failed logins are stored per (user name, client address); the 5th failure
  within 10 minutes blocks that pair until the window has passed.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bayyina.store.models_auth import ApiToken, LoginFailure, User, WebSession
from bayyina.store.sensitivity import SensitivityError, check_level

ROLES: tuple[str, ...] = ("viewer", "analyst", "reviewer", "admin")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
SESSION_HOURS = 12
RATE_WINDOW = timedelta(minutes=10)
RATE_MAX_FAILURES = 5
TOKEN_PREFIX = "bay_"
NAME_RE = re.compile(r"^[\w.@+-]{1,100}$")


class AuthError(ValueError):
    """A refused user operation (unknown user or role, bad name, short password); the message says why."""


class RateLimited(Exception):
    """Too many failed logins for one user name from one address; ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed logins; try again in {max(1, retry_after // 60 + 1)} minutes")
        self.retry_after = retry_after


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def _aware(ts: datetime) -> datetime:
    """SQLite hands datetimes back naive: they are UTC."""
    return ts if ts.tzinfo else ts.replace(tzinfo=UTC)


def sha256(token: str) -> str:
    """The stored form of a session or API token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --------------------------------------------------------------------------- roles and levels


def check_role(role: str) -> str:
    """``role`` normalised, or AuthError naming the roles."""
    norm = role.strip().lower()
    if norm not in ROLES:
        raise AuthError(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")
    return norm


def role_rank(role: str) -> int:
    """The order of a role (0 = viewer)."""
    return ROLES.index(check_role(role))


def has_role(user_role: str, needed: str) -> bool:
    """Whether ``user_role`` is at least ``needed``."""
    return role_rank(user_role) >= role_rank(needed)


def default_clearance(role: str) -> str:
    """Admins see everything unless told otherwise; other roles see public material."""
    return "restricted" if check_role(role) == "admin" else "public"


def check_clearance(level: str) -> str:
    """A clearance level normalised, or AuthError naming the levels."""
    try:
        return check_level(level)
    except SensitivityError as exc:
        raise AuthError(f"clearance: {exc}") from exc


# --------------------------------------------------------------------------- passwords


@cache
def hasher() -> PasswordHasher:
    """The argon2id hasher (``BAYYINA_ARGON2=fast``: cheap parameters for tests)."""
    if os.environ.get("BAYYINA_ARGON2", "").strip().lower() == "fast":
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """An argon2id hash of a password that passes :func:`check_password`."""
    check_password(password)
    return hasher().hash(password)


def check_password(password: str) -> str:
    """``password`` or AuthError (too short, too long)."""
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"the password is too short: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AuthError(f"the password is too long: at most {MAX_PASSWORD} characters")
    return password


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash (a corrupt hash never matches)."""
    try:
        return hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# --------------------------------------------------------------------------- users


def check_name(name: str) -> str:
    """A user name: 1-100 letters, digits or ``. _ @ + -``."""
    name = name.strip()
    if not NAME_RE.match(name):
        raise AuthError(f"bad user name {name!r}: 1 to 100 letters, digits or . _ @ + -")
    return name


def get_user(session: Session, name: str) -> User | None:
    """A user by name (exact), or None."""
    return session.scalars(select(User).where(User.name == name.strip())).first()


def need_user(session: Session, name: str) -> User:
    """A user by name, or AuthError."""
    user = get_user(session, name)
    if user is None:
        raise AuthError(f"no user {name!r} (see `bayyina users list`)")
    return user


def list_users(session: Session) -> list[User]:
    """Every user, by name."""
    return list(session.scalars(select(User).order_by(User.name)))


def add_user(session: Session, name: str, role: str, password: str, clearance: str | None = None) -> User:
    """Create a user (flushed, not committed); AuthError when the name is taken or a value is bad."""
    name = check_name(name)
    role = check_role(role)
    level = check_clearance(clearance) if clearance else default_clearance(role)
    if get_user(session, name) is not None:
        raise AuthError(f"user {name!r} already exists")
    ts = now()
    user = User(name=name, role=role, clearance=level, password_hash=hash_password(password), active=True,
                created_at=ts, updated_at=ts)
    session.add(user)
    session.flush()
    return user


def set_role(session: Session, name: str, role: str) -> User:
    """Change a user's role."""
    user = need_user(session, name)
    user.role = check_role(role)
    user.updated_at = now()
    session.flush()
    return user


def set_clearance(session: Session, name: str, clearance: str) -> User:
    """Change a user's clearance."""
    user = need_user(session, name)
    user.clearance = check_clearance(clearance)
    user.updated_at = now()
    session.flush()
    return user


def set_password(session: Session, name: str, password: str) -> User:
    """Replace a user's password; their open login sessions end."""
    user = need_user(session, name)
    user.password_hash = hash_password(password)
    user.updated_at = now()
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.flush()
    return user


def set_active(session: Session, name: str, active: bool) -> User:
    """Disable (or enable again) a user; disabling ends their login sessions (tokens stop working too)."""
    user = need_user(session, name)
    user.active = active
    user.updated_at = now()
    if not active:
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    session.flush()
    return user


def active_admins(session: Session) -> int:
    """How many enabled users have the admin role."""
    q = select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True))
    return int(session.scalar(q) or 0)


def keep_an_admin(session: Session, name: str, *, role: str | None = None, active: bool | None = None) -> None:
    """AuthError when giving ``name`` this role or this active flag would leave no enabled admin.

    The web admin page checks it before ``set_role`` / ``set_active`` (an admin cannot lock everyone
    out of it); the CLI, run by whoever holds the data home, does not.
    """
    user = need_user(session, name)
    stays = (check_role(role) if role is not None else user.role) == "admin" and (
        user.active if active is None else active)
    if user.role == "admin" and user.active and not stays and active_admins(session) <= 1:
        raise AuthError(f"{user.name!r} is the last active administrator: make another user an administrator first")


def last_logins(session: Session) -> dict[int, datetime]:
    """user id -> when their most recent login session still on record was opened.

    Sessions are deleted at logout, expiry clean-up, password change and disabling, so
    this is the last login only while that session is kept (no separate login history).
    """
    q = select(WebSession.user_id, func.max(WebSession.created_at)).group_by(WebSession.user_id)
    return {int(uid): _aware(ts) for uid, ts in session.execute(q).all() if ts is not None}


# --------------------------------------------------------------------------- API tokens


def create_token(session: Session, name: str, label: str = "") -> tuple[ApiToken, str]:
    """A new API token for a user: the row and the token text (shown once, never stored)."""
    user = need_user(session, name)
    if not user.active:
        raise AuthError(f"user {name!r} is disabled")
    text = TOKEN_PREFIX + secrets.token_urlsafe(32)
    tok = ApiToken(token_hash=sha256(text), prefix=text[:12], user_id=user.id, label=label.strip()[:200],
                   created_at=now(), revoked_at=None)
    session.add(tok)
    session.flush()
    return tok, text


def list_tokens(session: Session, name: str | None = None) -> list[tuple[ApiToken, User]]:
    """API tokens (of one user, or all), oldest first."""
    q = select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if name is not None:
        q = q.where(User.name == name.strip())
    return [(t, u) for t, u in session.execute(q).all()]


def revoke_token(session: Session, ref: str) -> ApiToken:
    """Revoke a token given its id or its prefix (as ``users token list`` shows them)."""
    ref = ref.strip()
    tok: ApiToken | None = None
    if ref.isdigit() and len(ref) < 10:
        tok = session.get(ApiToken, int(ref))
    if tok is None and ref:
        found = list(session.scalars(select(ApiToken).where(ApiToken.prefix == ref[:12])))
        if len(found) > 1:
            raise AuthError(f"token prefix {ref!r} is ambiguous: give the token id")
        tok = found[0] if found else None
    if tok is None:
        raise AuthError(f"no API token {ref!r} (see `bayyina users token list`)")
    if tok.revoked_at is None:
        tok.revoked_at = now()
        session.flush()
    return tok


def user_for_token(session: Session, text: str) -> User | None:
    """The active user of a valid, unrevoked API token, or None."""
    if not text.startswith(TOKEN_PREFIX) or len(text) > 200:
        return None
    tok = session.scalars(select(ApiToken).where(ApiToken.token_hash == sha256(text))).first()
    if tok is None or tok.revoked_at is not None:
        return None
    user = session.get(User, tok.user_id)
    return user if user is not None and user.active else None


# --------------------------------------------------------------------------- login and sessions


def _client(client: str) -> str:
    return (client or "unknown")[:100]


def failures(session: Session, name: str, client: str, at: datetime | None = None) -> list[datetime]:
    """When the recent failed logins of this name from this address happened (within the window)."""
    at = at or now()
    q = select(LoginFailure.ts).where(LoginFailure.name == name.strip().lower()[:100],
                                      LoginFailure.client == _client(client),
                                      LoginFailure.ts >= at - RATE_WINDOW)
    return sorted(_aware(ts) for ts in session.scalars(q))


def check_rate(session: Session, name: str, client: str) -> None:
    """RateLimited when this name has failed :data:`RATE_MAX_FAILURES` times from this address lately."""
    at = now()
    recent = failures(session, name, client, at)
    if len(recent) >= RATE_MAX_FAILURES:
        free_at = recent[-RATE_MAX_FAILURES] + RATE_WINDOW
        raise RateLimited(max(1, int((free_at - at).total_seconds())))


def authenticate(session: Session, name: str, password: str, client: str) -> User | None:
    """The user when the name and password match an active account, else None (the failure is recorded).

    Raises :class:`RateLimited` before checking anything when the pair is blocked.
    Unknown names cost the same hashing time as known ones.
    """
    check_rate(session, name, client)
    user = get_user(session, name) if NAME_RE.match(name.strip()) else None
    ok = False
    if user is None or len(password) > MAX_PASSWORD:
        verify_password(_dummy_hash(), password[:MAX_PASSWORD])
    else:
        ok = verify_password(user.password_hash, password) and user.active
    if not ok:
        session.add(LoginFailure(name=name.strip().lower()[:100], client=_client(client), ts=now()))
        session.execute(delete(LoginFailure).where(LoginFailure.ts < now() - 2 * RATE_WINDOW))
        session.flush()
        return None
    assert user is not None
    session.execute(delete(LoginFailure).where(LoginFailure.name == name.strip().lower()[:100],
                                               LoginFailure.client == _client(client)))
    return user


@dataclass
class NewSession:
    """A login session just opened: the cookie value (never stored) and its row."""

    token: str
    row: WebSession


def open_session(session: Session, user: User, client: str) -> NewSession:
    """A new login session for ``user`` (expired sessions are cleared on the way)."""
    ts = now()
    session.execute(delete(WebSession).where(WebSession.expires_at < ts))
    token = secrets.token_urlsafe(32)
    row = WebSession(token_hash=sha256(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                     created_at=ts, expires_at=ts + timedelta(hours=SESSION_HOURS), client=_client(client))
    session.add(row)
    session.flush()
    return NewSession(token, row)


def session_user(session: Session, token: str) -> tuple[User, WebSession] | None:
    """The active user and session row of a session cookie, or None (unknown, expired, disabled)."""
    if not token or len(token) > 200:
        return None
    row = session.scalars(select(WebSession).where(WebSession.token_hash == sha256(token))).first()
    if row is None or _aware(row.expires_at) <= now():
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return user, row


def close_session(session: Session, token: str) -> None:
    """End a login session (logout)."""
    if token:
        session.execute(delete(WebSession).where(WebSession.token_hash == sha256(token)))


def count_users(session: Session) -> int:
    """How many users exist."""
    return int(session.scalar(select(func.count()).select_from(User)) or 0)
