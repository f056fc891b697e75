"""Page images: rendering, straightening (skew of a scan, up to a few degrees) and the ruling lines of tables."""

from __future__ import annotations

import numpy as np

DPI = 200
_MAX_SKEW = 4.0  # degrees: a page fed crooked into a scanner or photographed at a slant


def to_gray(image: np.ndarray) -> np.ndarray:
    import cv2

    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _ink(gray: np.ndarray) -> np.ndarray:
    """Dark strokes as 255 on 0, robust to uneven lighting and grey paper."""
    import cv2

    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15)


def _rotate(gray: np.ndarray, degrees: float) -> np.ndarray:
    import cv2

    height, width = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def _sharpness(ink: np.ndarray, degrees: float) -> float:
    """How crisp the row profile is at this rotation: text lines and rules align with pixel rows when straight."""
    profile = _rotate(ink, degrees).sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(profile)).sum())


def skew_angle(gray: np.ndarray) -> float:
    """The rotation (degrees, counter-clockwise) that straightens the page: coarse on a small copy, then finer."""
    import cv2

    scale = 800 / max(gray.shape)
    ink = _ink(cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    best = max(np.arange(-_MAX_SKEW, _MAX_SKEW + 0.01, 0.25), key=lambda a: _sharpness(ink, float(a)))
    scale = 1600 / max(gray.shape)
    ink = _ink(cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    fine = np.arange(best - 0.25, best + 0.251, 0.05)
    return float(max(fine, key=lambda a: _sharpness(ink, float(a))))


def straighten(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The page turned upright and its skew in degrees."""
    angle = skew_angle(gray)
    return (_rotate(gray, angle) if abs(angle) >= 0.05 else gray), angle


Run = tuple[int, int, int]  # at (row or column), start, end: one ruling line in pixels


def _runs(mask: np.ndarray, axis: int, min_length: int) -> list[Run]:
    """Ruling lines of a line mask: connected strokes longer than min_length, as (position, start, end)."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    runs: list[Run] = []
    for index in range(1, count):
        x, y, width, height = stats[index][:4]
        if axis == 0 and width >= min_length and height <= max(12, width // 8):
            runs.append((int(y + height // 2), int(x), int(x + width)))
        elif axis == 1 and height >= min_length and width <= max(12, height // 8):
            runs.append((int(x + width // 2), int(y), int(y + height)))
    return runs


def _unit(gray: np.ndarray) -> int:
    """The shortest upright stroke taken for a rule: longer than a body-text character (a 16 pt one is 44 px)."""
    return max(gray.shape[1] // 36, 20)


def _meets(run: Run, rows: list[Run], end: int) -> bool:
    return any(a - 8 <= run[0] <= b + 8 and abs(y - end) <= 10 for y, a, b in rows)


def ruling_lines(gray: np.ndarray) -> tuple[list[Run], list[Run]]:
    """Horizontal and vertical ruling lines of a straightened page (morphological opening keeps long strokes)."""
    import cv2

    ink = _ink(gray)
    unit = _unit(gray)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * unit, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, unit)))
    # Close the gaps a light scan leaves in a line; a table line broken by noise is still one line.
    horizontal = cv2.dilate(horizontal, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 3)))
    vertical = cv2.dilate(vertical, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 9)))
    # A horizontal rule is longer than two body characters, and a vertical rule starts or ends on a horizontal
    # one (one end only: a table cut by the page end has no bottom rule); a headline character's strokes do not.
    rows = _runs(horizontal, 0, 2 * unit)
    columns = [run for run in _runs(vertical, 1, unit) if _meets(run, rows, run[1]) or _meets(run, rows, run[2])]
    return rows, columns


def erase_lines(gray: np.ndarray, rows: list[Run], columns: list[Run]) -> np.ndarray:
    """The page without its ruling lines (a rule touching a digit makes 1 out of |1). Only the strokes along the
    rules found are erased: the long upright stroke of a big 中 or 申 is not a rule and stays."""
    import cv2

    near = np.zeros(gray.shape, dtype=np.uint8)
    for y, a, b in rows:
        near[max(0, y - 6):y + 7, max(0, a - 2):b + 3] = 255
    for x, a, b in columns:
        near[max(0, a - 2):b + 3, max(0, x - 6):x + 7] = 255
    ink = _ink(gray)
    unit = _unit(gray)
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (unit, 1)))
    lines = cv2.bitwise_or(lines, cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                                                   cv2.getStructuringElement(cv2.MORPH_RECT, (1, unit))))
    lines = cv2.bitwise_and(cv2.dilate(lines, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))), near)
    cleaned = gray.copy()
    cleaned[lines > 0] = 255
    return cleaned
