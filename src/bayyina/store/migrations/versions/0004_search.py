"""search index: search_index table, FTS5 on SQLite, tsvector + GIN on PostgreSQL

Revision ID: 0004_search
Revises: 0003_actors_sanctions
Create Date: 2026-11-26 00:20:00

``search_index`` holds one row per searchable record (kind document |
incident | actor, its id, a title, its normalised text and the analysed text
of :mod:`bayyina.search.analyzer`). SQLite: an external-content FTS5 table
``search_fts`` over ``analysed``, kept in step by triggers. PostgreSQL: a
generated ``tsv`` column (``to_tsvector('simple', analysed)``) with a GIN index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_search"
down_revision = "0003_actors_sanctions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_index",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("analysed", sa.Text(), nullable=False),
        sa.Column("stamp", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "ref_id", name="uq_search_index_kind_ref"),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(analysed, content='search_index', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 0')"
        )
        op.execute(
            "CREATE TRIGGER search_index_ai AFTER INSERT ON search_index BEGIN "
            "INSERT INTO search_fts(rowid, analysed) VALUES (new.id, new.analysed); END"
        )
        op.execute(
            "CREATE TRIGGER search_index_ad AFTER DELETE ON search_index BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, analysed) VALUES ('delete', old.id, old.analysed); END"
        )
        op.execute(
            "CREATE TRIGGER search_index_au AFTER UPDATE ON search_index BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, analysed) VALUES ('delete', old.id, old.analysed); "
            "INSERT INTO search_fts(rowid, analysed) VALUES (new.id, new.analysed); END"
        )
    elif dialect == "postgresql":
        op.execute(
            "ALTER TABLE search_index ADD COLUMN tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, analysed)) STORED"
        )
        op.execute("CREATE INDEX ix_search_index_tsv ON search_index USING gin (tsv)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for trig in ("search_index_ai", "search_index_ad", "search_index_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trig}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_index")
