"""seed plans

A branch of its own, with its data: rows inserted and updated in SQL.

Revision ID: b2c3d4e5f6a7
Revises: 0f1e2d3c4b5a
Create Date: 2024-05-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "b2c3d4e5f6a7"
down_revision = "0f1e2d3c4b5a"
branch_labels = ("billing",)
depends_on = None


def upgrade() -> None:
    plan = op.create_table(
        "plan",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("price", sa.Numeric(10, 2), nullable=False),
        sa.Column("note", sa.Text()),
    )
    op.bulk_insert(plan, [
        {"code": "free", "price": 0, "note": "no; semicolons; here"},
        {"code": "pro", "price": 12.5, "note": None},
    ])
    op.execute("UPDATE plan SET price = price * 2 WHERE code = 'pro'")


def downgrade() -> None:
    op.drop_table("plan")
