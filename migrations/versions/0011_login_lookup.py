"""log-in looks people up by lower(code) and lower(e-mail): index both

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    # Without them every log-in scans the whole person table (60,000 rows: tens of milliseconds).
    op.create_index('ix_person_lower_employee_code', 'person', [sa.text('lower(employee_code)')])
    op.create_index('ix_person_lower_email', 'person', [sa.text('lower(email)')])


def downgrade():
    op.drop_index('ix_person_lower_email', table_name='person')
    op.drop_index('ix_person_lower_employee_code', table_name='person')
