"""staff imports

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 23:51:04.952124

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_staff_import_account_id_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_import'))
    )
    with op.batch_alter_table('staff_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_import_account_id'), ['account_id'], unique=False)



def downgrade():
    with op.batch_alter_table('staff_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_import_account_id'))

    op.drop_table('staff_import')
