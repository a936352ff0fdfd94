from datetime import date

from sqlalchemy import func, select

from learning.assignments.models import Assignment
from learning.catalog.loader import load_content
from learning.certification.models import Certificate
from learning.extensions import db
from learning.org.models import Person


def test_demo_seed_gives_people_true_histories(app, tree):
    load_content(tree.root)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["demo", "seed", "--people", "60"])
    assert result.exit_code == 0, result.output
    assert "Lịch sử mẫu:" in result.output
    assert db.session.scalar(select(func.count(Assignment.id))) >= 2
    statuses = dict(db.session.execute(select(Certificate.stored_status, func.count()).group_by(Certificate.stored_status)).all())
    assert statuses.get("revoked") == 1 and statuses.get("valid", 0) > 20
    valid_until = list(db.session.scalars(select(Certificate.valid_until)))
    assert min(valid_until) < date.today() < max(valid_until)  # some expired, some current
    learner = db.session.scalar(select(Person).where(Person.employee_code == "DEMO-HV"))
    assert db.session.scalar(select(func.count(Certificate.id)).where(Certificate.person_id == learner.id)) == 1
    again = app.test_cli_runner().invoke(args=["demo", "seed", "--people", "60"])
    assert "Lịch sử mẫu:" not in again.output
