"""What every model that labels text shares: input checks, ``classify``, ``classify_batch``.

Used by :class:`textclass.Classifier` (the scikit-learn estimator) and by
:class:`textclass.compiled.CompiledModel` (the same model as plain arrays); a class that
mixes it in provides ``labels_``, ``metadata_``, ``_check_fitted()`` and
``_proba_in_label_order(texts)``. No scikit-learn import here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .errors import EmptyTextError
from .prediction import Prediction
from .text import is_blank

if TYPE_CHECKING:
    from .document import DocumentPrediction


def check_text(text: Any, position: int | None = None) -> str:
    """Return ``text`` if it is a non-blank ``str``; raise ``TypeError``/``EmptyTextError`` otherwise."""
    where = "" if position is None else f" (batch item {position})"
    if not isinstance(text, str):
        raise TypeError(f"expected text as str{where}, got {type(text).__name__}")
    if is_blank(text):
        raise EmptyTextError(f"text is empty or only whitespace{where}")
    return text


class LabellingMixin:
    """``classify``, ``classify_batch`` and ``classify_document`` on top of ``_proba_in_label_order``."""

    labels_: tuple[str, ...]
    metadata_: dict[str, Any]

    def _check_fitted(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _proba_in_label_order(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    @property
    def labels(self) -> tuple[str, ...]:
        """The model's labels, in the order used by ``Prediction.scores``."""
        self._check_fitted()
        return self.labels_

    @property
    def metadata(self) -> dict[str, Any]:
        """A copy of the model's metadata (labels, versions, config, training data, metrics)."""
        self._check_fitted()
        return dict(self.metadata_)

    def _prediction(self, row: np.ndarray) -> Prediction:
        return self._predictions(row.reshape(1, -1))[0]

    def _predictions(self, proba: np.ndarray) -> list[Prediction]:
        """One ``Prediction`` per row of probabilities in label order."""
        labels = self.labels_
        return [
            Prediction(label=labels[best], score=row[best], scores=dict(zip(labels, row)))
            for best, row in zip(proba.argmax(axis=1).tolist(), proba.tolist())
        ]

    def classify(self, text: str) -> Prediction:
        """Label one text. Raises ``TypeError`` for non-str, ``EmptyTextError`` for blank text."""
        self._check_fitted()
        check_text(text)
        return self._prediction(self._proba_in_label_order([text])[0])

    def classify_batch(
        self,
        texts: Iterable[str],
        *,
        n_jobs: int | None = 1,
        errors: Literal["raise", "flag"] = "raise",
    ) -> list[Prediction]:
        """Label many texts: a list of ``Prediction`` of the same length and order.

        ``texts`` is iterated once (generators are fine). ``n_jobs`` worker processes
        (``-1``/``None``: all cores) share large batches. With ``errors="raise"`` a bad item
        raises and names its position; with ``errors="flag"`` it gets ``label=None`` and an
        ``error`` message while the rest are labelled.
        """
        self._check_fitted()
        if isinstance(texts, (str, bytes)):
            raise TypeError("classify_batch() expects an iterable of str, got a single str: use classify()")
        if errors not in ("raise", "flag"):
            raise ValueError(f"The 'errors' parameter must be 'raise' or 'flag'. Got {errors!r} instead.")
        items = list(texts)
        good: list[str] = []
        good_positions: list[int] = []
        results: list[Prediction | None] = [None] * len(items)
        for i, item in enumerate(items):
            try:
                good.append(check_text(item, i))
                good_positions.append(i)
            except (TypeError, EmptyTextError) as exc:
                if errors == "raise":
                    raise
                results[i] = Prediction(label=None, score=0.0, scores={}, error=str(exc))
        if good:
            predictions = self._predictions(self._batch_proba(good, n_jobs))
            for position, prediction in zip(good_positions, predictions):
                results[position] = prediction
        return results  # type: ignore[return-value]

    def _batch_proba(self, texts: list[str], n_jobs: int | None) -> np.ndarray:
        from .parallel import parallel_proba

        return parallel_proba(self, texts, n_jobs)

    def classify_document(self, text: str, *, max_chars: int = 400) -> "DocumentPrediction":
        """Split ``text`` into paragraphs, label each, and label the whole by length-weighted probabilities."""
        from .document import classify_document

        return classify_document(self, text, max_chars=max_chars)
