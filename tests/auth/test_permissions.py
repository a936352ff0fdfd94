"""One table decides who may do what to which object; these rows are that contract."""

import pytest
from sqlalchemy import select

from learning.auth.models import AccountStatus, Role
from learning.auth.permissions import Action, can, may_restructure, unit_scope_clause
from learning.extensions import db
from learning.org.models import Unit

IN, OUT, SELF, NONE = "in-scope", "out-of-scope", "self", "no-object"

# (role, scope of the grant, action, target, allowed)
MATRIX = [
    (Role.LEARNER, None, Action.VIEW_SELF, SELF, True),
    (Role.LEARNER, None, Action.VIEW_PERSON, SELF, True),
    (Role.LEARNER, None, Action.VIEW_PERSON, IN, False),
    (Role.LEARNER, None, Action.VIEW_UNIT, IN, False),
    (Role.LEARNER, None, Action.VIEW_COMPLIANCE, NONE, False),
    (Role.UNIT_HEAD, "dept", Action.VIEW_UNIT, IN, True),
    (Role.UNIT_HEAD, "dept", Action.VIEW_UNIT, OUT, False),
    (Role.UNIT_HEAD, "dept", Action.VIEW_PERSON, IN, True),
    (Role.UNIT_HEAD, "dept", Action.VIEW_PERSON, OUT, False),
    (Role.UNIT_HEAD, "dept", Action.VIEW_COMPLIANCE, IN, True),
    (Role.UNIT_HEAD, "dept", Action.VIEW_COMPLIANCE, OUT, False),
    (Role.UNIT_HEAD, "dept", Action.EDIT_PERSON, IN, False),
    (Role.UNIT_HEAD, "dept", Action.MANAGE_CERTIFICATES, IN, False),
    (Role.UNIT_HEAD, "dept", Action.ASSESS_PAR, NONE, False),
    (Role.HR, "dept", Action.EDIT_PERSON, IN, True),
    (Role.HR, "dept", Action.EDIT_PERSON, OUT, False),
    (Role.HR, "dept", Action.MANAGE_ASSIGNMENTS, IN, True),
    (Role.HR, "dept", Action.MANAGE_CERTIFICATES, OUT, False),
    (Role.HR, None, Action.MANAGE_CERTIFICATES, OUT, True),
    (Role.HR, None, Action.VIEW_PERSON, OUT, True),
    (Role.HR, None, Action.MANAGE_ACCOUNTS, NONE, False),
    (Role.HR, None, Action.ADMINISTER, NONE, False),
    (Role.HR, "dept", Action.MANAGE_SIGN_IN, IN, True),
    (Role.HR, "dept", Action.MANAGE_SIGN_IN, OUT, False),
    (Role.UNIT_HEAD, "dept", Action.MANAGE_SIGN_IN, IN, False),
    (Role.ADMIN, None, Action.MANAGE_SIGN_IN, OUT, True),
    (Role.PAR_ASSESSOR, None, Action.VIEW_PAR, OUT, True),
    (Role.PAR_ASSESSOR, None, Action.ASSESS_PAR, NONE, True),
    (Role.PAR_ASSESSOR, None, Action.VIEW_PERSON, IN, False),
    (Role.PAR_ASSESSOR, None, Action.EDIT_PERSON, IN, False),
    (Role.PAR_ASSESSOR, "dept", Action.ASSESS_PAR, NONE, False),
    (Role.ADMIN, None, Action.MANAGE_ACCOUNTS, NONE, True),
    (Role.ADMIN, None, Action.ADMINISTER, NONE, True),
    (Role.ADMIN, None, Action.VIEW_PERSON, OUT, True),
    (Role.ADMIN, "dept", Action.MANAGE_ACCOUNTS, NONE, False),
    (Role.ADMIN, None, Action.ASSESS_PAR, NONE, False),
    (Role.HR, "dept", Action.MANAGE_UNITS, IN, True),
    (Role.HR, "dept", Action.MANAGE_UNITS, OUT, False),
    (Role.HR, None, Action.MANAGE_UNITS, OUT, True),
    (Role.UNIT_HEAD, "dept", Action.MANAGE_UNITS, IN, False),
    (Role.PAR_ASSESSOR, None, Action.MANAGE_UNITS, IN, False),
    (Role.ADMIN, None, Action.MANAGE_UNITS, OUT, True),
    # Exemptions: unit heads ask, HR decides, both in their scope; nobody asks for themself
    (Role.UNIT_HEAD, "dept", Action.REQUEST_EXEMPTION, IN, True),
    (Role.UNIT_HEAD, "dept", Action.REQUEST_EXEMPTION, OUT, False),
    (Role.UNIT_HEAD, "dept", Action.DECIDE_EXEMPTION, IN, False),
    (Role.UNIT_HEAD, "dept", Action.REMIND_PERSON, IN, True),
    (Role.UNIT_HEAD, "dept", Action.REMIND_PERSON, OUT, False),
    (Role.HR, "dept", Action.DECIDE_EXEMPTION, IN, True),
    (Role.HR, "dept", Action.DECIDE_EXEMPTION, OUT, False),
    (Role.HR, None, Action.DECIDE_EXEMPTION, OUT, True),
    (Role.LEARNER, None, Action.REQUEST_EXEMPTION, SELF, False),
    (Role.LEARNER, None, Action.REMIND_PERSON, SELF, False),
    (Role.PAR_ASSESSOR, None, Action.REQUEST_EXEMPTION, IN, False),
    (Role.PAR_ASSESSOR, None, Action.DECIDE_EXEMPTION, IN, False),
    (Role.ADMIN, None, Action.DECIDE_EXEMPTION, OUT, True),
]


