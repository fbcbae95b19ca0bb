"""publish: public names-list releases (issue 7)

Revision ID: 0009_publish
Revises: 0008_share
Create Date: 2026-11-26 00:50:00

Placeholder in the chain so areas built at the same time each own one
revision; the area fills in upgrade()/downgrade().
"""

from __future__ import annotations

revision = "0009_publish"
down_revision = "0008_share"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
