"""mfa: TOTP secret (encrypted), enrolment time and last accepted step on the account; one-time recovery codes

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-03 13:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021'
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mfa_secret', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('mfa_enrolled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('mfa_last_step', sa.BigInteger(), nullable=True))
    op.create_table(
        'mfa_recovery_code',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['account.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('code_hash'),
    )
    op.create_index('ix_mfa_recovery_code_account_id', 'mfa_recovery_code', ['account_id'], unique=False)


def downgrade():
    op.drop_index('ix_mfa_recovery_code_account_id', table_name='mfa_recovery_code')
    op.drop_table('mfa_recovery_code')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('mfa_last_step')
        batch_op.drop_column('mfa_enrolled_at')
        batch_op.drop_column('mfa_secret')
