"""Canonical JSON and row digests: the exact bytes that get hashed and signed.

Canonical JSON is UTF-8, keys sorted, no insignificant whitespace, non-ASCII
kept as is. Datetimes become ISO-8601 UTC with microseconds; texts that a row
digest covers are replaced by their SHA-256 so digests stay small.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from bayyina.store.models import COVERED, Base


def canonical_json(obj: Any) -> str:
    """The one canonical JSON text of ``obj``."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256_text(text: str) -> str:
    """Hex SHA-256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iso_utc(ts: datetime) -> str:
    """ISO-8601 UTC with microseconds (naive datetimes are taken as UTC)."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_utc() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def _value(v: Any) -> Any:
    if isinstance(v, datetime):
        return iso_utc(v)
    if isinstance(v, str) and len(v) > 200:
        return "sha256:" + sha256_text(v)
    return v


def row_key(kind: str, row_id: int) -> str:
    """The subject name of one covered row, e.g. ``document:12``."""
    return f"{kind}:{row_id}"


def kind_of(obj: Base) -> str:
    """The covered kind of a model instance."""
    for kind, (model, _cols) in COVERED.items():
        if isinstance(obj, model):
            return kind
    raise TypeError(f"{type(obj).__name__} is not covered by the custody log")


def row_digest(obj: Base) -> str:
    """SHA-256 over the canonical JSON of the covered columns of a row."""
    _model, cols = COVERED[kind_of(obj)]
    data = {c: _value(getattr(obj, c)) for c in cols}
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()
