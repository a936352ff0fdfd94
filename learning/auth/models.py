"""Log-in accounts and role grants scoped to a unit subtree."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext
from flask_login import UserMixin
from sqlalchemy import BigInteger, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.auth import passwords
from learning.core.dates import local_today, utcnow
from learning.extensions import db
from learning.org.models import Person, Unit


class Role(enum.StrEnum):
    LEARNER = "learner"
    UNIT_HEAD = "unit_head"
    HR = "hr"
    PAR_ASSESSOR = "par_assessor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.LEARNER: lazy_gettext("Học viên"),
    Role.UNIT_HEAD: lazy_gettext("Thủ trưởng đơn vị"),
    Role.HR: lazy_gettext("Tổ chức cán bộ"),
    Role.PAR_ASSESSOR: lazy_gettext("Thẩm định CCHC"),
    Role.ADMIN: lazy_gettext("Quản trị hệ thống"),
}


class AccountStatus(enum.StrEnum):
    """Only ``active`` accounts sign in. ``invited`` until the first sign-in (no password yet); ``locked`` by an
    administrator (a suspected compromise, a dispute: "Khóa" / "Mở khóa" on the person page) — wrong passwords
    never lock, they only slow down (``auth.throttle``); ``disabled`` follows the person: set when they become
    inactive or their leaving date has passed, lifted when they are active again (``auth.lifecycle``). Every
    record of a locked or disabled account is kept."""

    INVITED = "invited"
    ACTIVE = "active"
    LOCKED = "locked"
    DISABLED = "disabled"

    @property
    def label(self) -> str:
        return str(ACCOUNT_STATUS_LABELS[self])


ACCOUNT_STATUS_LABELS = {
    AccountStatus.INVITED: lazy_gettext("Chưa kích hoạt"),
    AccountStatus.ACTIVE: lazy_gettext("Đang hoạt động"),
    AccountStatus.LOCKED: lazy_gettext("Tạm khóa"),
    AccountStatus.DISABLED: lazy_gettext("Đã vô hiệu hóa"),
}


class Account(UserMixin, db.Model):
    """One per person, created with the person (``auth.receivers``); ``password_hash`` is NULL until the person
    sets a password (activation) — an account that signs in only through SSO may never have one."""

    __tablename__ = "account"
    __table_args__ = (UniqueConstraint("sso_provider", "sso_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(20), default=AccountStatus.INVITED.value, index=True)
    # Bumped on log-out everywhere, password change or reset, disabling: sessions and remember cookies that
    # carry an older number stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    # Bumped on any change to who the account is (``auth.principal``): the principal kept in the signed session
    # carries the stamp it was built at and is rebuilt when it differs.
    auth_stamp: Mapped[int] = mapped_column(default=1, server_default="1")
    sso_provider: Mapped[str | None] = mapped_column(String(20))  # "oidc" or "ldap"
    sso_subject: Mapped[str | None] = mapped_column(String(255))
    # Why a ``disabled`` account is disabled: ``left`` (the person is inactive or past their leaving date; lifted
    # when they are active again, ``auth.lifecycle``) or ``admin`` (on the person page; lifted only there).
    disabled_reason: Mapped[str | None] = mapped_column(String(20))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Second factor (auth.mfa): the TOTP secret, encrypted; when it was confirmed; the last 30-second step a
    # code was accepted for (a code is never accepted twice).
    mfa_secret: Mapped[str | None] = mapped_column(String(255))
    mfa_enrolled_at: Mapped[datetime | None] = mapped_column(DateTime)
    mfa_last_step: Mapped[int | None] = mapped_column(BigInteger)

    person: Mapped[Person] = relationship(lazy="joined")
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="account", lazy="selectin", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = passwords.hash_password(password)
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and passwords.verify(self.password_hash, password)

    def upgrade_password_hash(self, password: str) -> bool:
        """Hash a just-proven password again when its stored hash is of an earlier kind or cost (not a password
        change: ``password_changed_at`` stays). Whether it did."""
        if self.password_hash is None or not passwords.needs_rehash(self.password_hash):
            return False
        self.password_hash = passwords.hash_password(password)
        return True

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session and the remember cookie: with the session version, so a bump
        (log-out, password change, disabling…) makes every earlier session and remember cookie unknown."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Every session and remember cookie of this account stops working at its next request."""
        self.session_version = (self.session_version or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts; the user loader re-checks each request
        return self.status not in (AccountStatus.DISABLED, AccountStatus.LOCKED) and person_present(self.person)

    @property
    def can_sign_in(self) -> bool:
        return self.status == AccountStatus.ACTIVE and person_present(self.person)

    @property
    def status_label(self) -> str:
        return AccountStatus(self.status).label

    @property
    def roles(self) -> set[Role]:
        return {Role.LEARNER} | {Role(g.role) for g in self.grants}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def mfa_enrolled(self) -> bool:
        return self.mfa_enrolled_at is not None and self.mfa_secret is not None

    @property
    def display_name(self) -> str:  # as ``auth.principal.PrincipalUser.display_name``, without its SQL-free path
        return self.person.full_name



def person_present(person: Person, today: date | None = None) -> bool:
    """Active and not past their leaving date (the leaving day itself still counts)."""
    today = today or local_today()
    return person.active and (person.left_on is None or person.left_on >= today)


class RoleGrant(db.Model):
    """A role over a unit subtree; ``unit_id`` NULL means the whole province."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("account_id", "role", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    account: Mapped[Account] = relationship(back_populates="grants")
    unit: Mapped[Unit | None] = relationship(lazy="joined")

    @property
    def role_label(self) -> str:
        return Role(self.role).label


class TokenPurpose(enum.StrEnum):
    INVITATION = "invitation"  # the activation link of an invitation e-mail
    LETTER = "letter"  # the one-time activation code of a printed letter
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose name, not a password  # nosec B105


class AccountToken(db.Model):
    """A single-use secret sent to a person; only its SHA-256 is stored."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)

    account: Mapped[Account] = relationship(foreign_keys=[account_id])


class RecoveryCode(db.Model):
    """A one-time code that stands in for a TOTP code (a lost phone); only its SHA-256 is stored."""

    __tablename__ = "mfa_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
