"""index certificate.completion_id: a learner's statuses join it per completion

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 16:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Without it, one learner's assignment statuses (the home page) scan every certificate.
    op.create_index(op.f('ix_certificate_completion_id'), 'certificate', ['completion_id'])


def downgrade():
    op.drop_index(op.f('ix_certificate_completion_id'), table_name='certificate')
