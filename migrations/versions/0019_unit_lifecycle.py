"""unit lifecycle: names over time, the successor of a merged unit, unit imports kept between preview and
confirmation; PAR snapshots unfrozen with a reason rather than deleted

Revision ID: 0019
Revises: 0014
Create Date: 2026-12-03 10:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('successor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_unit_successor_id', 'unit', ['successor_id'], ['id'])
    op.create_table(
        'unit_name',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_to', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_unit_name_unit_period', 'unit_name', ['unit_id', 'valid_to'], unique=False)
    with op.batch_alter_table('staff_import', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=False, server_default='staff'))
    with op.batch_alter_table('par_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unfrozen_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('unfrozen_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('unfreeze_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key('fk_par_snapshot_unfrozen_by_id', 'account', ['unfrozen_by_id'], ['id'])


def downgrade():
    with op.batch_alter_table('par_snapshot', schema=None) as batch_op:
        batch_op.drop_constraint('fk_par_snapshot_unfrozen_by_id', type_='foreignkey')
        batch_op.drop_column('unfreeze_reason')
        batch_op.drop_column('unfrozen_by_id')
        batch_op.drop_column('unfrozen_at')
    with op.batch_alter_table('staff_import', schema=None) as batch_op:
        batch_op.drop_column('kind')
    op.drop_index('ix_unit_name_unit_period', table_name='unit_name')
    op.drop_table('unit_name')
    with op.batch_alter_table('unit', schema=None) as batch_op:
        batch_op.drop_constraint('fk_unit_successor_id', type_='foreignkey')
        batch_op.drop_column('successor_id')
