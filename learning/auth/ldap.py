"""LDAP / Active Directory sign-in: find the person's directory entry with the service account, bind as it.

``LDAP_URL`` turns it on. The typed identifier (and, when it names a local account, that account's employee code
and e-mail) is searched in ``LDAP_USER_ATTR`` under ``LDAP_BASE_DN`` — every value escaped, so ``*`` or ``)(``
in what a person types is only text. Exactly one entry must match; then a bind as that entry's DN with the typed
password proves the person. The entry's ``LDAP_USER_ATTR`` value (an employee code or e-mail) names the
``Account``: LDAP never creates a person. Linking (``sso_provider='ldap'``, ``sso_subject`` = the DN) and the
throttle are ``auth.services``'s; this module only talks to the directory.

Every directory failure (unreachable, timeout, TLS refused, service account refused) raises ``Unavailable`` so
the log-in page can say the directory is down instead of failing with a 500.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass

from flask import current_app
from ldap3 import NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from sqlalchemy import select

from learning.audit.services import record
from learning.auth.models import Account
from learning.extensions import db

log = logging.getLogger(__name__)

PROVIDER = "ldap"


class Unavailable(Exception):
    """The directory could not be asked (down, timeout, TLS or service-account problem)."""


@dataclass(frozen=True)
class Entry:
    dn: str
    value: str  # the LDAP_USER_ATTR value: the employee code or e-mail naming the account


def enabled() -> bool:
    return bool(current_app.config.get("LDAP_URL"))


def _server() -> Server:
    config = current_app.config
    url = config["LDAP_URL"]
    secure = url.lower().startswith("ldaps://") or config.get("LDAP_STARTTLS")
    tls = None
    if secure:
        tls = Tls(validate=ssl.CERT_REQUIRED, version=ssl.PROTOCOL_TLS_CLIENT,
                  ca_certs_file=config.get("LDAP_CA_FILE") or None)
    return Server(url, tls=tls, get_info=NONE, connect_timeout=config.get("LDAP_TIMEOUT", 5))


def _connect(server: Server, user: str | None, password: str | None) -> tuple[Connection, bool]:
    """An open connection (StartTLS done when configured), and whether the bind succeeded. A refused bind is
    ``False``; anything that stops the directory from answering raises ``Unavailable``."""
    config = current_app.config
    # No referral chasing: Active Directory's referrals to other domains would be followed without TLS settings.
    conn = Connection(server, user=user, password=password, read_only=True, raise_exceptions=False,
                      auto_referrals=False, receive_timeout=config.get("LDAP_TIMEOUT", 5))
    try:
        conn.open()
        if config.get("LDAP_STARTTLS") and not config["LDAP_URL"].lower().startswith("ldaps://") \
                and not conn.start_tls():
            raise Unavailable(f"StartTLS refused: {conn.result}")
        bound = conn.bind()
    except LDAPException as error:
        conn.unbind()
        raise Unavailable(str(error)) from error
    return conn, bound


def _search_filter(attr: str, values: list[str]) -> str:
    terms = [f"({attr}={escape_filter_chars(v)})" for v in dict.fromkeys(v for v in values if v)]
    return terms[0] if len(terms) == 1 else "(|" + "".join(terms) + ")"


def find_entry(values: list[str]) -> Entry | None:
    """The one directory entry whose user attribute equals one of ``values``; None when none or several do."""
    config = current_app.config
    attr = config["LDAP_USER_ATTR"]
    server = _server()
    conn, bound = _connect(server, config.get("LDAP_BIND_DN") or None, config.get("LDAP_BIND_PASSWORD") or None)
    try:
        if not bound:
            raise Unavailable(f"service account bind refused: {conn.result.get('description')}")
        try:
            ok = conn.search(config["LDAP_BASE_DN"], _search_filter(attr, values), search_scope=SUBTREE,
                             attributes=[attr], size_limit=2, time_limit=config.get("LDAP_TIMEOUT", 5))
        except LDAPException as error:
            raise Unavailable(str(error)) from error
        if not ok and conn.result.get("description") not in ("success", "noSuchObject", "sizeLimitExceeded"):
            raise Unavailable(f"search failed: {conn.result.get('description')}")
        entries = [e for e in conn.response or [] if e.get("type") == "searchResEntry"]
    finally:
        conn.unbind()
    if len(entries) != 1:
        if len(entries) > 1:
            log.warning("LDAP: several entries match one log-in identifier; refusing")
        return None
    found = entries[0]["attributes"].get(attr)
    value = found[0] if isinstance(found, list) and found else found
    return Entry(entries[0]["dn"], str(value)) if value else None


def bind(entry: Entry, password: str) -> bool:
    """Whether ``password`` is the entry's. An empty password is refused here: LDAP would take it as an
    unauthenticated bind and answer "success" (RFC 4513 §5.1.2)."""
    if not password:
        return False
    conn, bound = _connect(_server(), entry.dn, password)
    conn.unbind()
    return bound


def check(values: list[str], password: str) -> Entry | None:
    """The entry proven by ``password`` (found by one of ``values``), or None when no entry matches or the password
    is wrong; raises ``Unavailable`` when the directory cannot answer."""
    try:
        entry = find_entry(values)
        if entry is None or not bind(entry, password):
            return None
    except (LDAPException, OSError) as error:  # a bad URL or CA file, a socket error outside ldap3's wrapping
        raise Unavailable(str(error)) from error
    return entry


def linked_account(entry: Entry) -> Account | None:
    """The account named by the entry's attribute (employee code or e-mail), linked to the entry's DN; None when
    no person has that code or e-mail (LDAP never creates one). The caller checks the account may sign in."""
    from learning.auth.services import find_account

    account = find_account(entry.value)
    if account is None:
        record("auth.ldap_no_person", object_type="account", subject=entry.dn[:255], value=entry.value[:80])
        return None
    subject = entry.dn[:255]
    if account.sso_provider == "oidc" or (account.sso_provider, account.sso_subject) == (PROVIDER, subject):
        return account  # already linked (an OpenID Connect link is left as it is)
    holder = db.session.scalar(select(Account).where(Account.sso_provider == PROVIDER,
                                                     Account.sso_subject == subject, Account.id != account.id))
    if holder is not None:  # the directory entry now names another person: move the link
        holder.sso_provider = holder.sso_subject = None
        record("auth.sso_unlinked", obj=holder, provider=PROVIDER, subject=subject)
        db.session.flush()
    account.sso_provider, account.sso_subject = PROVIDER, subject
    record("auth.sso_linked", actor_id=account.id, obj=account, provider=PROVIDER, subject=subject)
    return account
