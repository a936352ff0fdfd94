"""Moodle XML, as Moodle 4.x writes it (question/format/xml): read and write.

Read safely: defusedxml with DTDs, entities and external references refused (an "XML bomb" is refused,
not expanded) and a size limit (``MAX_BYTES``). ``<question type="category">`` sets the category of the
questions after it; multichoice (``<single>``), truefalse; HTML text becomes plain text with a notice when
markup is lost; ``<tags>`` become tags. Other question types are reported and skipped.
"""

from __future__ import annotations

from html import escape
from xml.etree.ElementTree import Element, ParseError, TreeBuilder  # nosec B405 - parsed by defusedxml

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from learning.catalog.interchange import (
    MAX_BYTES,
    Choice,
    Item,
    Parsed,
    html_to_text,
    join_citations,
    lost_notice,
    split_citations,
    tidy,
)
from learning.catalog.interchange.gift import category_path


class _Lines(TreeBuilder):
    """A tree builder that remembers the line every element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: dict[int, int] = {}

    def start(self, tag, attrs):  # noqa: ANN001, ANN201 - TreeBuilder's signature
        element = super().start(tag, attrs)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber if self.parser else 0
        return element


def parse(data: bytes) -> Parsed:
    parsed = Parsed()
    if len(data) > MAX_BYTES:
        parsed.problems.append((1, f"tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB"))
        return parsed
    builder = _Lines()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException:
        parsed.problems.append((1, "tệp XML có khai báo DTD hoặc thực thể (entity); bị từ chối vì có thể là "
                                   "“XML bomb” — Moodle không bao giờ ghi những khai báo này"))
        return parsed
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else 1
        parsed.problems.append((line, f"XML không hợp lệ: {error}"))
        return parsed
    if root.tag != "quiz":
        parsed.problems.append((1, f"phần tử gốc phải là <quiz> (đang là <{root.tag}>)"))
        return parsed
    category: list[str] = []
    for question in root.iter("question"):
        line = builder.lines.get(id(question), 1)
        qtype = question.get("type", "")
        if qtype == "category":
            category = category_path(_plain(question.find("category")))
        elif qtype in ("multichoice", "truefalse"):
            _question(parsed, question, line, qtype, category)
        else:
            parsed.skip(line, qtype or "?")
    return parsed


def _plain(node: Element | None) -> str:
    if node is None:
        return ""
    text = node.find("text")
    return (text.text or "") if text is not None else ""


def _text(node: Element | None, line: int, where: str, parsed: Parsed) -> str:
    raw = _plain(node)
    if node is not None and node.get("format", "html") == "html":
        text, lost = html_to_text(raw)
        if lost:
            parsed.notices.append(lost_notice(line, where, lost))
        return text
    return tidy(raw)


def _question(parsed: Parsed, question: Element, line: int, qtype: str, category: list[str]) -> None:
    explanation, cite = split_citations(_text(question.find("generalfeedback"), line, "phản hồi chung", parsed))
    tags = [tidy(t.text or "") for t in question.findall("tags/tag/text") if (t.text or "").strip()]
    item = Item(line, "", tidy(_plain(question.find("name"))),
                _text(question.find("questiontext"), line, "đề bài", parsed), [], explanation, cite,
                category, tags)
    for answer in question.findall("answer"):
        try:
            fraction = float(answer.get("fraction", "0"))
        except ValueError:
            parsed.problems.append((line, f"fraction “{answer.get('fraction')}” không phải là số"))
            return
        feedback = _text(answer.find("feedback"), line, "phản hồi phương án", parsed)
        if qtype == "truefalse":
            text = {"true": "Đúng", "false": "Sai"}.get((answer.findtext("text") or "").strip().lower())
            if text is None:
                parsed.problems.append((line, "câu đúng/sai phải có đáp án “true” và “false”"))
                return
        else:
            text = _answer_text(answer, line, parsed)
        item.options.append(Choice(text, fraction > 0, feedback))
    if qtype == "truefalse":
        item.kind = "true_false"
    else:
        single = (question.findtext("single") or "true").strip().lower() in ("true", "1")
        item.kind = "single" if single else "multiple"
    parsed.items.append(item)


def _answer_text(answer: Element, line: int, parsed: Parsed) -> str:
    raw = answer.findtext("text") or ""
    if answer.get("format", "html") == "html":
        text, lost = html_to_text(raw)
        if lost:
            parsed.notices.append(lost_notice(line, "phương án", lost))
        return text
    return tidy(raw)


def _t(text: str) -> str:
    return f"<text>{escape(text, quote=False)}</text>"


def dump(items: list[Item], category_of) -> str:
    """Moodle XML; ``category_of(item)`` gives the category path written before it (when it changes)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    current = None
    for item in items:
        path = category_of(item)
        if path != current:
            out += ['  <question type="category">', f"    <category>{_t(path)}</category>", "  </question>"]
            current = path
        qtype = "truefalse" if item.kind == "true_false" else "multichoice"
        out += [f'  <question type="{qtype}">', f"    <name>{_t(item.title)}</name>",
                f'    <questiontext format="plain_text">{_t(item.stem)}</questiontext>',
                f'    <generalfeedback format="plain_text">{_t(join_citations(item.explanation, item.cite))}'
                "</generalfeedback>", "    <defaultgrade>1.0000000</defaultgrade>",
                "    <penalty>0.3333333</penalty>", "    <hidden>0</hidden>"]
        correct = sum(o.correct for o in item.options) or 1
        if qtype == "multichoice":
            single = item.kind == "single"
            out += [f"    <single>{'true' if single else 'false'}</single>",
                    "    <shuffleanswers>true</shuffleanswers>", "    <answernumbering>abc</answernumbering>"]
        for option in item.options:
            if qtype == "truefalse":
                fraction, text, fmt = ("100" if option.correct else "0"), (
                    "true" if option.text == "Đúng" else "false"), "moodle_auto_format"
            else:
                share = 100 if item.kind == "single" else round(100 / correct, 5)
                fraction, text, fmt = (f"{share:g}" if option.correct else "0"), option.text, "plain_text"
            out += [f'    <answer fraction="{fraction}" format="{fmt}">', f"      {_t(text)}",
                    f'      <feedback format="plain_text">{_t(option.feedback)}</feedback>', "    </answer>"]
        if item.tags:
            out += ["    <tags>", *(f"      <tag>{_t(tag)}</tag>" for tag in item.tags), "    </tags>"]
        out.append("  </question>")
    out.append("</quiz>")
    return "\n".join(out) + "\n"
