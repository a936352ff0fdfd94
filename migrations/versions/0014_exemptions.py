"""exemptions and extensions per person and assignment; joiners' days to complete

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 09:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('joiner_days', sa.Integer(), nullable=False, server_default='30'))
    op.create_table(
        'exemption',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('new_due_on', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id']),
        sa.ForeignKeyConstraint(['requested_by_id'], ['account.id']),
        sa.ForeignKeyConstraint(['decided_by_id'], ['account.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_exemption_person_id'), 'exemption', ['person_id'], unique=False)
    op.create_index(op.f('ix_exemption_assignment_id'), 'exemption', ['assignment_id'], unique=False)
    op.create_index(op.f('ix_exemption_status'), 'exemption', ['status'], unique=False)
    op.create_index('ix_exemption_assignment_status', 'exemption', ['assignment_id', 'status'], unique=False)


def downgrade():
    op.drop_table('exemption')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_column('joiner_days')
