"""Sensitivity levels and clearance: what a reader may see.

Levels are ordered: ``public`` < ``partner`` < ``restricted`` (e.g. a
witness's identity). A reader cleared for a level sees everything at or below
it; nothing above it may appear in pages, search, snippets, counts, API
responses, exports or partner bundles.
"""

from __future__ import annotations

LEVELS: tuple[str, ...] = ("public", "partner", "restricted")
DEFAULT = "public"


class SensitivityError(ValueError):
    """An unknown sensitivity level."""


def check_level(level: str) -> str:
    """``level`` normalised, or :class:`SensitivityError` naming the allowed levels."""
    norm = level.strip().lower()
    if norm not in LEVELS:
        raise SensitivityError(f"unknown sensitivity {level!r}: expected one of {', '.join(LEVELS)}")
    return norm


def rank(level: str) -> int:
    """The order of ``level`` (0 = public)."""
    return LEVELS.index(check_level(level))


def allowed(level: str, clearance: str) -> bool:
    """Whether a reader cleared for ``clearance`` may see material at ``level``."""
    return rank(level) <= rank(clearance)


def visible_levels(clearance: str) -> tuple[str, ...]:
    """The levels a reader cleared for ``clearance`` may see (for SQL ``IN`` filters)."""
    return LEVELS[: rank(clearance) + 1]
