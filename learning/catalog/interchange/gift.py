"""Moodle GIFT, as Moodle 4.x writes it (question/format/gift): read and write.

Read: ``::title::``, ``[html]``/``[moodle]``/``[plain]``/``[markdown]`` text formats, ``{=right ~wrong#feedback}``,
``{T}``/``{TRUE#wrong feedback#right feedback}``, multiple answers ``~%50%``, general feedback ``####``,
``$CATEGORY:``, ``//`` comments, escapes ``\\~ \\= \\# \\{ \\} \\: \\n``. Other types (essay, short answer,
matching, numerical, description) are reported and skipped.
"""

from __future__ import annotations

import re

from learning.catalog.interchange import (
    Choice,
    Item,
    Parsed,
    html_to_text,
    join_citations,
    lost_notice,
    split_citations,
    tidy,
)

_ESCAPES = {"~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":", "n": "\n", "\\": "\\"}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


def _protect(text: str) -> str:
    """Escaped characters → private-use code points, so splitting on ~ = # { } : is plain string work."""
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPES:
            out.append(chr(0xE000 + ord(text[i + 1])))
            i += 2
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _unprotect(text: str) -> str:
    return "".join(_ESCAPES[chr(ord(c) - 0xE000)] if 0xE000 <= ord(c) < 0xE080 else c for c in text)


def _blocks(text: str) -> list[tuple[int, str]]:
    """Questions and category lines, each with its first line; blank lines end a block outside braces."""
    blocks, current, start, depth = [], [], 0, 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if depth == 0 and line.lstrip().startswith("//"):
            continue
        if not line.strip() and depth == 0:
            if current:
                blocks.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
        protected = _protect(line)
        depth += protected.count("{") - protected.count("}")
        depth = max(depth, 0)
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def parse(text: str) -> Parsed:
    parsed = Parsed()
    category: list[str] = []
    for line, block in _blocks(text.lstrip("\ufeff")):
        if block.lstrip().startswith("$CATEGORY:"):
            category = category_path(block.split(":", 1)[1].strip())
            continue
        _question(parsed, line, _protect(block), category)
    return parsed


def category_path(path: str) -> list[str]:
    """``$course$/top/Default for X/An toàn/Mật khẩu`` → ``["An toàn", "Mật khẩu"]``."""
    parts = [p.strip() for p in path.split("/") if p.strip()]
    while parts and (parts[0].startswith("$") or parts[0] == "top" or parts[0].startswith("Default for")):
        parts.pop(0)
    return parts


def _text(raw: str, fmt: str, line: int, where: str, parsed: Parsed) -> str:
    text = _unprotect(raw)
    if fmt == "html":
        text, lost = html_to_text(text)
        if lost:
            parsed.notices.append(lost_notice(line, where, lost))
        return text
    return tidy(text)


def _question(parsed: Parsed, line: int, block: str, category: list[str]) -> None:
    title = ""
    body = block.strip()
    if body.startswith("::"):
        end = body.find("::", 2)
        if end < 0:
            parsed.problems.append((line, "lỗi cú pháp GIFT: tên câu hỏi mở bằng “::” mà không đóng"))
            return
        title, body = _unprotect(body[2:end]).strip(), body[end + 2:].lstrip()
    fmt = "moodle"
    match = re.match(r"^\[(html|moodle|plain|markdown)\]", body)
    if match:
        fmt, body = match[1], body[match.end():]
    open_at = body.find("{")
    if open_at < 0:
        if "}" in body:
            parsed.problems.append((line, "lỗi cú pháp GIFT: có “}” mà thiếu “{”"))
        else:
            parsed.skip(line, "description")
        return
    close_at = body.rfind("}")
    if close_at < open_at:
        parsed.problems.append((line + body[:open_at].count("\n"),
                                "lỗi cú pháp GIFT: thiếu “}” đóng phần đáp án"))
        return
    answers, after = body[open_at + 1:close_at], body[close_at + 1:].strip()
    stem = body[:open_at].strip() + (" _____ " + after if after else "")
    if "{" in answers or "}" in answers:
        parsed.problems.append((line + body[:open_at].count("\n"), "lỗi cú pháp GIFT: phần đáp án mở bằng “{” ở "
                                "dòng này không được đóng bằng “}” (một “{” trong chữ phải viết “\\{”)"))
        return
    stem_text = _text(stem, fmt, line, "đề bài", parsed)
    answers, general = (answers.split("####", 1) + [""])[:2]
    explanation, cite = split_citations(_text(general, fmt, line, "phản hồi chung", parsed))
    item = Item(line, "", title, stem_text, [], explanation, cite, category, [])
    stripped = answers.strip()
    other = _other_type(stripped)
    if other:
        parsed.skip(line, other)
    elif re.fullmatch(r"(T|TRUE|F|FALSE)(#.*)?", stripped, re.DOTALL):
        _true_false(item, stripped, fmt, parsed)
        parsed.items.append(item)
    elif _choices(item, stripped, fmt, parsed):
        parsed.items.append(item)


def _other_type(answers: str) -> str:
    if re.fullmatch(r"(T|TRUE|F|FALSE)(#.*)?", answers, re.DOTALL):
        return ""
    if not answers:
        return "essay"
    if answers.startswith("#"):
        return "numerical"
    if "->" in answers:
        return "matching"
    if "~" not in answers:
        return "shortanswer"
    return ""


def _true_false(item: Item, answers: str, fmt: str, parsed: Parsed) -> None:
    value, *feedback = answers.split("#")
    wrong, right = (feedback + ["", ""])[:2]
    truth = value.startswith("T")
    right_text = _text(right, fmt, item.line, "phản hồi phương án", parsed)
    wrong_text = _text(wrong, fmt, item.line, "phản hồi phương án", parsed)
    item.kind = "true_false"
    item.options = [Choice("Đúng", truth, right_text if truth else wrong_text),
                    Choice("Sai", not truth, wrong_text if truth else right_text)]


def _choices(item: Item, answers: str, fmt: str, parsed: Parsed) -> bool:
    parts = re.split(r"(?=[=~])", answers)
    if parts[0].strip():
        parsed.problems.append((item.line, f"lỗi cú pháp GIFT: “{_unprotect(parts[0].strip())[:40]}” đứng trước "
                                           "đáp án đầu tiên (thiếu “=” hoặc “~”)"))
        return False
    equals, weighted = 0, False
    for part in parts[1:]:
        mark, rest = part[0], part[1:].strip()
        weight = _WEIGHT.match(rest)
        fraction = 100.0 if mark == "=" else 0.0
        if weight:
            fraction, rest = float(weight[1]), rest[weight.end():].strip()
            weighted = weighted or (mark == "~" and fraction > 0)
        equals += mark == "="
        text, _, feedback = rest.partition("#")
        item.options.append(Choice(_text(text, fmt, item.line, "phương án", parsed), fraction > 0,
                                   _text(feedback, fmt, item.line, "phản hồi phương án", parsed)))
    item.kind = "multiple" if weighted and not equals else "single"
    return True


def _escape(text: str) -> str:
    for char in "\\~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _weight(share: float) -> str:
    return f"{share:.5f}".rstrip("0").rstrip(".")


def dump(items: list[Item], category_of) -> str:
    """GIFT text; ``category_of(item)`` gives the category path written before it (when it changes)."""
    out, current = [], None
    for item in items:
        path = category_of(item)
        if path != current:
            out.append(f"// question: 0  name: Switch category to {path}\n$CATEGORY: {path}\n\n")
            current = path
        explanation = join_citations(item.explanation, item.cite)
        general = "####" + _escape(explanation) if explanation else ""
        head = f"// question: 0  name: {item.title}\n::{_escape(item.title)}::{_escape(item.stem)}"
        if item.kind == "true_false":
            right = next(o for o in item.options if o.correct)
            wrong = next(o for o in item.options if not o.correct)
            value = "TRUE" if right.text == "Đúng" else "FALSE"
            out.append(f"{head}{{{value}#{_escape(wrong.feedback)}#{_escape(right.feedback)}{general}}}\n\n")
            continue
        lines = [head + "{"]
        correct = sum(o.correct for o in item.options)
        for option in item.options:
            if item.kind == "single":
                mark = "=" if option.correct else "~"
            else:
                mark = f"~%{_weight(100 / correct)}%" if option.correct else "~%-100%"
            feedback = f"#{_escape(option.feedback)}" if option.feedback else ""
            lines.append(f"\t{mark}{_escape(option.text)}{feedback}")
        if general:
            lines.append(f"\t{general}")
        out.append("\n".join(lines) + "\n}\n\n")
    return "".join(out)
