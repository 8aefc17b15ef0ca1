"""Module-level functions on a lazily loaded default model (jieba-style convenience).

``classify``/``classify_batch``/``classify_document`` use the shipped model in its compiled
form (``textclass.compiled``: arrays, no scikit-learn import, same probabilities), so a
script that labels a few texts starts in well under a second. ``load`` and
``default_classifier`` return the scikit-learn estimator.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal

from .persistence import default_model_path, load_pipeline
from .prediction import Prediction

if TYPE_CHECKING:
    from .compiled import CompiledModel
    from .document import DocumentPrediction
    from .model import Classifier

_shipped: dict[str, Any] = {}  # the shipped model, loaded once per process in each form
_shipped_lock = threading.Lock()


def _once(form: str, make: Callable[[], Any]) -> Any:
    model = _shipped.get(form)
    if model is None:
        with _shipped_lock:
            model = _shipped.get(form)
            if model is None:
                model = _shipped[form] = make()
    return model


def load(
    path: str | os.PathLike | None = None, *, trust_unverified: bool = False, backend: str | None = None
) -> "Classifier":
    """Load a model file (default: the shipped model) after checking its SHA-256 and versions.

    A model file is a pickle and can run code when loaded: load only files you trust.
    ``trust_unverified=True`` allows a file that has no JSON sidecar. ``backend`` overrides
    the segmentation backend (``"jieba_fast_dat"`` with ``textclass[fast]``).
    """
    from .model import Classifier

    model_path = default_model_path() if path is None else os.fspath(path)
    pipeline, metadata = load_pipeline(model_path, trust_unverified=trust_unverified)
    clf = Classifier.from_pipeline(pipeline, metadata)
    clf.source_path_ = os.path.abspath(model_path)
    if backend is not None:
        clf.use_backend(backend)
    return clf


def default_classifier() -> "Classifier":
    """The shipped model as an estimator, loaded once per process (and shared by forked children)."""
    return _once("estimator", load)


def default_predictor() -> "CompiledModel | Classifier":
    """The shipped model in its fastest-loading form (see ``textclass.compiled``), once per process."""
    from .compiled import load_compiled

    return _once("compiled", load_compiled)


def classify(text: str) -> Prediction:
    """Label one text with the shipped model."""
    return default_predictor().classify(text)


def classify_batch(
    texts: Iterable[str], n_jobs: int | None = 1, *, errors: Literal["raise", "flag"] = "raise"
) -> list[Prediction]:
    """Label many texts with the shipped model; same length and order as ``texts``."""
    return default_predictor().classify_batch(texts, n_jobs=n_jobs, errors=errors)


def classify_document(text: str) -> "DocumentPrediction":
    """Label each paragraph of a long text and the whole document (shipped model)."""
    return default_predictor().classify_document(text)


def explain(text: str, k: int = 5) -> list[tuple[str, float]]:
    """The ``k`` features that pushed ``text`` most towards its label (shipped model)."""
    return default_classifier().explain(text, k=k)


def train(texts: Iterable[str], labels: Iterable[str], *, sample_weight: Any = None, **params: Any) -> "Classifier":
    """Fit a new ``Classifier`` on any label set; ``params`` are ``Classifier``'s keyword arguments."""
    from .model import Classifier

    return Classifier(**params).fit(texts, labels, sample_weight=sample_weight)
