"""Zip checks for DOCX and XLSX before any library opens them: not a zip, zip bombs."""

from __future__ import annotations

import zipfile
import zlib
from io import BytesIO

from parsers.errors import CorruptDocument, TooLarge

_MIB = 1024 * 1024
# Office XML compresses 5–30:1; a member past this ratio and size is built to exhaust memory.
MAX_RATIO = 150
_RATIO_FLOOR = 4 * _MIB
# The XML of a real report is a few MiB; parsed into a tree it takes ~10× its size in memory.
MAX_XML_BYTES = 32 * _MIB
_CHUNK = 1024 * 1024


def open_zip(data: bytes, source: str, kind: str, max_unzipped_bytes: int) -> zipfile.ZipFile:
    """The archive, after checking it is a zip and unpacks to a sane size; names the file when not."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise CorruptDocument(source, f"不是有效的 {kind} 文件：压缩包已损坏（不完整，或内容与扩展名不符）") from error
    total = sum(member.file_size for member in members)
    if total > max_unzipped_bytes:
        limit = max_unzipped_bytes / _MIB
        raise TooLarge(source, f"{kind} 解压后 {total / _MIB:.0f} MiB，超过上限 {limit:.0f} MiB（疑为压缩炸弹）")
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size / max(member.compress_size, 1)
            raise TooLarge(source, f"{kind} 中的 {member.filename} 压缩比 {ratio:.0f}:1（疑为压缩炸弹）")
    _check_xml_size(archive, members, source, kind)
    return archive


def _check_xml_size(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], source: str, kind: str) -> None:
    """Count the XML really unpacked (the sizes in the zip directory may lie), up to MAX_XML_BYTES."""
    total = 0
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_XML_BYTES:
                        raise TooLarge(source, f"{kind} 中的 XML 超过 {MAX_XML_BYTES // _MIB} MiB"
                                               "（不是报告，或是有意耗尽内存的文件）")
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:  # a bit-flipped member
            raise CorruptDocument(source, f"不是有效的 {kind} 文件：其中的 {member.filename} 已损坏") from error
