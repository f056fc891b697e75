"""Scanned copies of report pages, as offices make them: a print fed slightly crooked into a copier, or a phone
photo, saved as JPEG and wrapped in an image-only PDF. For the OCR tests and bench/ocr.py (needs the ocr extra).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

import numpy as np
from PIL import Image, ImageFilter


@dataclass(frozen=True)
class Degradation:
    name: str
    label: str  # Chinese, as the bench prints it
    dpi: int = 200  # resolution of the scan (the page images given are 200 DPI)
    skew: float = 0.0  # degrees
    blur: float = 0.0  # Gaussian radius in pixels
    noise: float = 0.0  # standard deviation of grey-level noise
    jpeg: int = 90  # quality
    perspective: float = 0.0  # corner displacement as a share of the page (phone photo)
    shading: float = 0.0  # darkening towards one corner (phone photo under a lamp)
    turn: int = 0  # degrees counter-clockwise the sheet was fed in (90: sideways, 180: upside down)


LEVELS: tuple[Degradation, ...] = (
    Degradation("clean", "干净扫描 200 DPI"),
    Degradation("mild", "200 DPI，倾斜 0.8°，轻微模糊与噪点", skew=0.8, blur=0.6, noise=6, jpeg=75),
    Degradation("skewed", "200 DPI，倾斜 1.8°，模糊、噪点、JPEG 压缩", skew=-1.8, blur=0.9, noise=10, jpeg=55),
    Degradation("low_dpi", "150 DPI，倾斜 0.5°，JPEG 压缩", dpi=150, skew=0.5, blur=0.5, noise=6, jpeg=60),
    Degradation("phone", "手机拍照：透视、光照不均、模糊", skew=1.2, blur=1.0, noise=8, jpeg=60, perspective=0.012,
                shading=0.25),
    Degradation("sideways", "横放扫描（旋转 90°），倾斜 0.8°，轻微模糊与噪点", skew=0.8, blur=0.6, noise=6, jpeg=75,
                turn=90),
)
LEVEL = {level.name: level for level in LEVELS}


def degrade(page: Image.Image, level: Degradation, seed: int = 0) -> Image.Image:
    """One page image (greyscale, 200 DPI) as the degraded scan describes it."""
    rng = np.random.default_rng(seed)
    image = page.convert("L")
    if level.turn:
        image = image.rotate(level.turn, expand=True, fillcolor=255)
    if level.dpi != 200:
        size = (image.width * level.dpi // 200, image.height * level.dpi // 200)
        image = image.resize(size, Image.Resampling.LANCZOS)
    if level.perspective:
        width, height = image.size
        shift = level.perspective * width
        corners = rng.uniform(-shift, shift, size=8)
        quad = (corners[0], corners[1], corners[2], height + corners[3], width + corners[4], height + corners[5],
                width + corners[6], corners[7])
        image = image.transform(image.size, Image.Transform.QUAD, quad, Image.Resampling.BICUBIC, fillcolor=255)
    if level.skew:
        image = image.rotate(level.skew, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if level.blur:
        image = image.filter(ImageFilter.GaussianBlur(level.blur))
    pixels = np.asarray(image, dtype=np.float64)
    if level.shading:
        ys, xs = np.mgrid[0:pixels.shape[0], 0:pixels.shape[1]]
        distance = (xs / pixels.shape[1] + ys / pixels.shape[0]) / 2
        pixels = pixels * (1 - level.shading * distance)
    if level.noise:
        pixels = pixels + rng.normal(0, level.noise, pixels.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=level.jpeg)
    return Image.open(BytesIO(buffer.getvalue()))


def image_pdf(pages: list[Image.Image], dpi: int = 200) -> bytes:
    """An image-only PDF of the pages (no text layer), one JPEG per page."""
    buffer = BytesIO()
    first, *rest = [page.convert("L") for page in pages]
    first.save(buffer, "PDF", save_all=True, append_images=rest, resolution=dpi)
    return buffer.getvalue()
