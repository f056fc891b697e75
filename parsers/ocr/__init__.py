"""Reading scanned pages offline: page images → ruled tables and text lines, checked by the template's arithmetic.

Needs the `ocr` extra (rapidocr with its PP-OCR models inside the wheel, onnxruntime, OpenCV); nothing is
downloaded at run time. `available()` tells whether it is installed.
"""

from __future__ import annotations

from functools import cache

INSTALL_HINT = "识别需要安装 OCR 扩展：pip install 'nianbao[ocr]'"


@cache
def available() -> bool:
    """Whether the OCR extra is installed and loads (a broken onnxruntime counts as missing)."""
    try:
        import cv2  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except ImportError:
        return False
    return True
