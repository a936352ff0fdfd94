"""retention policy, purged attempt details, api token purpose

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('retention_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audit_months', sa.Integer(), nullable=False),
    sa.Column('attempt_months', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('audit_months >= 12', name=op.f('ck_retention_policy_audit_months_min')),
    sa.CheckConstraint('attempt_months >= 6', name=op.f('ck_retention_policy_attempt_months_min')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['account.id'], name=op.f('fk_retention_policy_updated_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_policy'))
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details_purged_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('purpose')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_column('details_purged_at')
    op.drop_table('retention_policy')
