"""an account for every person (status, session version, SSO link, single-use tokens); people over time
(joining and leaving dates, unit memberships)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 19:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), nullable=False, server_default='active'))
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('sso_provider', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('sso_subject', sa.String(length=255), nullable=True))
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=True)
        batch_op.create_index(batch_op.f('ix_account_status'), ['status'], unique=False)
        batch_op.create_unique_constraint('uq_account_sso_provider', ['sso_provider', 'sso_subject'])
    # Existing accounts were made with a password (demo log-ins, create-admin): they are active unless disabled.
    op.execute("UPDATE account SET status = 'disabled' WHERE enabled = false")
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_column('enabled')

    op.create_table(
        'account_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=20), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['account.id']),
        sa.ForeignKeyConstraint(['created_by_id'], ['account.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index(op.f('ix_account_token_account_id'), 'account_token', ['account_id'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('joined_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('left_on', sa.Date(), nullable=True))
    op.create_table(
        'unit_membership',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['person_id'], ['person.id']),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_unit_membership_person_id'), 'unit_membership', ['person_id'], unique=False)
    op.create_index('ix_unit_membership_unit_period', 'unit_membership', ['unit_id', 'valid_from', 'valid_to'],
                    unique=False)

    # Backfill: everyone's current unit, open-ended (no history was kept before); an account for everyone.
    op.execute("INSERT INTO unit_membership (person_id, unit_id, valid_from, valid_to, created_at) "
               "SELECT id, unit_id, NULL, NULL, CURRENT_TIMESTAMP FROM person")
    op.execute("INSERT INTO account (person_id, password_hash, status, session_version, failed_logins, "
               "must_change_password, created_at) "
               "SELECT p.id, NULL, 'invited', 1, 0, false, CURRENT_TIMESTAMP FROM person p "
               "WHERE NOT EXISTS (SELECT 1 FROM account a WHERE a.person_id = p.id)")


def downgrade():
    op.execute("DELETE FROM account WHERE password_hash IS NULL")
    op.drop_index('ix_unit_membership_unit_period', table_name='unit_membership')
    op.drop_index(op.f('ix_unit_membership_person_id'), table_name='unit_membership')
    op.drop_table('unit_membership')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('left_on')
        batch_op.drop_column('joined_on')
    op.drop_index(op.f('ix_account_token_account_id'), table_name='account_token')
    op.drop_table('account_token')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enabled', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.execute("UPDATE account SET enabled = false WHERE status = 'disabled'")
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_constraint('uq_account_sso_provider', type_='unique')
        batch_op.drop_index(batch_op.f('ix_account_status'))
        batch_op.alter_column('password_hash', existing_type=sa.String(length=255), nullable=False)
        batch_op.drop_column('sso_subject')
        batch_op.drop_column('sso_provider')
        batch_op.drop_column('session_version')
        batch_op.drop_column('status')
