"""The shared snapshot store: the live-source cache and its refresh log in the database.

With DATABASE_URL on PostgreSQL every replica of a team deployment reads and writes these
(lib/sources/shared_store.py) instead of its own disk. They are created on SQLite as well, where
they stay empty: one machine keeps the file cache.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "snapshot_sources",
        sa.Column("source", sa.String(32), primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "snapshot_entries",
        sa.Column("source", sa.String(32), primary_key=True),
        sa.Column("status", sa.String(16), primary_key=True),
        sa.Column("date", sa.Date, primary_key=True),
        sa.Column("entry", sa.Text, nullable=False),
        sa.Column("geoparquet", sa.LargeBinary, nullable=True),
        sa.CheckConstraint(
            sa.column("status").in_(("accepted", "quarantined")),
            name="snapshot_entries_status_is_known",
        ),
    )
    op.create_table(
        "snapshot_refreshes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("report", sa.Text, nullable=False),
    )
    op.create_index("ix_snapshot_refreshes_source", "snapshot_refreshes", ["source"])


def downgrade() -> None:
    op.drop_index("ix_snapshot_refreshes_source", "snapshot_refreshes")
    op.drop_table("snapshot_refreshes")
    op.drop_table("snapshot_entries")
    op.drop_table("snapshot_sources")
