"""``flask --app wsgi par score|freeze|refresh``"""

from __future__ import annotations

import io
from pathlib import Path

import click
from flask.cli import AppGroup

from learning.core.spreadsheet import add_sheet, new_workbook
from learning.extensions import db
from learning.par import cache, services
from learning.par.queries import table_for

par_cli = AppGroup("par", help="PAR index: scores per unit, snapshots.")


@par_cli.command("score")
@click.option("--period", type=click.IntRange(2000, 2100), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write .xlsx")
def score(period: int, out: Path | None) -> None:
    """Every assessed unit's points for a period (frozen table if the period is frozen)."""
    table = table_for(period)
    parsed = table.version.rubric
    db.session.commit()  # keeps the example rubric if it was just loaded
    headers = ["Mã đơn vị", "Đơn vị", "Loại", *[f"{c.code} (tối đa {c.max_points:g})" for c in parsed.criteria],
               "Tính từ số liệu", "Thẩm định", "Hạng trong loại"]
    rows = [[s.code, s.name, s.kind_label, *[s.points[c.code] for c in parsed.criteria], s.total,
             s.verified_total, s.rank] for s in table.scores]
    if out is None:
        for row in rows:
            click.echo("  ".join(str(v) if v is not None else "—" for v in row))
        return
    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter("tên tệp phải kết thúc bằng .xlsx", param_hint="--out")
    book = new_workbook()
    add_sheet(book, f"CCHC {period}", headers, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    out.write_bytes(buffer.getvalue())
    state = "đã đóng băng" if table.snapshot else "tính tại thời điểm này"
    click.echo(f"Đã ghi {len(rows)} đơn vị ({state}, bộ tiêu chí {table.version.label}) vào {out}.")


@par_cli.command("freeze")
@click.option("--period", type=click.IntRange(2000, 2100), required=True)
def freeze(period: int) -> None:
    """Freeze a period's table, rubric version and evidence."""
    try:
        snapshot = services.freeze(period, None)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Đã đóng băng kỳ {period} ({len(snapshot.data['units'])} đơn vị).")


@par_cli.command("refresh")
@click.option("--period", type=click.IntRange(2000, 2100), multiple=True, help="Default: this year and last year.")
def refresh(period: tuple[int, ...]) -> None:
    """Compute the PAR tables now and store them in the cache (the beat schedule does this nightly)."""
    done = cache.refresh(list(period) or None)
    click.echo(f"Đã tính lại bảng CCHC các kỳ: {', '.join(map(str, done)) or 'không có kỳ nào cần tính'}.")
