"""The text detector and recogniser: PP-OCR models shipped inside the rapidocr wheel, run by onnxruntime.

One engine per process, loaded on first use (about a second). Detection runs on a half-size page (text of
a 200-DPI scan is still 15 px high there, and it is four times cheaper); recognition on full-size crops.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from typing import Any

import numpy as np

# Narrow crops (a cell's digits) are padded to this width, not to rapidocr's default 320 px: the same
# reading at a fraction of the cost.
_REC_MIN_WIDTH = 96


@cache
def _engine() -> Any:
    from rapidocr import RapidOCR

    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    threads = int(os.environ.get("NIANBAO_OCR_THREADS", "1"))
    return RapidOCR(params={
        "Global.log_level": "error",
        "Rec.rec_img_shape": [3, 48, _REC_MIN_WIDTH],
        "Rec.rec_batch_num": 16,
        "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    })


def detect(gray: np.ndarray, scale: float = 0.5) -> list[tuple[int, int, int, int]]:
    """Text line boxes (x0, y0, x1, y1) in the image's pixels, found on a downscaled copy."""
    import cv2

    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    result = _engine()(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR), use_det=True, use_cls=False, use_rec=False)
    boxes: list[tuple[int, int, int, int]] = []
    for quad in result.boxes if result.boxes is not None else []:
        points = np.asarray(quad) / scale
        x0, y0 = points.min(axis=0)
        x1, y1 = points.max(axis=0)
        boxes.append((int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))))
    return boxes


def recognize(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """(text, confidence) of each crop holding one line of text."""
    import cv2

    if not crops:
        return []
    images = [cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR) if crop.ndim == 2 else crop for crop in crops]
    output = _engine().recognize_txt(images)
    return [(text, float(score)) for text, score in zip(output.txts, output.scores, strict=True)]
