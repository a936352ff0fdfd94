"""The text of an upload (.txt, .docx, .pdf, .xlsx), read in memory with limits; never written anywhere."""

from __future__ import annotations

import io
import zipfile

from defusedxml import ElementTree
from flask_babel import gettext

MAX_UNPACKED = 25 * 1024 * 1024  # bytes inside a .docx/.xlsx, all members together
MAX_RATIO = 150  # a member packed more tightly than this is a zip bomb
MAX_PDF_PAGES = 300
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted Office files and old .doc/.xls
EXTENSIONS = (".txt", ".docx", ".pdf", ".xlsx")


class ExtractError(ValueError):
    """A file we cannot read; the message says what to do, in Vietnamese."""


def decode(data: bytes) -> str:
    return decode_noting(data)[0]


def decode_noting(data: bytes) -> tuple[str, str | None]:
    """The text of a .txt file, and a note for the reader when it was not UTF-8 (so read by a guess)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            raise ExtractError(gettext("Tệp đánh dấu là UTF-16 nhưng nội dung bị hỏng. Hãy lưu lại với bảng mã "
                                       "UTF-8 rồi tải lên lại.")) from None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    if b"\xe1\xba" in data or b"\xe1\xbb" in data or b"\xc3" in data:
        raise ExtractError(gettext("Tệp trộn nhiều bảng mã (một phần UTF-8, một phần khác). Hãy mở tệp và "
                                   "lưu lại với bảng mã UTF-8 rồi tải lên lại."))
    # Windows Vietnamese, the old office default
    return data.decode("cp1258", errors="replace"), gettext(
        "Tệp không dùng bảng mã UTF-8 nên đã được đọc theo bảng mã Windows-1258 (tiếng Việt cũ). Nếu chữ bị lỗi, "
        "hãy lưu lại tệp với bảng mã UTF-8 rồi tải lên lại.")


def _open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    if data.startswith(OLE_MAGIC):
        raise ExtractError(gettext("Tệp %(kind)s được đặt mật khẩu hoặc là định dạng cũ (.doc, .xls). Hãy gỡ "
                                   "mật khẩu hoặc lưu lại dạng %(kind)s rồi tải lên lại.", kind=kind))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ExtractError(gettext("Tệp không phải %(kind)s hợp lệ (có thể bị hỏng hoặc đổi đuôi).",
                                   kind=kind)) from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if total > MAX_UNPACKED or (info.compress_size and info.file_size / info.compress_size > MAX_RATIO):
            raise ExtractError(gettext("Tệp %(kind)s giải nén ra quá lớn (hơn 25 MB) nên không được đọc. Hãy "
                                       "dán phần văn bản cần kiểm tra vào ô nhập.", kind=kind))
    return archive


def _docx(data: bytes) -> str:
    archive = _open_zip(data, ".docx")
    try:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    except KeyError:
        raise ExtractError(gettext("Tệp .docx không có phần nội dung (word/document.xml).")) from None
    except ElementTree.ParseError:
        raise ExtractError(gettext("Nội dung tệp .docx bị hỏng, không đọc được.")) from None
    paragraphs = []
    for paragraph in root.iter(f"{W}p"):
        pieces = []
        for node in paragraph.iter():
            if node.tag == f"{W}t" and node.text:
                pieces.append(node.text)
            elif node.tag == f"{W}tab":
                pieces.append("\t")
            elif node.tag in (f"{W}br", f"{W}cr"):
                pieces.append("\n")
        paragraphs.append("".join(pieces))
    return "\n".join(paragraphs)


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError(gettext("Tệp PDF được đặt mật khẩu. Hãy gỡ mật khẩu rồi tải lên lại."))
        if len(reader.pages) > MAX_PDF_PAGES:
            raise ExtractError(gettext("Tệp PDF dài hơn %(n)s trang. Hãy tách phần cần kiểm tra.", n=MAX_PDF_PAGES))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except ExtractError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        raise ExtractError(gettext("Tệp PDF bị hỏng, không đọc được.")) from None
    if not text.strip():
        raise ExtractError(gettext("Tệp PDF không có lớp chữ (có thể là bản scan ảnh). Hãy dùng bản PDF xuất từ "
                                   "Word, hoặc dán văn bản vào ô nhập."))
    return text


def _xlsx(data: bytes) -> str:
    from python_calamine import CalamineWorkbook

    _open_zip(data, ".xlsx")
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        lines = []
        for name in workbook.sheet_names:
            for row in workbook.get_sheet_by_name(name).to_python(skip_empty_area=True):
                cells = ["" if c is None else str(c) for c in row]
                if any(cells):
                    lines.append("\t".join(cells))
    except Exception:  # calamine raises its own error types for damaged workbooks
        raise ExtractError(gettext("Tệp .xlsx bị hỏng, không đọc được.")) from None
    return "\n".join(lines)


def text_of(filename: str, data: bytes) -> str:
    return read_upload(filename, data)[0]


def read_upload(filename: str, data: bytes) -> tuple[str, str | None]:
    """The text of an upload and a note for the reader (e.g. the encoding was guessed), or ExtractError."""
    name = (filename or "").lower()
    if name.endswith(".txt"):
        return decode_noting(data)
    return _structured(name, data), None


def _structured(name: str, data: bytes) -> str:
    if name.endswith(".docx"):
        return _docx(data)
    if name.endswith(".pdf"):
        return _pdf(data)
    if name.endswith(".xlsx"):
        return _xlsx(data)
    raise ExtractError(gettext("Chỉ nhận tệp .txt, .docx, .pdf hoặc .xlsx."))
