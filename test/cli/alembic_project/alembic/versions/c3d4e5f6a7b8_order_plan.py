"""order plan

Revision ID: c3d4e5f6a7b8
Revises: a1b2c3d4e5f6
Create Date: 2024-05-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "c3d4e5f6a7b8"
down_revision = "a1b2c3d4e5f6"
branch_labels = None
depends_on = "b2c3d4e5f6a7"


def upgrade() -> None:
    op.add_column("orders", sa.Column("plan_code", sa.String(20),
                                      sa.ForeignKey("plan.code", name="orders_plan_fk")))
    op.create_index("ix_orders_plan", "orders", ["plan_code"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_orders_plan", table_name="orders")
    op.drop_constraint("orders_plan_fk", "orders", type_="foreignkey")
    op.drop_column("orders", "plan_code")
