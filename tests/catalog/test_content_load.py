"""`content load` makes a new course version only when the content changed."""

import pytest
from sqlalchemy import func, select

from learning.assessment.models import Question
from learning.catalog.loader import ContentError, load_content
from learning.catalog.models import Completion, Course, CourseVersion, RegulationSection
from learning.extensions import db


def test_load_creates_a_version_with_rendered_lessons_and_questions(app, tree):
    report = load_content(tree.root)
    assert report.new_versions == [("khoa-thu", 1)]
    course = db.session.scalar(select(Course).where(Course.code == "khoa-thu"))
    version = course.current_version
    assert [lesson.slug for lesson in version.lessons] == ["01-bai-mot", "02-bai-hai"]
    html = version.lessons[0].body_html
    assert '<a class="cite" href="/thu-vien/qd-99-2024-tn#d5-k1">[khoản 1 Điều 5, QĐ 99/2024/QĐ-UBND]</a>' in html
    assert "<blockquote>" in html
    questions = list(db.session.scalars(select(Question).order_by(Question.position)))
    assert [q.key for q in questions] == ["kt-01", "kt-02", "kt-03a"]
    assert questions[2].group_key == "kt-03" and "Zalo" in questions[2].scenario
    assert questions[2].correct_ids == {"a", "b"}
    assert version.settings.quiz.questions == 3


def test_reloading_unchanged_content_keeps_the_version(app, tree):
    load_content(tree.root)
    report = load_content(tree.root)
    assert report.new_versions == [] and report.unchanged == ["khoa-thu"]
    assert db.session.scalar(select(func.count(CourseVersion.id))) == 1


def test_changed_content_makes_a_new_version_and_old_records_keep_theirs(app, tree, create_person):
    load_content(tree.root)
    course = db.session.scalar(select(Course).where(Course.code == "khoa-thu"))
    v1 = course.current_version
    person = create_person()
    db.session.add(Completion(person_id=person.id, course_id=course.id, course_version_id=v1.id, score=90))
    db.session.flush()
    tree.edit("courses/khoa-thu/02-bai-hai.md", "Giữ kín mật khẩu.", "Giữ kín mật khẩu và đổi định kỳ.")
    report = load_content(tree.root)
    assert report.new_versions == [("khoa-thu", 2)]
    assert course.current_version.version == 2
    completion = db.session.scalar(select(Completion))
    assert completion.course_version_id == v1.id
    assert len(v1.lessons) == 2 and db.session.scalar(select(func.count(Question.id))) == 6


def test_invalid_content_writes_nothing(app, tree):
    tree.edit("quizzes/khoa-thu.yaml", "cite: [qd-99-2024-tn#d5-k1]", "cite: [qd-99-2024-tn#d7]")
    with pytest.raises(ContentError) as error:
        load_content(tree.root)
    assert "d7" in str(error.value.problems[0])
    assert db.session.scalar(select(func.count(RegulationSection.id))) == 0


def test_library_pages_give_every_anchor_a_stable_url(app, client, tree):
    load_content(tree.root)
    db.session.commit()
    index = client.get("/thu-vien")
    assert index.status_code == 200 and "QĐ 99/2024/QĐ-UBND" in index.text
    page = client.get("/thu-vien/qd-99-2024-tn")
    assert page.status_code == 200
    for anchor in ("d1", "d5", "d5-k1", "d5-k2", "d5-k2-a"):
        assert f'id="{anchor}"' in page.text
    assert "Sở Khoa học và Công nghệ" in page.text
    assert client.get("/thu-vien/khong-co").status_code == 404
