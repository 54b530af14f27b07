"""add orders

Revision ID: a1b2c3d4e5f6
Revises: 0f1e2d3c4b5a
Create Date: 2024-05-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "a1b2c3d4e5f6"
down_revision = "0f1e2d3c4b5a"
branch_labels = ("orders",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("account_id", sa.Integer(), sa.ForeignKey("account.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("total", sa.Numeric(10, 2), nullable=False, server_default="0"),
        sa.CheckConstraint("total >= 0", name="orders_total_positive"),
    )


def downgrade() -> None:
    op.drop_table("orders")
