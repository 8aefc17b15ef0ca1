"""The result type of every classification call."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Prediction:
    """One text's label, the probability of that label, and the probabilities of all labels.

    ``scores`` is ordered like the model's labels and sums to 1. ``error`` is set (and
    ``label`` is ``None``) only for items flagged by ``classify_batch(..., errors="flag")``.
    ``span`` is the ``(start, end)`` offset of a paragraph within its document, if any.
    """

    label: str | None
    score: float
    scores: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    span: tuple[int, int] | None = None

    def top(self, k: int = 1) -> list[tuple[str, float]]:
        """The ``k`` most probable ``(label, probability)`` pairs, best first."""
        return sorted(self.scores.items(), key=lambda item: -item[1])[:k]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; ``error`` and ``span`` appear only when set."""
        out: dict[str, Any] = {"label": self.label, "score": self.score, "scores": dict(self.scores)}
        if self.error is not None:
            out["error"] = self.error
        if self.span is not None:
            out["span"] = list(self.span)
        return out
