"""``flask text-check FILE [--json]``: the page's analysis on a file, for operators and the issue's checks."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from learning.textcheck.extract import ExtractError, text_of
from learning.textcheck.service import check_text


@click.command("text-check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help='Print {"findings": [...], "redacted": "..."}.')
@with_appcontext
def text_check(file: Path, as_json: bool) -> None:
    """Find personal data, secrecy markers and credentials in FILE (.txt, .docx, .pdf, .xlsx)."""
    name = file.name if file.suffix.lower() in (".docx", ".pdf", ".xlsx") else file.name + ".txt"
    try:
        analysis = check_text(text_of(name, file.read_bytes()))
    except ExtractError as problem:
        click.echo(f"{file}: {problem}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps({"findings": [f.as_dict() for f in analysis.findings],
                               "redacted": analysis.redacted}, ensure_ascii=False))
        return
    for f in analysis.findings:
        click.echo(f"{f.type}\t{f.start}\t{f.end}\t{f.text}")
    click.echo("")
    click.echo(analysis.redacted)
