"""The feeds' review queue: articles read from the feeds, their candidate statements, each
refresh's report (lib/feeds). Nothing in `statements` changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The statuses as they are at this revision; a later change to the list needs its own revision.
STATUSES = ("pending", "approved", "rejected", "off_topic")


def upgrade() -> None:
    op.create_table(
        "feed_articles",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("feed", sa.String(16), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False, unique=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("source_name", sa.String(200), nullable=False),
        sa.Column("published", sa.Date, nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "feed_candidates",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("feed_articles.id"), nullable=False),
        sa.Column("char_start", sa.Integer, nullable=False),
        sa.Column("char_end", sa.Integer, nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("speaker", sa.String(200), nullable=False),
        sa.Column("role", sa.String(300), nullable=False),
        sa.Column("affiliation", sa.String(200), nullable=False),
        sa.Column("stance", sa.String(32), nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("quote_is_paraphrase", sa.Boolean(create_constraint=True), nullable=False),
        sa.Column("mediators", sa.Text, nullable=False),
        sa.Column("source_name", sa.String(200), nullable=False),
        sa.Column("source_url", sa.String(2000), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(100), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("statement_id", sa.Integer, nullable=True),
        sa.CheckConstraint(
            sa.column("status").in_(STATUSES), name="feed_candidates_status_is_known"
        ),
    )
    op.create_index("ix_feed_candidates_date", "feed_candidates", ["date"])
    op.create_index("ix_feed_candidates_status", "feed_candidates", ["status"])
    op.create_table(
        "feed_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("feed", sa.String(16), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("problems", sa.Text, nullable=False),
    )
    op.create_index("ix_feed_runs_feed", "feed_runs", ["feed"])


def downgrade() -> None:
    op.drop_table("feed_runs")
    op.drop_table("feed_candidates")
    op.drop_table("feed_articles")
