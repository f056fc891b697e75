"""The content-addressed document store: bytes kept on disk by SHA-256, never as database blobs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from parsers import detect_format
from parsers.errors import ParseError


def extension_of(data: bytes, url: str, content_type: str | None) -> str:
    """The file extension a document is kept under (its detected format, else .bin)."""
    try:
        detected = detect_format(data, url, content_type)
    except ParseError:
        return "bin"
    return "txt" if detected == "text" else detected


def relative_path(sha256: str, extension: str) -> str:
    """documents/ab/abcdef….ext: where a document with this hash lives under the data directory."""
    return f"documents/{sha256[:2]}/{sha256}.{extension}"


def keep(data_dir: Path, sha256: str, extension: str, data: bytes) -> str:
    """Write the bytes once (atomically: temp file then rename); return the path under the data directory."""
    relative = relative_path(sha256, extension)
    target = data_dir / relative
    if target.exists() and target.stat().st_size == len(data):
        return relative
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return relative
