"""The account's principal stamp (issue 19, item 2): bumped on any change to who the account is (role grants and
revokes, status, password, second factor, the person's unit, name, activity or leaving date, a move of a unit
the account's person or grants are in), so the principal kept in the signed session is reloaded at the next
request (``auth.principal``).

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-04 20:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0034'
down_revision = '0033'  # the brief said 0031, but main's head is 0033 (two heads otherwise)
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account') as batch_op:
        batch_op.add_column(sa.Column('auth_stamp', sa.Integer(), nullable=False, server_default='1'))


def downgrade():
    with op.batch_alter_table('account') as batch_op:
        batch_op.drop_column('auth_stamp')
