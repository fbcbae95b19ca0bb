"""Users, roles, login sessions and API tokens of the web app (issue 6).

* ``users`` — a name, a role (viewer < analyst < reviewer < admin), a
  clearance (``public`` < ``partner`` < ``restricted``, see
  :mod:`bayyina.store.sensitivity`), an argon2 password hash, and whether the
  account is enabled. Users are never deleted: ``users disable`` turns them off.
* ``web_sessions`` — one login: the SHA-256 of the cookie's random token (the
  token itself is never stored), the CSRF token of its forms, and its expiry.
* ``api_tokens`` — bearer tokens for the JSON API: the SHA-256 of the token,
  a label, a short prefix to recognise it, and when it was revoked.
* ``login_failures`` — failed logins per user name and client address, for
  rate limiting.

Tables register on :class:`bayyina.store.models.Base`; their migration is
the matching revision under ``store/migrations/versions`` (``0006_auth``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bayyina.store.models import Base


class User(Base):
    """A person who logs into the web app or calls its API."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # viewer | analyst | reviewer | admin
    clearance: Mapped[str] = mapped_column(String(20), default="public")  # public | partner | restricted
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """One login of one user (the cookie holds a random token; only its SHA-256 is stored)."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    client: Mapped[str] = mapped_column(String(100), default="")


class ApiToken(Base):
    """A bearer token for the JSON API (``Authorization: Bearer <token>``)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginFailure(Base):
    """One failed login attempt (user name as typed, lower-cased, and client address)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    client: Mapped[str] = mapped_column(String(100))
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
