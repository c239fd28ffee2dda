"""Cases, their versions (hash-chained) and the saves refused for a newer version.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case_id", sa.String(200), nullable=False, unique=True),
        sa.Column("kind", sa.String(20)),
        sa.Column("item", sa.String(40)),
        sa.Column("department", sa.String(100)),
        sa.Column("handler", sa.String(100)),
        sa.Column("stage", sa.String(40)),
        sa.Column("next_step", sa.String(200)),
        sa.Column("nearest", sa.Date),
        sa.Column("valid", sa.Boolean, nullable=False),
        sa.Column("head", sa.Integer, nullable=False),
        sa.Column("head_hash", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
    )
    op.create_index("cases_nearest", "cases", ["nearest"])
    op.create_index("cases_department", "cases", ["department"])
    op.create_index("cases_handler", "cases", ["handler"])
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("saved_at", sa.String(40), nullable=False),
        sa.Column("saved_by", sa.String(100), nullable=False),
        sa.Column("media", sa.String(10), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("valid", sa.Boolean, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("rules_version", sa.String(80), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("case", "number", name="versions_case_number"),
    )
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("case", sa.Integer, sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("base", sa.Integer, nullable=False),
        sa.Column("saved_at", sa.String(40), nullable=False),
        sa.Column("saved_by", sa.String(100), nullable=False),
        sa.Column("media", sa.String(10), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("conflicts")
    op.drop_table("versions")
    op.drop_table("cases")
