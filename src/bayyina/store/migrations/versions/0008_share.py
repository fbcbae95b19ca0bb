"""share: partner keys and received-bundle provenance (issue 7)

Revision ID: 0008_share
Revises: 0007_resolve_links
Create Date: 2026-11-26 00:50:00

Placeholder in the chain so areas built at the same time each own one
revision; the area fills in upgrade()/downgrade().
"""

from __future__ import annotations

revision = "0008_share"
down_revision = "0007_resolve_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
