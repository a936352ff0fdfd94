"""The English interface: every marked string has a translation, and the main pages of each role are in English.

Vietnamese is the source language (msgids) and the default; ``session["lang"] = "en"`` switches the pages.
Data stays as it is (names of people and units, course content, rubric texts); official documents and data
files stay Vietnamese (see learning/core/i18n.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from html.parser import HTMLParser

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from learning.assignments import services as assignments
from learning.auth.models import Role
from learning.config import PROJECT_ROOT
from learning.extensions import db
from learning.par.models import RubricVersion

CATALOG = PROJECT_ROOT / "learning" / "translations" / "en" / "LC_MESSAGES"
# As in `pybabel extract -F babel.cfg -k lazy_gettext` (the Makefile's and the README's command).
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
VIETNAMESE = re.compile(r"[^\W\d_]*[À-ỹĐđ][^\W\d_]*")


def extracted_messages() -> dict[tuple[str | None, str], list[str]]:
    """(context, msgid) → where it is used, extracted from the code and templates as pybabel does."""
    with open(PROJECT_ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[tuple[str | None, str], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault((context, msgid), []).append(f"{filename}:{lineno}")
    return found


def english_catalog():
    with open(CATALOG / "messages.po", "rb") as po:
        return read_po(po, locale="en")


def test_every_marked_string_has_an_english_translation():
    messages = extracted_messages()
    assert len(messages) > 500, "extraction found too little: is babel.cfg still matching learning/ and templates/?"
    catalog = english_catalog()
    problems = []
    for (context, msgid), where in sorted(messages.items(), key=lambda item: item[1][0]):
        entry = catalog.get(msgid, context=context)
        if entry is None or not entry.string:
            problems.append(f"untranslated: {msgid!r} ({where[0]})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r} ({where[0]})")
    assert not problems, (
        "Strings without an English translation. Run `pybabel extract -F babel.cfg -k lazy_gettext -o "
        "/tmp/messages.pot . && pybabel update -i /tmp/messages.pot -d learning/translations`, translate "
        "the entries and run `make translations`:\n" + "\n".join(problems))


def _forms(value) -> tuple:
    """A message's id or string as a tuple of forms (plural entries have several)."""
    return tuple(value) if isinstance(value, (list, tuple)) else (value,)


def test_translations_keep_their_placeholders():
    placeholder = re.compile(r"%\(\w+\)s|%%")
    wrong = [m.id for m in english_catalog() if m.id and any(_forms(m.string))
             for form in _forms(m.string)
             if sorted(placeholder.findall(form)) != sorted(placeholder.findall(_forms(m.id)[0]))]
    assert not wrong


def test_compiled_catalog_is_up_to_date():
    mo_path = CATALOG / "messages.mo"
    assert mo_path.exists(), "learning/translations is not compiled: run `make translations`"
    with open(mo_path, "rb") as mo:
        compiled = {(m.context, _forms(m.id)): _forms(m.string) for m in read_mo(mo) if m.id}
    source = {(m.context, _forms(m.id)): _forms(m.string) for m in english_catalog() if m.id}
    assert compiled == source, "messages.mo is older than messages.po: run `make translations`"


class _VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes, plus the labels of landmarks and controls."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [value for name, value in attrs if name in ("aria-label", "title", "placeholder") and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def vietnamese_left(html: str, data: list[str]) -> set[str]:
    """Vietnamese words on the page once the data (names, course and rubric texts) is taken out."""
    parser = _VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
        # A chart label may cut a name short: "Directly in Ủy ban nhân dân tỉ…".
        for cut in range(len(value) - 1, 2, -1):
            text = text.replace(value[:cut] + "…", " ")
    words = VIETNAMESE.findall(text.replace("Tiếng Việt", " "))  # the language button names itself
    return {word for word in words if word.isalpha()}  # not × or ÷, which share the range


@pytest.fixture
def world(app, province, create_unit, create_person, create_account, create_course_version, create_completion):
    """A department with an office, a course assigned to the whole province, one learner who passed."""
    dept = create_unit("Sở Tư pháp", parent=province, code="STP", kind="so_nganh")
    office = create_unit("Phòng Hành chính tư pháp", parent=dept, code="STP-2")
    version = create_course_version(title="Bảo vệ dữ liệu cá nhân")
    assignments.create(by=None, course_id=version.course_id, unit_id=province.id, categories=["cong_chuc"],
                       positions=[], period=2026, starts_on=date(2026, 1, 1), due_on=date(2026, 6, 30))
    learner = create_account(full_name="Lê Thị Học", unit=office)
    create_completion(learner.person, version, completed_at=datetime(2026, 3, 2))
    create_person("Trần Văn Chậm", unit=office)
    accounts = {
        "learner": learner,
        "hr": create_account((Role.HR, None), full_name="Phạm Thị Nhân", unit=province),
        "unit_head": create_account((Role.UNIT_HEAD, dept), full_name="Đỗ Văn Trưởng", unit=dept),
        "assessor": create_account((Role.PAR_ASSESSOR, None), full_name="Vũ Thị Thẩm", unit=province),
        "admin": create_account((Role.ADMIN, None), full_name="Hoàng Văn Quản", unit=province),
    }
    db.session.commit()
    data = [app.config["ORG_NAME"], province.name, dept.name, office.name, version.title, version.summary,
            *version.objectives, *(lesson.title for lesson in version.lessons), "Trần Văn Chậm",
            *(part for account in accounts.values()
              for part in (account.person.full_name, account.person.middle_name, account.person.given_name))]
    return {"accounts": accounts, "data": data, "course": version.course.code}


