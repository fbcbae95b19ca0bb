"""Users, roles, login sessions and API tokens of the web app (issue 6).

Tables register on :class:`bayyina.store.models.Base`; their migration is
the matching revision under ``store/migrations/versions``.
"""

from __future__ import annotations
