"""A page put in the scanner sideways or upside down: which quarter turn makes its text upright.

Text lines are much wider than high, so the detector's boxes tell upright-or-upside-down from sideways; the
recogniser then reads the longest lines both ways round and is far surer of the right way (upside-down Chinese
reads as low-confidence noise).
"""

from __future__ import annotations

import numpy as np

from parsers.ocr import engine

_DETECT_SCALE = 0.3  # of a 200-DPI page: the lines are still found, in under half a second
_SAMPLE_LINES = 10
_MARGIN = 0.1  # of mean confidence
_CHARACTERS = 6  # line heights of each sampled line read


def quarter_turns(gray: np.ndarray) -> int:
    """k such that np.rot90(gray, k) (k counter-clockwise quarter turns) stands the page's text upright."""
    boxes = engine.detect(gray, scale=_DETECT_SCALE)
    wide = [box for box in boxes if box[2] - box[0] > 2 * (box[3] - box[1])]
    tall = [box for box in boxes if box[3] - box[1] > 2 * (box[2] - box[0])]
    sideways = len(tall) > len(wide)
    lines = sorted(tall if sideways else wide, key=lambda b: max(b[2] - b[0], b[3] - b[1]), reverse=True)
    # A line's first few characters are enough, and reading whole lines would cost seconds.
    crops = [gray[y0:min(y1, y0 + _CHARACTERS * (x1 - x0)), x0:x1] if sideways
             else gray[y0:y1, x0:min(x1, x0 + _CHARACTERS * (y1 - y0))] for x0, y0, x1, y1 in lines[:_SAMPLE_LINES]]
    if not crops:
        return 0
    choices = (1, 3) if sideways else (0, 2)
    scores = {k: _mean_score([np.ascontiguousarray(np.rot90(crop, k)) for crop in crops]) for k in choices}
    if not sideways:  # upside down only when clearly so: a page of few, short lines stays as it came
        return 2 if scores[2] > scores[0] + _MARGIN else 0
    return max(choices, key=lambda k: scores[k])


def _mean_score(crops: list[np.ndarray]) -> float:
    readings = engine.recognize(crops)
    return sum(score * max(len(text.strip()), 1) for text, score in readings) / max(
        sum(max(len(text.strip()), 1) for text, _ in readings), 1)


def upright(gray: np.ndarray) -> tuple[np.ndarray, int]:
    """The page turned upright, and the clockwise degrees it was turned by (0, 90, 180 or 270)."""
    k = quarter_turns(gray)
    return (np.ascontiguousarray(np.rot90(gray, k)) if k else gray), (360 - 90 * k) % 360
