"""row versions: optimistic concurrency for edited records (issue 8)

Revision ID: 0011_row_versions
Revises: 0010_span_sensitivity
Create Date: 2026-11-26 03:30:00

Placeholder: filled in by the concurrency work (see docs/scale.md).
"""

from __future__ import annotations

revision = "0011_row_versions"
down_revision = "0010_span_sensitivity"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
