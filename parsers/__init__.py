"""Any annual-report document (bytes) → a normalized report. Pure: no network, no SQL."""

from __future__ import annotations

import importlib
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Literal

from parsers.encoding import looks_binary
from parsers.errors import CorruptDocument, ParseError, TooLarge, UnsupportedFormat
from parsers.grid import Document
from parsers.hints import Hints
from parsers.report import ParsedReport

Format = Literal["html", "text", "pdf", "docx", "doc", "xlsx", "xls", "ofd", "mht"]
FORMATS: tuple[Format, ...] = ("html", "text", "pdf", "docx", "doc", "xlsx", "xls", "ofd", "mht")

# module, function: each reader takes (bytes, source, limits) and gives a Document.
_READERS: dict[str, tuple[str, str]] = {
    "html": ("parsers.readers.html", "read_html"),
    "text": ("parsers.readers.text", "read_text"),
    "pdf": ("parsers.readers.pdf", "read_pdf"),
    "docx": ("parsers.readers.docx", "read_docx"),
    "doc": ("parsers.readers.legacy", "read_legacy"),
    "xlsx": ("parsers.readers.sheet", "read_xlsx"),
    "xls": ("parsers.readers.sheet", "read_xls"),
    "mht": ("parsers.readers.mht", "read_mht"),
}
_EXTENSIONS: dict[str, Format] = {
    ".html": "html", ".htm": "html", ".shtml": "html", ".jhtml": "html", ".jsp": "html", ".aspx": "html",
    ".txt": "text", ".md": "text", ".pdf": "pdf", ".docx": "docx", ".doc": "doc", ".wps": "doc",
    ".xlsx": "xlsx", ".xls": "xls", ".ofd": "ofd",
}


@dataclass(frozen=True)
class Limits:
    """Resource limits for one document; defaults suit real reports (a few MB at most)."""

    max_bytes: int = 50 * 1024 * 1024
    max_unzipped_bytes: int = 200 * 1024 * 1024  # DOCX/XLSX zip bombs
    max_pdf_pages: int = 200
    convert_timeout_s: float = 120.0  # LibreOffice for .doc/.wps
    # Read image-only PDFs by OCR here (with the ocr extra); False leaves them as needs_ocr for the OCR stage
    # (`nianbao ocr`), as a crawl does: OCR takes seconds per page.
    ocr: bool = True
    # Seconds OCR may spend on one page or picture; a page over it is skipped with a warning (report partial).
    ocr_page_timeout: float = 120.0


def _size_message(size: int, limits: Limits) -> str:
    mib = 1024 * 1024
    return f"文件 {size / mib:.1f} MiB，超过大小上限 {limits.max_bytes / mib:.0f} MiB"


def _looks_html(head: bytes) -> bool:
    return any(tag in head for tag in (b"<html", b"<!doctype", b"<table", b"<body", b"<meta"))


def detect_format(data: bytes, source: str, media_type: str | None = None) -> Format:
    """Tell the format from the bytes first, then the media type, then the file name."""
    suffix = Path(source.split("?")[0]).suffix.lower()
    if data.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except zipfile.BadZipFile as error:
            raise CorruptDocument(source, "压缩包已损坏（文件不完整，或内容与扩展名不符）") from error
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
        raise UnsupportedFormat(source, "压缩包既不是 DOCX、XLSX，也不是 OFD 文件")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls" if suffix == ".xls" or (media_type or "").endswith("ms-excel") else "doc"
    head = data[:4096].lower()
    # Portals often serve Word's "save as web page" or RTF under a .doc/.wps name.
    if data.lstrip()[:5] == b"{\\rtf":
        return "doc"
    if b"mime-version:" in head and b"multipart/related" in head:
        return "mht"
    if suffix in (".doc", ".wps", ".xls") and _looks_html(head):
        return "html"
    if suffix in (".docx", ".xlsx", ".pdf", ".ofd", ".doc", ".wps", ".xls"):
        raise CorruptDocument(source, f"不是有效的 {suffix[1:].upper()} 文件（文件头不符：已损坏，或内容与扩展名不符）")
    if looks_binary(data):
        raise UnsupportedFormat(source, "未知类型的二进制文件，不是报告文档")
    if _looks_html(head):
        return "html"
    if media_type and "html" in media_type:
        return "html"
    return _EXTENSIONS.get(suffix, "text") if _EXTENSIONS.get(suffix) in ("html", "text") else "text"


def read_document(data: bytes, source: str, media_type: str | None = None, limits: Limits | None = None) -> Document:
    """Bytes → Document with the reader of the detected format."""
    limits = limits or Limits()
    if not data:
        raise CorruptDocument(source, "空文件")
    if len(data) > limits.max_bytes:
        raise TooLarge(source, _size_message(len(data), limits))
    fmt = detect_format(data, source, media_type)
    if fmt == "ofd":
        raise UnsupportedFormat(source, "暂不支持 OFD 文件（请先转换为 PDF）")
    module_name, function_name = _READERS[fmt]
    reader = getattr(importlib.import_module(module_name), function_name)
    return reader(data, source, limits)


def parse_bytes(data: bytes, source: str, media_type: str | None = None, limits: Limits | None = None,
                hints: Hints | None = None) -> ParsedReport:
    """Parse one report document; raises a ParseError subclass naming the source on bad input.

    `hints`: what the caller knows from outside the bytes (county, page title, link text, file name); the
    report's agency and year are weighed from them and from the document (parsers.identity)."""
    from parsers.extract import extract_report

    document = read_document(data, source, media_type, limits)
    return extract_report(document, source, hints)


def parse_file(path: str | Path, limits: Limits | None = None, hints: Hints | None = None) -> ParsedReport:
    """Parse a file on disk; the size limit is checked before reading it. Its name is a hint to its author."""
    path = Path(path)
    limits = limits or Limits()
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ParseError(str(path), f"无法读取（{error.strerror}）") from error
    if size > limits.max_bytes:
        raise TooLarge(str(path), _size_message(size, limits))
    hints = hints or Hints(file_name=path.stem)
    return parse_bytes(document_bytes(path), str(path), limits=limits, hints=hints)


def document_bytes(path: Path) -> bytes:
    """A file's bytes as one document: a web page saved with its pictures (Save Page As… puts them in a
    `<name>_files` folder beside it; any picture file the page names inside its own folder counts) becomes a web
    archive of the page and those pictures, so that tables published as pictures are read by OCR."""
    data = path.read_bytes()
    if path.suffix.lower() not in (".html", ".htm", ".shtml") or b"<img" not in data.lower():
        return data
    from parsers.readers.html import body_images
    from parsers.readers.web_archive import local_images, write_archive

    base = path.resolve().as_uri()
    try:
        pictures = local_images(path, body_images(data, str(path), base))
    except ParseError:
        return data  # the reader says what is wrong with the page itself
    return write_archive(data, base, pictures) if pictures else data


__all__ = [
    "FORMATS", "Format", "Hints", "Limits", "ParseError", "ParsedReport",
    "detect_format", "document_bytes", "parse_bytes", "parse_file", "read_document",
]
