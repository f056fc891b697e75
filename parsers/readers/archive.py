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
        raise CorruptDocument(source, f"not a valid {kind} file: not a zip archive ({error})") from error
    total = sum(member.file_size for member in members)
    if total > max_unzipped_bytes:
        limit = max_unzipped_bytes / _MIB
        raise TooLarge(source, f"zip bomb: {kind} unpacks to {total / _MIB:.0f} MiB, over the {limit:.0f} MiB limit")
    for member in members:
        if member.file_size > _RATIO_FLOOR and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            ratio = member.file_size / max(member.compress_size, 1)
            raise TooLarge(source, f"zip bomb: {member.filename} in the {kind} compresses {ratio:.0f}:1")
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
                        raise TooLarge(source, f"{kind} holds over {MAX_XML_BYTES // _MIB} MiB of XML "
                                               "(not a report, or built to exhaust memory)")
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as error:  # a bit-flipped member
            raise CorruptDocument(source, f"not a valid {kind} file: {member.filename} is damaged ({error})") from error
