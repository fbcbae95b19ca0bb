"""Releases of the public names list (issue 7).

Tables register on :class:`bayyina.store.models.Base`; their migration is
the matching revision under ``store/migrations/versions``.
"""

from __future__ import annotations
