"""``flask questions import FILE --course CODE [--dry-run]`` and ``flask questions export``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from learning.catalog.content import read_content
from learning.catalog.interchange import MAX_BYTES, Parsed, detect, gift, moodle_xml, xlsx
from learning.catalog.interchange.bank import category_of, export_items, import_items

questions_cli = AppGroup("questions", help="Question banks: import from / export to Moodle GIFT, Moodle XML, Excel.")
KIND_LABELS = {"single": "một lựa chọn", "multiple": "nhiều lựa chọn", "true_false": "đúng/sai"}
FORMAT_LABELS = {"gift": "GIFT", "xml": "Moodle XML", "xlsx": "Excel"}


def read_file(path: Path):  # noqa: ANN201 - returns (format, Parsed)
    data = path.read_bytes()
    fmt = detect(data)
    if fmt == "xlsx":
        return fmt, xlsx.parse(data)
    if fmt == "xml":
        return fmt, moodle_xml.parse(data)
    parsed = Parsed()
    if len(data) > MAX_BYTES:
        parsed.problems.append((1, f"tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB"))
        return fmt, parsed
    try:
        return fmt, gift.parse(data.decode("utf-8"))
    except UnicodeDecodeError:
        parsed.problems.append((1, "tệp GIFT phải là văn bản UTF-8"))
        return fmt, parsed


@questions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--course", "code", required=True, help="Course code; questions go to quizzes/<code>.yaml.")
@click.option("--lesson", default=None, help="Lesson file for questions whose category names no lesson "
                                              "(default: the course's first lesson).")
@click.option("--dry-run", is_flag=True, help="Check and count only; write nothing.")
def import_questions(file: Path, code: str, lesson: str | None, dry_run: bool) -> None:
    """Append the questions of a GIFT, Moodle XML or Excel file to a course's bank (all or nothing)."""
    fmt, parsed = read_file(file)
    root = Path(current_app.config["CONTENT_DIR"])
    name = str(file)
    for line, reason in sorted(parsed.notices):
        click.echo(f"{name}:{line}: {reason}", err=True)
    problems = [f"{name}:{line}: {reason}" for line, reason in sorted(parsed.problems)]
    outcome = None
    if not problems:
        outcome = import_items(root, code, name, parsed.items, dry_run=dry_run, lesson=lesson)
        problems = outcome.problems
    click.echo(f"Định dạng: {FORMAT_LABELS[fmt]}; {len(parsed.items)} câu hỏi đọc được.")
    for kind, label in KIND_LABELS.items():
        count = sum(1 for item in parsed.items if item.kind == kind)
        if count:
            click.echo(f"  {label} ({kind}): {count}")
    for qtype, count in sorted(parsed.skipped.items()):
        click.echo(f"  bỏ qua, loại “{qtype}”: {count}")
    if problems:
        for problem in problems:
            click.echo(problem, err=True)
        click.echo(f"{len(problems)} lỗi; không ghi gì vào quizzes/{code}.yaml.", err=True)
        raise SystemExit(1)
    if not parsed.items:
        click.echo("Không có câu hỏi nào để nhập.")
        return
    if dry_run:
        click.echo(f"Chạy thử: hợp lệ; sẽ thêm {len(outcome.ids)} câu ({outcome.ids[0]}…{outcome.ids[-1]}) vào "
                   f"quizzes/{code}.yaml. Không ghi gì.")
        return
    click.echo(f"Đã thêm {len(outcome.ids)} câu ({outcome.ids[0]}…{outcome.ids[-1]}) vào quizzes/{code}.yaml. "
               "Xem lại tệp (mức độ khó mặc định 1), rồi chạy “flask content load” để đưa vào hệ thống.")


@questions_cli.command("export")
@click.option("--course", "code", required=True)
@click.option("--format", "fmt", type=click.Choice(["gift", "xml", "xlsx"]), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def export_questions(code: str, fmt: str, out: Path) -> None:
    """Write a course's bank as GIFT, Moodle XML (both import into Moodle 4.x) or the Excel template."""
    content = read_content(Path(current_app.config["CONTENT_DIR"]))
    course = next((c for c in content.courses if c.data.code == code and c.quiz), None)
    if course is None:
        raise click.ClickException(f"Không có ngân hàng câu hỏi hợp lệ cho khóa học “{code}”; "
                                   "chạy “flask content check”.")
    items = export_items(course)
    if fmt == "xlsx":
        out.write_bytes(xlsx.dump(items))
    else:
        writer = gift.dump if fmt == "gift" else moodle_xml.dump
        out.write_text(writer(items, category_of), encoding="utf-8")
    scenarios = sum(1 for q in course.quiz.questions if q.kind == "scenario")
    click.echo(f"Đã ghi {len(items)} câu hỏi ({FORMAT_LABELS[fmt]}) vào {out}.")
    if scenarios:
        click.echo(f"{scenarios} tình huống: mỗi câu của tình huống được ghi thành một câu riêng, đề bài mở đầu "
                   "bằng đoạn mô tả tình huống (Moodle không có nhóm tình huống).")
