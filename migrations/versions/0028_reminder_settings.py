"""reminders: per-assignment schedule and escalation; in-app notices

Revision ID: 0028
Revises: 0021
Create Date: 2026-12-03 14:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0028'
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remind_days_before', sa.JSON(), server_default='[7]', nullable=False))
        batch_op.add_column(sa.Column('remind_on_due', sa.Boolean(), server_default=sa.true(), nullable=False))
        batch_op.add_column(sa.Column('remind_every_days', sa.Integer(), server_default='7', nullable=False))
        batch_op.add_column(sa.Column('remind_max_after', sa.Integer(), server_default='4', nullable=False))
        batch_op.add_column(sa.Column('escalate_head_days', sa.Integer(), server_default='7', nullable=False))
        batch_op.add_column(sa.Column('escalate_hr_days', sa.Integer(), server_default='21', nullable=False))
    op.create_table(
        'notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('link', sa.String(length=300), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_notice_account_read', 'notice', ['account_id', 'read_at'], unique=False)


def downgrade():
    op.drop_index('ix_notice_account_read', table_name='notice')
    op.drop_table('notice')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        for column in ('escalate_hr_days', 'escalate_head_days', 'remind_max_after', 'remind_every_days',
                       'remind_on_due', 'remind_days_before'):
            batch_op.drop_column(column)
