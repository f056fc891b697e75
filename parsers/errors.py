"""Named parse errors: each says which file and what is wrong, in one line."""

from __future__ import annotations


class ParseError(Exception):
    """A document that cannot be read as a report."""

    reason = "unreadable"

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, str]]:
        # Errors cross process boundaries (parsers.pool): rebuild from source and message.
        return (self.__class__, (self.source, self.message))


class UnsupportedFormat(ParseError):
    reason = "unsupported_format"


class TooLarge(ParseError):
    reason = "too_large"


class CorruptDocument(ParseError):
    reason = "corrupt"


class NoTextLayer(ParseError):
    reason = "needs_ocr"


class MissingTool(ParseError):
    reason = "missing_tool"


class NotAReport(ParseError):
    reason = "not_a_report"


class ParseAborted(ParseError):
    """The parse worker died, ran over its time limit or over its memory limit on this document."""

    reason = "aborted"