@pytest.fixture
def org(province, create_unit, create_person):
    dept = create_unit("Sở Tư pháp", parent=province, kind="so_nganh")
    office = create_unit("Phòng Hành chính tư pháp", parent=dept)
    other = create_unit("Sở Y tế", parent=province, kind="so_nganh")
    return {
        "dept": dept,
        IN: create_person("Trần Thị Bình", unit=office),
        OUT: create_person("Lê Văn Cường", unit=other),
        "in-unit": office,
        "out-unit": other,
    }


@pytest.mark.parametrize(("role", "scope", "action", "target", "allowed"), MATRIX,
                         ids=[f"{r.value}-{s or 'province'}-{a.value}-{t}" for r, s, a, t, _ in MATRIX])
def test_permission_matrix(org, create_account, role, scope, action, target, allowed):
    grants = [] if role is Role.LEARNER else [(role, org[scope] if scope else None)]
    account = create_account(*grants, unit=org["in-unit"])
    obj = {SELF: account.person, NONE: None}.get(target, org.get(target))
    assert can(account, action, obj) is allowed
    if target in (IN, OUT) and action in (Action.VIEW_UNIT, Action.VIEW_PERSON, Action.EDIT_PERSON,
                                          Action.MANAGE_UNITS):
        unit = org["in-unit"] if target == IN else org["out-unit"]
        assert can(account, action, unit) is allowed


def test_scope_clause_lists_exactly_the_subtree(org, create_account):
    head = create_account((Role.UNIT_HEAD, org["dept"]))
    codes = set(db.session.scalars(select(Unit.code).where(unit_scope_clause(head, Action.VIEW_UNIT))))
    assert codes == {org["dept"].code, org["in-unit"].code}


def test_anonymous_and_disabled_accounts_may_do_nothing(org, create_account):
    assert not can(None, Action.VIEW_SELF)
    account = create_account((Role.ADMIN, None))
    account.status = AccountStatus.DISABLED.value
    assert not can(account, Action.ADMINISTER)


def test_only_who_manages_the_unit_above_may_move_merge_or_dissolve_it(org, create_account, province):
    sub_hr = create_account((Role.HR, org["dept"]))
    assert may_restructure(sub_hr, org["in-unit"]) and not may_restructure(sub_hr, org["dept"])
    assert not may_restructure(sub_hr, org["out-unit"])
    province_hr = create_account((Role.HR, None))
    assert may_restructure(province_hr, org["dept"]) and not may_restructure(province_hr, province)
