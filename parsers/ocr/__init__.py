"""Reading scanned pages offline: page images → ruled tables and text lines, checked by the template's arithmetic.

Needs the `ocr` extra (rapidocr with its PP-OCR models inside the wheel, onnxruntime, OpenCV); nothing is
downloaded at run time. `available()` tells whether it is installed.
"""

from __future__ import annotations

import importlib.util

INSTALL_HINT = "needs the OCR extra: pip install 'nianbao[ocr]'"


def available() -> bool:
    """Whether the OCR extra is installed (checked without importing the heavy modules)."""
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime", "cv2"))
