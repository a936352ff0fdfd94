"""account lifecycle: why a disabled account is disabled (the person left, or an administrator); the unused
failed_logins / locked_until columns go (wrong passwords are throttled, never counted on the account)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03 14:00:00

"""
import warnings

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    with warnings.catch_warnings():  # SQLite's copy of the table reflects person, whose lower() indexes it skips
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('account', schema=None) as batch_op:
            batch_op.add_column(sa.Column('disabled_reason', sa.String(length=20), nullable=True))
            batch_op.drop_column('failed_logins')
            batch_op.drop_column('locked_until')
    # Accounts disabled so far followed the person, except where the person is still present.
    op.execute("UPDATE account SET disabled_reason = CASE WHEN EXISTS (SELECT 1 FROM person p WHERE "
               "p.id = account.person_id AND (p.active = false OR (p.left_on IS NOT NULL AND "
               "p.left_on < CURRENT_DATE))) THEN 'left' ELSE 'admin' END WHERE status = 'disabled'")
    # People already inactive: their accounts are disabled now (past leaving dates: `flask accounts sweep`, nightly).
    op.execute("UPDATE account SET status = 'disabled', disabled_reason = 'left', "
               "session_version = session_version + 1 WHERE status <> 'disabled' AND EXISTS "
               "(SELECT 1 FROM person p WHERE p.id = account.person_id AND p.active = false)")


def downgrade():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        with op.batch_alter_table('account', schema=None) as batch_op:
            batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
            batch_op.drop_column('disabled_reason')
