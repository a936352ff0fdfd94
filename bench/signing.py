"""Signing speed (issue 16 item 6): what a PAdES signature adds to a certificate PDF, one and a thousand.

    .venv/bin/python bench/signing.py [--singles 100] [--batch 1000] [--no-hsm] [--profile 20]

No large database: a fresh SQLite file (bench/common.py), ``demo seed`` (the demo province of 400 people,
and the demo PKCS#12 key, made in a temporary folder, not in instance/), six synthetic courses and about
1,400 certificates without PDFs. It then times, on the same certificates:

- an unsigned render (``CertificateRenderer.render``): p95 of the last 95 of 100;
- the signature alone (``SignerHolder.sign`` on the rendered PDF) with the demo PKCS#12 key, and with a
  SoftHSM2 PKCS#11 token when ``softhsm2-util`` and the module are installed (set up as
  tests/certification/signing_fixtures.py does): median and p95 of the last 95 — the signing overhead per
  certificate (target ≤ 30 ms);
- render + sign, p95, beside the unsigned figure;
- a batch of 1,000 certificates rendered and signed (demo key) into a ZIP by ``tasks.write_zip``, the
  export's own code, with the peak RSS growth sampled every 0.2 s (targets ≤ 180 s, ≤ 50 MB).

``--profile N`` prints the cProfile of N signatures (demo key) to stderr, heaviest first.
Prints Markdown tables with the machine, date, load average and reference loop.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
from sqlalchemy import select  # noqa: E402
from throughput import nf, peak_rss_during  # noqa: E402

from learning import create_app  # noqa: E402
from learning.certification import services as cert_services  # noqa: E402
from learning.certification import signature_check  # noqa: E402
from learning.certification import tasks as cert_tasks  # noqa: E402
from learning.certification.models import Certificate  # noqa: E402
from learning.certification.signing import SignerHolder, SigningSettings  # noqa: E402
from learning.extensions import db  # noqa: E402

SOFTHSM_MODULES = ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
HSM_PIN = "123456"
WARM = 5  # the first renders and signatures load fonts and keys: left out of the percentiles
RESULTS: list[tuple[str, str, str, str]] = []


def result(name: str, value: str, target: str, ok: bool | None) -> None:
    RESULTS.append((name, value, target, "—" if ok is None else common.verdict(ok)))
    print(f"  {name}: {value}", file=sys.stderr, flush=True)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def timings(fn, items) -> tuple[list[float], list[float]]:  # noqa: ANN001
    """Wall and CPU seconds of ``fn(item)`` for each item, the first WARM left out.

    CPU time (``time.process_time``) is given beside the wall time because the machine is shared: with a
    load average above the two cores, a process waits for a core and the wall time grows with the load.
    """
    wall, cpu = [], []
    for item in items:
        started, started_cpu = time.perf_counter(), time.process_time()
        fn(item)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return wall[WARM:], cpu[WARM:]


def softhsm_settings(folder: Path) -> tuple[SigningSettings, Path] | None:
    """A SoftHSM2 token "chung-nhan" with a signing key of a local CA, as the tests make it, and the CA's PEM file;
    None without SoftHSM2."""
    module = next((path for path in SOFTHSM_MODULES if Path(path).is_file()), None)
    if module is None or shutil.which("softhsm2-util") is None:
        return None
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute, CertificateType, ObjectClass

    from learning.certification.demo_key import make_ca, make_signing_cert

    (folder / "tokens").mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "chung-nhan", "--pin", HSM_PIN,
                    "--so-pin", "65432100"], check=True, capture_output=True)
    ca_key, ca_cert = make_ca("CA đo hiệu năng", "Đo hiệu năng")
    key, cert = make_signing_cert(ca_key, ca_cert, "UBND tỉnh Quảng Ninh (token)", "UBND tỉnh Quảng Ninh")
    key_file = folder / "key.pem"
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    subprocess.run(["softhsm2-util", "--import", str(key_file), "--token", "chung-nhan", "--label", "ky-so",
                    "--id", "01", "--pin", HSM_PIN], check=True, capture_output=True)
    key_file.unlink()
    token = pkcs11.lib(module).get_token(token_label="chung-nhan")
    with token.open(rw=True, user_pin=HSM_PIN) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True, Attribute.LABEL: "ky-so", Attribute.ID: b"\x01",
            Attribute.SUBJECT: cert.subject.public_bytes(), Attribute.ISSUER: cert.issuer.public_bytes(),
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER)})
    (folder / "ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return (SigningSettings(pkcs11_module=module, token_label="chung-nhan", key_label="ky-so", pin=HSM_PIN),
            folder / "ca.pem")


def check_signed(pdf: bytes, ca_pem: Path, label: str) -> None:
    """A benchmark of signatures that do not validate would measure nothing: check one of each kind."""
    found = signature_check.check(pdf, signature_check.load_certs(str(ca_pem)))
    if found.verdict != signature_check.SignatureVerdict.OURS:
        raise RuntimeError(f"{label}: the signed PDF does not validate ({found.verdict})")


def bench(singles: int, batch: int, hsm: bool, profile: int) -> None:
    with common.fresh_database("sqlite", "signing") as database, tempfile.TemporaryDirectory(
            prefix="bench_signing_") as work:
        common.migrate(database.url)
        folder = Path(work)
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": database.url, "JOBS_MODE": "sync", "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False, "STORAGE_DIR": folder / "storage",
            # The demo keys in the temporary folder, never the project's instance/.
            "SIGN_DEMO_PKCS12": str(folder / "demo" / "DEMO-khoa-ky-thu-nghiem.p12"),
            "OB_KEY_FILE": str(folder / "demo" / "DEMO-khoa-open-badges.pem"),
            "SIGN_PKCS12_FILE": "", "SIGN_PKCS12_PASSWORD": "", "SIGN_PKCS11_MODULE": "", "SIGN_TSA_URL": ""})
        try:
            with app.app_context():
                run(app, folder, singles, batch, hsm, profile)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def run(app, folder: Path, singles: int, batch: int, hsm: bool, profile: int) -> None:  # noqa: ANN001
    outcome = app.test_cli_runner().invoke(args=["demo", "seed"])
    if outcome.exit_code != 0:
        raise RuntimeError(f"demo seed failed: {outcome.output}\n{outcome.exception!r}")
    year = time.localtime().tm_year
    versions = common.synthetic_courses()
    common.assign_province_wide(versions, year)
    db.session.commit()
    common.seed_histories(versions, year)
    if not app.config["SIGN_PKCS12_FILE"]:
        raise RuntimeError("demo seed made no demo signing key")

    settings = cert_tasks.issue_settings()
    renderer = settings.renderer()  # signed=True: the template leaves the signature box empty
    certs = list(db.session.scalars(select(Certificate).order_by(Certificate.id).limit(singles)))
    views = [cert_services.view_of(cert, settings.base_url) for cert in certs]
    pdfs = [renderer.render(view) for view in views[:WARM]]
    unsigned, unsigned_cpu = timings(lambda view: pdfs.append(renderer.render(view)), views[WARM:] + views[:WARM])
    p95_unsigned = common.percentile(unsigned, 95)
    result(f"unsigned render, one certificate (p95 of {len(unsigned)}; CPU p95 "
           f"{ms(common.percentile(unsigned_cpu, 95))}, median {ms(statistics.median(unsigned_cpu))})",
           ms(p95_unsigned), "≤ 150 ms", p95_unsigned <= 0.15)

    demo_ca = Path(app.config["SIGN_PKCS12_FILE"]).parent / "DEMO-ca.pem"
    keys = [("demo PKCS#12 key", settings.signer, demo_ca)]
    if hsm:
        token = softhsm_settings(folder / "softhsm")
        if token is None:
            print("SoftHSM2 not installed: PKCS#11 figures left out", file=sys.stderr)
        else:
            keys.append(("SoftHSM2 PKCS#11 token", SignerHolder(token[0]), token[1]))
    for label, signer, ca_pem in keys:
        check_signed(signer.sign(pdfs[0]), ca_pem, label)
        signing, signing_cpu = timings(signer.sign, pdfs)
        cpu = statistics.median(signing_cpu)
        result(f"signature alone, {label}: CPU, median of {len(signing)} (p95 "
               f"{ms(common.percentile(signing_cpu, 95))})", ms(cpu), "≤ 30 ms", cpu <= 0.03)
        result(f"signature alone, {label}: wall, median of {len(signing)} (p95 "
               f"{ms(common.percentile(signing, 95))})", ms(statistics.median(signing)), "≤ 30 ms",
               statistics.median(signing) <= 0.03)
        both, both_cpu = timings(lambda view, signer=signer: signer.sign(renderer.render(view)), views)
        result(f"render + signature, {label}: wall p95 of {len(both)} (CPU p95 "
               f"{ms(common.percentile(both_cpu, 95))}; unsigned {ms(p95_unsigned)})",
               ms(common.percentile(both, 95)), "—", None)
        if signer is not settings.signer:
            signer.close()

    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for pdf in pdfs[:profile]:
            settings.signer.sign(pdf)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)

    ids = list(db.session.scalars(select(Certificate.id).order_by(Certificate.id.desc()).limit(batch)))
    db.session.commit()
    target = folder / "batch.zip"
    started_cpu = time.process_time()
    seconds, growth = peak_rss_during(lambda: cert_tasks.write_zip(ids, target))
    cpu_seconds = time.process_time() - started_cpu
    signed = db.session.scalar(select(Certificate).where(Certificate.id == ids[0]))
    check_signed(signed.file.pdf, demo_ca, "batch")
    result(f"signed batch of {nf(len(ids))} certificates into a ZIP (demo key, rendered now)",
           f"{seconds:.0f} s ({seconds / len(ids) * 1000:.0f} ms each; CPU {cpu_seconds:.0f} s)", "≤ 180 s",
           seconds <= 180)
    result("RSS growth during the signed batch (peak − start)", f"{growth:.0f} MB", "≤ 50 MB", growth <= 50)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--singles", type=int, default=100, help="certificates timed one by one")
    parser.add_argument("--batch", type=int, default=1000, help="certificates in the signed ZIP batch")
    parser.add_argument("--no-hsm", action="store_true", help="leave out the SoftHSM2 token")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile N signatures (stderr)")
    args = parser.parse_args()
    start_load = common.load_average()
    start = time.perf_counter()
    bench(args.singles, args.batch, not args.no_hsm, args.profile)
    print("\n### Signing — demo PKCS#12 key and SoftHSM2, SQLite\n")
    print(f"Machine: {common.machine()}. Load average (1/5/15 min) at start {start_load}, "
          f"at end {common.load_average()}; {time.perf_counter() - start:.0f} s in all.\n")
    print(common.markdown_table(["measure", "result", "target", ""], RESULTS))


if __name__ == "__main__":
    main()
