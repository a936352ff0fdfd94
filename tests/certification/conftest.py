import pytest
from sqlalchemy import select

from learning.certification import services, tasks
from learning.certification.models import Certificate
from learning.certification.settings import issue_settings
from learning.extensions import db


@pytest.fixture
def issue_certificate(app, create_person, create_completion):
    """Complete a course and return its certificate with the PDF rendered."""

    def factory(person=None, **completion_fields) -> Certificate:
        person = person or create_person("Nguyễn Thị Ánh Tuyết")
        completion = create_completion(person, **completion_fields)
        cert = db.session.scalar(select(Certificate).where(Certificate.completion_id == completion.id))
        tasks.ensure_pdf(cert)
        db.session.commit()
        return cert

    return factory


@pytest.fixture
def settings(app):
    return issue_settings()


__all__ = ["services"]


from tests.certification.signing_fixtures import other_ca, softhsm_token, test_ca, use_signing  # noqa: E402,F401
