"""Legacy Word (.doc) and WPS (.wps) reports: converted to DOCX by LibreOffice headless, then read as DOCX."""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

from parsers.errors import CorruptDocument, MissingTool, ParseError
from parsers.grid import Document
from parsers.readers.docx import read_docx

logger = logging.getLogger(__name__)

# OLE2 compound file (.doc, .wps, Word 97–2003) and RTF saved as .doc, both common on portals.
_SIGNATURES = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf")
# One LibreOffice profile per process: two soffice instances sharing a profile block each other.
_lock = threading.Lock()


def _profile_dir() -> Path:
    return Path(tempfile.gettempdir()) / f"nianbao-lo-{os.getpid()}"


_registered: set[int] = set()


def _remember_profile(profile: Path) -> None:
    """Remove this process's profile when it exits (registered once per process)."""
    if os.getpid() not in _registered:
        _registered.add(os.getpid())
        atexit.register(shutil.rmtree, profile, True)


def read_legacy(data: bytes, source: str, limits: Any) -> Document:
    """Convert a .doc/.wps to DOCX with LibreOffice (soffice --headless) and read that."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise MissingTool(
            source, "读取 .doc/.wps 需要 LibreOffice（soffice）：apt-get install libreoffice-writer-nogui"
        )
    if not data.startswith(_SIGNATURES):
        raise CorruptDocument(source, "不是 Word 的 .doc/.wps 文件（没有 OLE2 或 RTF 文件头）")
    suffix = ".wps" if source.split("?")[0].lower().endswith(".wps") else ".doc"
    with _lock, tempfile.TemporaryDirectory(prefix="nianbao-legacy-") as tmp:
        document_path = Path(tmp) / f"report{suffix}"
        document_path.write_bytes(data)
        converted = _convert(soffice, document_path, source, limits.convert_timeout_s)
        return read_docx(converted, source, limits)


def _convert(soffice: str, path: Path, source: str, timeout_s: float) -> bytes:
    """Run soffice in its own process group; kill the whole group when it overruns the timeout."""
    profile = _profile_dir()
    _remember_profile(profile)
    outdir = path.parent / "out"
    command = [
        soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo",
        "--norestore", "--nodefault", "--nolockcheck", "--convert-to", "docx", "--outdir", str(outdir), str(path),
    ]
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        (profile / ".lock").unlink(missing_ok=True)
        raise ParseError(source, f"LibreOffice 转换超时（{timeout_s:g} 秒）") from None
    outputs = sorted(outdir.glob("*.docx")) if outdir.is_dir() else []
    if not outputs or outputs[0].stat().st_size == 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()
        reason = f"（{detail[-1]}）" if detail else ""
        raise CorruptDocument(source, f"LibreOffice 无法将其转换为 DOCX{reason}")
    logger.debug("%s: converted by LibreOffice (exit %s)", source, process.returncode)
    return outputs[0].read_bytes()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()

