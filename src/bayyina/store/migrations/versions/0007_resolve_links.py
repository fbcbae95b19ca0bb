"""resolve_links: perpetrator-actor links, attributions, actor merges (issue 5)

Revision ID: 0007_resolve_links
Revises: 0006_auth
Create Date: 2026-11-26 00:50:00

Placeholder in the chain so areas built at the same time each own one
revision; the area fills in upgrade()/downgrade().
"""

from __future__ import annotations

revision = "0007_resolve_links"
down_revision = "0006_auth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
