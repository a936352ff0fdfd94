"""lesson progress and quiz attempts

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 00:26:00.657212

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('course_version_id', sa.Integer(), nullable=False),
    sa.Column('open_key', sa.String(length=40), nullable=True),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('pages', sa.JSON(), nullable=False),
    sa.Column('option_order', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submit_reason', sa.String(length=20), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_attempt_course_id_course')),
    sa.ForeignKeyConstraint(['course_version_id'], ['course_version.id'], name=op.f('fk_attempt_course_version_id_course_version')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_attempt_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt')),
    sa.UniqueConstraint('open_key', name=op.f('uq_attempt_open_key'))
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempt_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attempt_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('lesson_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('lesson_slug', sa.String(length=120), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_lesson_progress_course_id_course')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_lesson_progress_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lesson_progress')),
    sa.UniqueConstraint('person_id', 'course_id', 'lesson_slug', name=op.f('uq_lesson_progress_person_id'))
    )
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lesson_progress_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('lesson_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lesson_progress_person_id'))

    op.drop_table('lesson_progress')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempt_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_attempt_person_id'))
        batch_op.drop_index(batch_op.f('ix_attempt_course_id'))

    op.drop_table('attempt')
