"""``flask --app wsgi certificates …``"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select, true

from learning.audit.purpose import cli_detail, operator, purpose_option
from learning.audit.services import record
from learning.auth.services import find_account
from learning.certification import queries, services, tasks
from learning.certification.models import Certificate, StoredStatus
from learning.core.dates import format_datetime, local_today
from learning.extensions import db

certificates_cli = AppGroup("certificates", help="Certificates: list, export, revoke.")


@certificates_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_certificates(as_json: bool) -> None:
    """Every certificate with its status."""
    today = local_today()
    days = current_app.config["CERT_EXPIRING_DAYS"]
    rows = [
        {"serial": c.serial, "code": c.code, "name": c.person_name, "course": c.course_title,
         "status": c.status_on(today, days).value, "valid_until": c.valid_until.isoformat()}
        for c in db.session.scalars(select(Certificate).order_by(Certificate.serial))
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['serial']}  {row['status']:<10} {row['valid_until']}  {row['name']} — {row['course']}")


@certificates_cli.command("export")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Target .zip file.")
@click.option("--unit", "unit_code", default="", help="Unit code (its subtree).")
@click.option("--period", "year", type=int, default=None, help="Year of issue, e.g. 2026.")
@purpose_option
def export(out: Path, unit_code: str, year: int | None, purpose: str) -> None:
    """A ZIP of the PDFs and an Excel list of the matching certificates."""
    if out.suffix.lower() != ".zip":
        raise click.BadParameter("tên tệp phải kết thúc bằng .zip", param_hint="--out")
    detail = cli_detail(purpose)
    ids = queries.filtered_ids(queries.CertificateFilter(unit_code=unit_code, year=year), true())
    with click.progressbar(length=len(ids), label="Chứng nhận", show_pos=True) as bar:
        done = [0]

        def progress(n: int) -> None:
            bar.update(n - done[0])
            done[0] = n

        tasks.write_zip(ids, out.resolve(), progress)
    record("certificate.exported", object_type="certificate", via="cli", operator=operator(), file=str(out),
           unit_code=unit_code, year=year, count=len(ids), **detail)
    db.session.commit()
    click.echo(f"Đã ghi {len(ids)} chứng nhận vào {out}.")


@certificates_cli.command("revoke")
@click.argument("serial")
@click.option("--reason", required=True, help="Shown on the public verification page.")
@click.option("--by", "by_code", default=None, help="Employee code of the person revoking (audit).")
def revoke(serial: str, reason: str, by_code: str | None) -> None:
    """Revoke a certificate by serial."""
    cert = db.session.scalar(select(Certificate).where(Certificate.serial == serial))
    if cert is None:
        raise click.ClickException(f"Không có chứng nhận số hiệu {serial}.")
    if cert.stored_status != StoredStatus.VALID:
        raise click.ClickException(f"Chứng nhận {serial} đã ở trạng thái {cert.stored_status}.")
    if len(reason.strip()) < 5:
        raise click.ClickException("Lý do thu hồi cần ít nhất 5 ký tự.")
    by = find_account(by_code) if by_code else None
    if by_code and by is None:
        raise click.ClickException(f"Không có tài khoản {by_code}.")
    services.revoke(cert, reason.strip(), by, via="cli")
    db.session.commit()
    click.echo(f"Đã thu hồi {serial}.")


@certificates_cli.command("sign-check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def sign_check(file: Path) -> None:
    """What the public verify page says of FILE.pdf; exit 0 only for a genuine, unmodified certificate in force."""
    from learning.certification.file_check import check_file

    result = check_file(file.read_bytes())
    sig = result.signature
    click.echo(f"Tệp:           {file}")
    click.echo(f"SHA-256:       {result.digest}")
    click.echo("Khớp bản lưu:  " + (f"có — chứng nhận {result.cert.serial} ({result.status.label})"
                                    if result.cert else "không"))
    click.echo(f"Chữ ký số:     {result.signature_line()}")
    if sig.signer:
        click.echo(f"Người ký:      {sig.signer}")
    if sig.signed_at:
        click.echo(f"Thời điểm ký:  {format_datetime(sig.signed_at)}")
    click.echo(f"Kết luận:      {result.headline}")
    click.echo(result.explanation())
    if not result.ok:
        sys.exit(1)


@certificates_cli.command("ob-key")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def make_ob_key(file: Path) -> None:
    """Make the issuer's Ed25519 key for Open Badges credentials (OB_KEY_FILE); never overwrites one."""
    from learning.certification.badge_key import ensure_key

    if not ensure_key(file):
        click.echo(f"{file} đã có: giữ nguyên (khóa mới sẽ làm mọi chứng nhận Open Badges đã tải về không kiểm "
                   "tra được).", err=True)
        sys.exit(1)
    click.echo(f"Đã tạo khóa Open Badges {file}; đặt OB_KEY_FILE={file}.")
