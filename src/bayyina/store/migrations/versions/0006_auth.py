"""auth: users, roles, sessions, API tokens (issue 6)

Revision ID: 0006_auth
Revises: 0005_sensitivity
Create Date: 2026-11-26 00:50:00

Placeholder in the chain so areas built at the same time each own one
revision; the area fills in upgrade()/downgrade().
"""

from __future__ import annotations

revision = "0006_auth"
down_revision = "0005_sensitivity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
