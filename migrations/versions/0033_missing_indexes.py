"""Missing indexes (issue 19, item 1): completion.attempt_id (looked up on every quiz submit), a person's
completions and attempts per course, and every foreign key column that was not the leading column of an index
(deleting or merging a referenced row scanned the referencing table).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-04 19:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None

# (table, columns, index name); the single-column names are the ones ``index=True`` gives in the models.
SINGLE = [
    ('completion', 'attempt_id'),
    ('account_token', 'created_by_id'),
    ('api_token', 'unit_id'),
    ('api_token', 'created_by_id'),
    ('assignment', 'created_by_id'),
    ('attempt', 'course_version_id'),
    ('certificate', 'course_version_id'),
    ('certificate', 'superseded_by_id'),
    ('certificate', 'revoked_by_id'),
    ('completion', 'course_version_id'),
    ('course', 'current_version_id'),
    ('exemption', 'requested_by_id'),
    ('exemption', 'decided_by_id'),
    ('job', 'created_by_id'),
    ('lesson_progress', 'course_id'),
    ('par_rubric', 'uploaded_by_id'),
    ('par_snapshot', 'frozen_by_id'),
    ('par_snapshot', 'rubric_id'),
    ('par_snapshot', 'unfrozen_by_id'),
    ('par_verification', 'unit_id'),
    ('par_verification', 'rubric_id'),
    ('par_verification', 'updated_by_id'),
    ('reminder_log', 'assignment_id'),
    ('retention_policy', 'updated_by_id'),
    ('role_grant', 'unit_id'),
    ('unit', 'successor_id'),
]
COMPOSITE = [
    ('completion', ['person_id', 'course_id', 'completed_at'], 'ix_completion_person_course_completed'),
    ('attempt', ['person_id', 'course_id', 'started_at'], 'ix_attempt_person_course_started'),
]
INDEXES = [(table, [column], f'ix_{table}_{column}') for table, column in SINGLE] + COMPOSITE


def upgrade():
    for table, columns, name in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for table, _columns, name in reversed(INDEXES):
        op.drop_index(name, table_name=table)
