"""Text normalisation applied before segmentation: NFKC, case, Traditional -> Simplified.

Outputs always keep the caller's original text; only the features see the normalised form.
"""

from __future__ import annotations

import threading
import unicodedata

import numpy as np

_lock = threading.Lock()
_traditional_chars: frozenset[str] | None = None


def _traditional_only_chars() -> frozenset[str]:
    """Characters that zhconv maps to a different Simplified character (loaded once, lazily)."""
    global _traditional_chars
    if _traditional_chars is None:
        with _lock:
            if _traditional_chars is None:
                from zhconv.zhconv import getdict

                table = getdict("zh-hans")
                _traditional_chars = frozenset(
                    key for key, value in table.items() if len(key) == 1 and value != key
                )
    return _traditional_chars


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified with zhconv; text without Traditional characters is returned as is."""
    if _traditional_only_chars().isdisjoint(text):
        return text
    from zhconv import convert

    return convert(text, "zh-hans")


#: What NFKC does to the characters that Chinese text carries most: full-width ASCII and the ideographic space.
_FULL_WIDTH = str.maketrans({**{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}, "\u3000": " "})


def normalize(text: str) -> str:
    """NFKC (full-width -> half-width), lower case, Traditional -> Simplified.

    Full-width ASCII and ideographic spaces are folded with a translation table first; the
    full NFKC pass then runs only for texts that still need it (a fast check), which gives
    the same result as NFKC on everything at a fraction of the cost.
    """
    if not text.isascii():
        text = text.translate(_FULL_WIDTH)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        text = to_simplified(text)
    return text.lower()


_traditional_table: np.ndarray | None = None


def _traditional_lookup() -> np.ndarray:
    """A boolean array indexed by code point: True where zhconv changes the character."""
    global _traditional_table
    if _traditional_table is None:
        table = np.zeros(0x110000, dtype=bool)
        table[[ord(char) for char in _traditional_only_chars()]] = True
        _traditional_table = table
    return _traditional_table


def code_points(text: str) -> np.ndarray:
    """The text as an array of Unicode code points (lone surrogates included)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def normalize_batch(texts: list[str]) -> list[str]:
    """``[normalize(t) for t in texts]``, with the per-character work done once for the whole batch.

    Full-width folding and the Traditional-character check run as array operations over
    the joined batch; only texts that need NFKC or zhconv get per-text work.
    """
    joined = "".join(texts)
    if joined.isascii():
        return [text.lower() for text in texts]
    points = code_points(joined)
    full_width = (points >= 0xFF01) & (points <= 0xFF5E)
    ideographic_space = points == 0x3000
    if full_width.any() or ideographic_space.any():
        points = points.copy()
        points[full_width] -= 0xFEE0
        points[ideographic_space] = 0x20
        joined = points.tobytes().decode("utf-32-le", "surrogatepass")
    ends = np.cumsum([len(text) for text in texts]).tolist()
    pieces = [joined[start:end] for start, end in zip([0, *ends[:-1]], ends)]
    traditional = np.flatnonzero(_traditional_lookup()[points])
    has_traditional = set(np.searchsorted(ends, traditional, side="right").tolist())
    out = []
    for i, piece in enumerate(pieces):
        if not unicodedata.is_normalized("NFKC", piece):
            out.append(normalize(texts[i]))
            continue
        if i in has_traditional:
            piece = to_simplified(piece)
        out.append(piece.lower())
    return out


def is_blank(text: str) -> bool:
    """True when the text has nothing but whitespace (full-width and other Unicode spaces included)."""
    return not text or text.isspace()
