"""lesson_opening: when a person first opened a lesson page (the reading-time gate, issue 18 item 4)

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-04 19:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lesson_opening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.Integer(), nullable=False),
    sa.Column('first_opened_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['lesson_id'], ['lesson.id'], name=op.f('fk_lesson_opening_lesson_id_lesson')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_lesson_opening_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_opening')),
    sa.UniqueConstraint('person_id', 'lesson_id', name=op.f('uq_lesson_opening_person_id'))
    )
    with op.batch_alter_table('lesson_opening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_opening_lesson_id'), ['lesson_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lesson_opening_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('lesson_opening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_opening_person_id'))
        batch_op.drop_index(batch_op.f('ix_lesson_opening_lesson_id'))
    op.drop_table('lesson_opening')
