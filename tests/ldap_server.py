"""A real OpenLDAP (Debian's ``slapd``) for the LDAP sign-in tests, started by the tests on a spare port.

Each test session writes a temporary ``slapd.conf`` (mdb database, the Debian schemas, a TLS certificate signed
by a throw-away CA), loads ``DIRECTORY_LDIF`` with ``slapadd`` and runs ``slapd`` in the foreground on
``ldap://`` (StartTLS offered) and ``ldaps://`` ports of 127.0.0.1; it never touches the system's slapd service.
Skipped with a message when slapd is not installed (``make ldap`` installs it), failing with ``REQUIRE_LDAP=1``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess  # nosec B404 - starts the test directory server
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import _skip_or_fail

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"
BASE_DN = "dc=tinh,dc=test"
SERVICE_DN = f"cn=dich-vu,ou=he-thong,{BASE_DN}"
SERVICE_PASSWORD = "Dich-vu-tim-kiem-1"  # noqa: S105  # nosec B105 - the test directory's
# People in the test directory: (uid, employeeNumber, mail, password).
LDAP_USERS = [
    ("an", "CB-LDAP-1", "an.ldap@tinh.test", "Mat-khau-LDAP-1"),
    ("binh", "CB-LDAP-2", "binh.ldap@tinh.test", "Mat-khau-LDAP-2"),  # no person in the site
    ("chi", "CB-LDAP-3", "chi.ldap@tinh.test", "Mat-khau-LDAP-3"),
    ("quantri", "CB-LDAP-QT", "quantri.ldap@tinh.test", "Mat-khau-LDAP-QT"),
]


def _ldif() -> str:
    parts = [f"dn: {BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\no: Tinh Thu nghiem\ndc: tinh\n",
             f"dn: ou=he-thong,{BASE_DN}\nobjectClass: organizationalUnit\nou: he-thong\n",
             f"dn: ou=can-bo,{BASE_DN}\nobjectClass: organizationalUnit\nou: can-bo\n",
             f"dn: {SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: dich-vu\n"
             f"userPassword: {SERVICE_PASSWORD}\n"]
    for uid, code, mail, password in LDAP_USERS:
        parts.append(f"dn: uid={uid},ou=can-bo,{BASE_DN}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {uid}\n"
                     f"sn: {uid}\nemployeeNumber: {code}\nmail: {mail}\nuserPassword: {password}\n")
    return "\n".join(parts)


def _conf(root: Path) -> str:
    # Only the service account may search; anybody may bind (auth) against a password, nobody reads one.
    return f"""include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
pidfile {root}/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
TLSCACertificateFile {root}/ca.pem
TLSCertificateFile {root}/server.pem
TLSCertificateKeyFile {root}/server.key
database mdb
suffix "{BASE_DN}"
directory {root}/db
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="{SERVICE_DN}" read by self read by * none
"""


def _write_certificates(root: Path) -> None:
    """A throw-away CA and a certificate for 127.0.0.1 / localhost signed by it (PEM files)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def cert(subject, issuer, key, signer, *, ca: bool, san=None):
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
                   .not_valid_after(now + dt.timedelta(days=2))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if san:
            builder = builder.add_extension(san, critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA thu nghiem LDAP")])
    ca_cert = cert(ca_name, ca_name, ca_key, ca_key, ca=True)
    san = x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    server = cert(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]), ca_name, key, ca_key,
                  ca=False, san=san)
    (root / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (root / "server.pem").write_bytes(server.public_bytes(serialization.Encoding.PEM))
    (root / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                        serialization.PrivateFormat.PKCS8,
                                                        serialization.NoEncryption()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Directory:
    port: int
    tls_port: int
    ca_file: str

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://127.0.0.1:{self.tls_port}"

    def config(self, **overrides: object) -> dict[str, object]:
        """The site's LDAP settings for this directory (employee codes in ``employeeNumber``)."""
        return {"LDAP_URL": self.url, "LDAP_STARTTLS": False, "LDAP_CA_FILE": "", "LDAP_BIND_DN": SERVICE_DN,
                "LDAP_BIND_PASSWORD": SERVICE_PASSWORD, "LDAP_BASE_DN": BASE_DN,
                "LDAP_USER_ATTR": "employeeNumber", "LDAP_TIMEOUT": 3} | overrides


def _wait_until_listening(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"slapd exited: {log.read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"slapd did not listen on {port}: {log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Directory]:
    if not (Path(SLAPD).exists() and Path(SLAPADD).exists()):
        _skip_or_fail("REQUIRE_LDAP", "OpenLDAP's slapd is not installed (make ldap installs it with apt when root)")
    root = tmp_path_factory.mktemp("slapd")
    (root / "db").mkdir()
    _write_certificates(root)
    (root / "slapd.conf").write_text(_conf(root))
    (root / "directory.ldif").write_text(_ldif())
    subprocess.run([SLAPADD, "-f", str(root / "slapd.conf"), "-l", str(root / "directory.ldif")],  # nosec B603
                   check=True, capture_output=True)
    port, tls_port = free_port(), free_port()
    log = root / "slapd.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # nosec B603 - fixed arguments
            [SLAPD, "-f", str(root / "slapd.conf"), "-d", "0",
             "-h", f"ldap://127.0.0.1:{port}/ ldaps://127.0.0.1:{tls_port}/"], stdout=out, stderr=out)
    try:
        _wait_until_listening(port, process, log)
        _wait_until_listening(tls_port, process, log)
        yield Directory(port, tls_port, str(root / "ca.pem"))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