def rubric_texts() -> list[str]:
    """The PAR rubric is content: its title and criteria stay as the province wrote them."""
    texts = []
    for version in db.session.scalars(db.select(RubricVersion)):
        texts += [version.title, version.label, *(c.title for c in version.rubric.criteria)]
    return texts


# Per role: pages and English text each must show (navigation, headings, table headers, buttons).
ROLE_PAGES = {
    "learner": [
        ("/", ["Home", "My learning", "My certificates", "Sign out", "My courses", "Certified until"]),
        ("/hoc-tap", ["My learning", "Passed", "lessons read"]),
        ("/khoa-hoc/{course}", ["Lessons", "Quiz", "questions;", "correct answers needed to pass"]),
        ("/chung-nhan", ["My certificates", "Serial number", "Valid until", "Valid"]),
        ("/du-lieu-cua-toi", ["Data the system holds about me", "Employee code", "Civil servant", "Learner"]),
    ],
    "hr": [
        ("/tuan-thu?nam=2026", ["Compliance", "Learning compliance", "Who is overdue?", "By sub-unit",
                                "Required enrolments", "PDF report"]),
        ("/tuan-thu/can-bo?nam=2026", ["Status per person", "Full name", "Not started", "Passed"]),
        ("/giao-hoc", ["Assign mandatory courses", "New course assignment", "civil servant", "Active"]),
        ("/can-bo", ["Staff", "Employee code", "Import from Excel", "Civil servant"]),
        ("/quan-ly/chung-nhan", ["Manage certificates", "Purpose of the export", "— Choose a purpose —"]),
    ],
    "unit_head": [
        ("/", ["My units", "Sub-units", "Active staff", "Department or agency", "Unit head"]),
        ("/tuan-thu?nam=2026", ["Learning compliance", "Who is overdue?", "Required enrolments"]),
        ("/don-vi", ["Units", "Search by unit name or code", "Unit name", "Department or agency"]),
        ("/cchc?nam=2026", ["PAR index", "Administrative reform (PAR) index scores", "Computed from the data"]),
    ],
    "assessor": [
        ("/cchc?nam=2026", ["PAR index", "Administrative reform (PAR) index scores", "Verified", "Rank",
                            "Freeze the figures of 2026…", "Department or agency"]),
        ("/cchc/bo-tieu-chi", ["PAR rubrics", "Criterion and how it is scored", "Max. points", "points"]),
        ("/tuan-thu?nam=2026", ["Learning compliance", "By sub-unit"]),
    ],
    "admin": [
        ("/", ["Audit log", "API", "System administrator"]),
        ("/quan-tri/nhat-ky", ["Audit log", "Data retention periods", "Event type", "Performed by"]),
        ("/quan-tri/luu-tru-du-lieu", ["Data retention periods", "Keep the audit log (months)", "Save periods"]),
        ("/quan-tri/api", ["API access tokens", "Name of the system using the API", "Create access token"]),
        ("/can-bo", ["Staff", "Export to Excel"]),
    ],
}


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_main_pages_are_in_english_when_the_session_asks_for_it(client, login, world, role):
    login(world["accounts"][role])
    with client.session_transaction() as session:
        session["lang"] = "en"
    for url, expected in ROLE_PAGES[role]:
        response = client.get(url.format(course=world["course"]))
        assert response.status_code == 200, url
        html = response.text
        assert '<html lang="en">' in html, url
        missing = [text for text in expected if text not in html]
        assert not missing, f"{url}: {missing}"
        left = vietnamese_left(html, world["data"] + rubric_texts())
        assert not left, f"{url} still shows Vietnamese UI text: {sorted(left)}"


def test_vietnamese_stays_the_default(client, login, world):
    login(world["accounts"]["hr"])
    page = client.get("/tuan-thu?nam=2026").text
    assert '<html lang="vi">' in page and "Tuân thủ học tập" in page and "Ai đang quá hạn?" in page


def test_flash_messages_and_form_errors_follow_the_language(client, login, world):
    login(world["accounts"]["learner"])
    client.post("/ngon-ngu", data={"lang": "en", "next": "/"})
    page = client.post("/doi-mat-khau", data={"current_password": "", "new_password": "x", "confirm": "y"})
    assert page.status_code == 400
    assert "Please fill in this field." in page.text and "The two new passwords do not match." in page.text
    assert "Current password" in page.text
    client.post("/dang-xuat")
    assert "You have signed out." in client.get("/dang-nhap").text


def test_staff_export_stays_vietnamese_from_an_english_page(client, login, world):
    """Data files keep the import headers and Vietnamese values, whatever the page's language."""
    login(world["accounts"]["hr"])
    with client.session_transaction() as session:
        session["lang"] = "en"
    csv = client.post("/tuan-thu/can-bo/xuat.csv?nam=2026",
                      data={"purpose": "bao-cao", "note": "Công văn 12/SNV"}).data.decode("utf-8-sig")
    assert csv.startswith("Mã cán bộ,") and "Công chức" in csv and "Đã đạt" in csv
    assert "Civil servant" not in csv and "Passed" not in csv
