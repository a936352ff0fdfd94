"""certificate.holder_note: what is printed beside the holder's name (date of birth or code tail), frozen at issue

Revision ID: 0029
Revises: 0021
Create Date: 2026-12-03 14:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0029'
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder_note', sa.String(length=60), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_column('holder_note')
