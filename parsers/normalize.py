"""Text normalization of docs/report-keys.md: simplified script, half-width, no pinyin, no inner spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import opencc

# Some portals print the pinyin after every character: 根據(jù)、統(tǒng)計; also after a character that is
# itself followed by an enumerator or another annotation: 第(一)(yī)項(xiàng).
_PINYIN = re.compile(
    r"(?<=[\u3400-\u9fff)）])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[1-5]?[)）]"
)
_QUOTES = str.maketrans({c: '"' for c in "“”„‟「」『』〝〞＂'‘’"})
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
_PARENTHETICAL = re.compile(r"\([^()]*\)")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (OpenCC t2s; about 2 µs for a label, so always applied)."""
    return _converter().convert(text)


def normalize_text(text: str) -> str:
    """Document text as the parser reads it: NFKC (full-width → half-width), simplified, no pinyin."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # NFKC folds full-width digits, letters and punctuation; it keeps 、 and 。
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text)
    # Taiwan wording: 政府資訊公開 → 政府资讯公开 after OpenCC; the mainland term is 信息.
    text = text.replace("资讯公开", "信息公开")
    return _PINYIN.sub("", text)


def compact(text: str) -> str:
    """Whitespace and line breaks removed, quotes unified: 本年新\\n制作数量 → 本年新制作数量."""
    return _SPACES.sub("", text).translate(_QUOTES)


@lru_cache(maxsize=8192)
def label_key(text: str) -> str:
    """A label ready for matching: normalized, compacted, explanations in parentheses dropped."""
    # Line breaks go before OpenCC: 反\n覆 must reach it as the word 反覆 to become 反复.
    label = compact(normalize_text(_SPACES.sub("", text)))
    # Keep the enumerators （一）…（七）, drop explanations such as （区分处理的，只计这一情形…）.
    stripped = _PARENTHETICAL.sub(lambda m: m.group(0) if len(m.group(0)) <= 3 else "", label)
    return stripped or label
