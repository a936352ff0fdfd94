"""The settings a certificate is issued and rendered with, read from the app's config (ORG_*, BASE_URL,
CERT_SIGNER_*, CERT_HOLDER_DISAMBIGUATOR) and the signing key holder."""

from __future__ import annotations

from flask import current_app

from learning.certification.pdf import SignerBlock
from learning.certification.services import IssueSettings
from learning.certification.signing import holder


def issue_settings() -> IssueSettings:
    config = current_app.config
    return IssueSettings(org_code=config["ORG_CODE"], org_name=config["ORG_NAME"],
                         org_place=config["ORG_PLACE"], base_url=config["BASE_URL"],
                         signer=holder(current_app), signer_block=SignerBlock.from_text(
                             config["CERT_SIGNER_AUTHORITY"], config["CERT_SIGNER_TITLE"],
                             config["CERT_SIGNER_NAME"]),
                         holder_disambiguator=config.get("CERT_HOLDER_DISAMBIGUATOR", "none"))
