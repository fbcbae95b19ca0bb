"""Releases of the public names list (issue 7) and the French statements of reasons.

* ``publish_releases`` — one signed, numbered release of the published
  designations: the content files (``names.json``, ``names.csv``,
  ``names.ftm.json``) exactly as released, the manifest that lists their
  SHA-256 (the canonical JSON text that was signed) and the Ed25519 signature
  by the instance key.
* ``publish_translations`` — statements of reasons in a language the
  ``designations`` table has no column for (French): one row per
  designation, field and language; a newer row replaces an older one (the
  older row stays).

Both are covered by the custody log (kinds ``publish_release`` and
``publish_translation`` registered in ``COVERED`` below). Nothing is deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bayyina.store.models import COVERED, Base


class PublishRelease(Base):
    """One signed release of the public names list."""

    __tablename__ = "publish_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    files: Mapped[dict[str, Any]] = mapped_column(JSON)  # file name -> text, exactly as released
    manifest: Mapped[str] = mapped_column(Text)  # canonical JSON, exactly as signed
    signature: Mapped[str] = mapped_column(String(200))  # hex Ed25519 over the manifest's UTF-8 bytes
    key_id: Mapped[str] = mapped_column(String(64))


class PublishTranslation(Base):
    """A designation's text in another language (today: French statements of reasons)."""

    __tablename__ = "publish_translations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    designation_id: Mapped[int] = mapped_column(ForeignKey("designations.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))  # reasons
    lang: Mapped[str] = mapped_column(String(8))  # fr
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))


COVERED.update(
    {
        "publish_release": (
            PublishRelease,
            ("id", "version", "created_at", "created_by", "notes", "files", "manifest", "signature", "key_id"),
        ),
        "publish_translation": (
            PublishTranslation,
            ("id", "designation_id", "field", "lang", "text", "created_at", "created_by"),
        ),
    }
)
