"""Long documents: split into paragraphs, label each, combine by length-weighted probability."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .prediction import Prediction

if TYPE_CHECKING:
    from .model import Classifier

#: Paragraphs longer than this are split at sentence ends.
MAX_PARAGRAPH_CHARS = 400
_LINES = re.compile(r"[^\r\n]+")
_SENTENCE_END = re.compile(r"[。！？!?；;…]+[”’」』\"')）]*")


def _sentence_spans(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """Split ``text[start:end]`` into pieces of at most ``limit`` characters where possible, at sentence ends."""
    cuts = [m.end() + start for m in _SENTENCE_END.finditer(text, start, end)]
    if not cuts or cuts[-1] != end:
        cuts.append(end)
    spans: list[tuple[int, int]] = []
    piece_start = start
    previous = start
    for cut in cuts:
        if cut - piece_start > limit and previous > piece_start:
            spans.append((piece_start, previous))
            piece_start = previous
        previous = cut
    spans.append((piece_start, end))
    return spans


def split_paragraphs(text: str, max_chars: int = MAX_PARAGRAPH_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` spans of the paragraphs of ``text``: one per non-blank line, long ones split at sentence ends.

    Spans exclude surrounding whitespace, so ``text[start:end]`` is the paragraph as written.
    """
    spans: list[tuple[int, int]] = []
    for line in _LINES.finditer(text):
        start, end = line.span()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        if end - start <= max_chars:
            spans.append((start, end))
        else:
            for s, e in _sentence_spans(text, start, end, max_chars):
                while s < e and text[s].isspace():
                    s += 1
                if s < e:
                    spans.append((s, e))
    return spans


@dataclass(frozen=True)
class DocumentPrediction:
    """A document's label and scores (length-weighted over paragraphs) and each paragraph's ``Prediction``."""

    label: str
    score: float
    scores: dict[str, float]
    paragraphs: list[Prediction]

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "score": self.score,
            "scores": dict(self.scores),
            "paragraphs": [p.to_dict() for p in self.paragraphs],
        }


def classify_document(clf: "Classifier", text: str, *, max_chars: int = MAX_PARAGRAPH_CHARS) -> DocumentPrediction:
    """Label each paragraph of ``text`` and the document as a whole."""
    from .model import check_text

    check_text(text)
    spans = split_paragraphs(text, max_chars)
    paragraphs = [
        replace(p, span=span) for p, span in zip(clf.classify_batch([text[s:e] for s, e in spans]), spans)
    ]
    weights = [e - s for s, e in spans]
    total = float(sum(weights))
    scores = {
        label: sum(w * p.scores[label] for w, p in zip(weights, paragraphs)) / total for label in clf.labels
    }
    best = max(scores, key=scores.__getitem__)
    return DocumentPrediction(label=best, score=scores[best], scores=scores, paragraphs=paragraphs)
