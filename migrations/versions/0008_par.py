"""par rubrics, verifications, snapshots

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 00:09:45.776780

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('par_rubric',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('example', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['account.id'], name=op.f('fk_par_rubric_uploaded_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_rubric')),
    sa.UniqueConstraint('code', 'version', name=op.f('uq_par_rubric_code'))
    )
    op.create_table('par_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=False),
    sa.Column('frozen_at', sa.DateTime(), nullable=False),
    sa.Column('frozen_by_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['frozen_by_id'], ['account.id'], name=op.f('fk_par_snapshot_frozen_by_id_account')),
    sa.ForeignKeyConstraint(['rubric_id'], ['par_rubric.id'], name=op.f('fk_par_snapshot_rubric_id_par_rubric')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_snapshot'))
    )
    with op.batch_alter_table('par_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_par_snapshot_period'), ['period'], unique=False)

    op.create_table('par_verification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('rubric_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=20), nullable=False),
    sa.Column('points', sa.Double(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['rubric_id'], ['par_rubric.id'], name=op.f('fk_par_verification_rubric_id_par_rubric')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_par_verification_unit_id_unit')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['account.id'], name=op.f('fk_par_verification_updated_by_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_par_verification')),
    sa.UniqueConstraint('period', 'unit_id', 'rubric_id', 'criterion', name=op.f('uq_par_verification_period'))
    )
    with op.batch_alter_table('par_verification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_par_verification_period'), ['period'], unique=False)



def downgrade():
    with op.batch_alter_table('par_verification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_par_verification_period'))

    op.drop_table('par_verification')
    with op.batch_alter_table('par_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_par_snapshot_period'))

    op.drop_table('par_snapshot')
    op.drop_table('par_rubric')
