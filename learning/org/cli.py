"""``flask --app wsgi staff import|export`` and ``flask --app wsgi units import``"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import true

from learning.audit.purpose import cli_detail, operator, purpose_option
from learning.audit.services import record
from learning.extensions import db
from learning.org import exports, importer, unit_import

staff_cli = AppGroup("staff", help="Staff lists: import from and export to Excel/CSV.")


@staff_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
def import_staff(file: Path, dry_run: bool) -> None:
    """Import a staff list (.xlsx or .csv); all or nothing."""
    try:
        result = importer.plan(file.read_bytes(), file.name)
    except importer.ImportRejected as error:
        click.echo(f"{file.name}: {error}", err=True)
        raise SystemExit(1) from None
    if not result.ok:
        for line in result.errors:
            click.echo(line, err=True)
        click.echo(f"{len(result.errors)} lỗi; không có dữ liệu nào được ghi.", err=True)
        raise SystemExit(1)
    summary = result.summary()
    if not dry_run:
        importer.apply(result)
        record("staff.imported", object_type="staff_import", filename=file.name, via="cli", **summary)
        db.session.commit()
    prefix = "Kiểm tra (không ghi)" if dry_run else "Đã nhập"
    click.echo(f"{prefix}: {summary['created']} thêm mới, {summary['updated']} cập nhật, "
               f"{summary['unchanged']} không đổi, {summary['deactivated']} chuyển sang nghỉ việc.")


@staff_cli.command("export")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@purpose_option
def export_staff(out: Path, purpose: str) -> None:
    """Everyone, with the import headers (.csv or .xlsx)."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise click.BadParameter("tên tệp phải kết thúc bằng .csv hoặc .xlsx", param_hint="--out")
    detail = cli_detail(purpose)
    data = exports.staff_csv(true()) if suffix == ".csv" else exports.staff_xlsx(true())
    out.write_bytes(data)
    record("staff.exported", object_type="person", format=suffix[1:], via="cli", operator=operator(),
           file=str(out), **detail)
    db.session.commit()
    click.echo(f"Đã ghi {out}.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
def import_units(file: Path, dry_run: bool) -> None:
    """Create, rename, move, merge and dissolve units from a file (.xlsx or .csv); all or nothing."""
    try:
        result = unit_import.plan(file.read_bytes(), file.name)
        summary = result.summary()
        if result.ok and not dry_run:
            unit_import.apply(result)
            record("units.imported", object_type="staff_import", filename=file.name, via="cli",
                   operator=operator(), **summary)
            db.session.commit()
    except importer.ImportRejected as error:
        db.session.rollback()
        click.echo(f"{file.name}: {error}", err=True)
        raise SystemExit(1) from None
    if not result.ok:
        for line in result.errors:
            click.echo(line, err=True)
        click.echo(f"{len(result.errors)} lỗi; không có dữ liệu nào được ghi.", err=True)
        raise SystemExit(1)
    prefix = "Kiểm tra (không ghi)" if dry_run else "Đã nhập"
    click.echo(f"{prefix}: {summary['created']} tạo mới, {summary['renamed']} đổi tên, {summary['moved']} chuyển, "
               f"{summary['merged']} sáp nhập, {summary['dissolved']} giải thể.")
