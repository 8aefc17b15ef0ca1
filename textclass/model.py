"""``Classifier``: a scikit-learn estimator wrapping jieba + TF-IDF + calibrated LinearSVC."""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from .errors import DataError
from .labelling import LabellingMixin, check_text
from .labels import order_labels


def build_pipeline(
    *,
    C: float,
    word_ngram_range: tuple[int, int],
    char_ngram_range: tuple[int, int],
    min_df: int,
    max_features: int | None,
    calibration: str,
    cv: int,
    backend: str,
    hmm: bool,
    random_state: int,
):
    """The scikit-learn ``Pipeline`` that a saved model file contains."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline
    from sklearn.svm import LinearSVC

    from .features import ChineseAnalyzer, ChineseTfidfVectorizer

    analyzer = ChineseAnalyzer(
        word_ngram_range=word_ngram_range, char_ngram_range=char_ngram_range, backend=backend, hmm=hmm
    )
    vectorizer = ChineseTfidfVectorizer(
        analyzer=analyzer, sublinear_tf=True, min_df=min_df, max_features=max_features, dtype=np.float32
    )
    svm = LinearSVC(C=C, random_state=random_state)
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
    calibrated = CalibratedClassifierCV(svm, method=calibration, cv=folds, ensemble=False)
    return Pipeline([("tfidf", vectorizer), ("svm", calibrated)])


class Classifier(LabellingMixin, ClassifierMixin, BaseEstimator):
    """Topic classifier for Chinese text.

    A scikit-learn estimator (``fit``/``predict``/``predict_proba``/``score``) with a
    fastText-like convenience layer (``classify``, ``classify_batch``, ``explain``, ``save``).
    Scores are probabilities calibrated by cross-validation (``calibration``: ``"sigmoid"``,
    ``"isotonic"`` or ``"temperature"``).
    """

    def __init__(
        self,
        *,
        C: float = 0.5,
        word_ngram_range: tuple[int, int] = (1, 1),
        char_ngram_range: tuple[int, int] = (1, 2),
        min_df: int = 1,
        max_features: int | None = None,
        calibration: str = "sigmoid",
        cv: int = 5,
        class_weight: Any = None,
        backend: str = "jieba",
        hmm: bool = True,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_features = max_features
        self.calibration = calibration
        self.cv = cv
        self.class_weight = class_weight
        self.backend = backend
        self.hmm = hmm
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def fit(self, X: Iterable[str], y: Iterable[str], sample_weight: Sequence[float] | None = None) -> "Classifier":
        """Fit on texts ``X`` and labels ``y``; every label needs at least 2 examples."""
        texts = [check_text(text, i) for i, text in enumerate(X)]
        labels = [str(label) for label in y]
        if len(texts) != len(labels):
            raise ValueError(f"X has {len(texts)} texts but y has {len(labels)} labels")
        counts = Counter(labels)
        if len(counts) < 2:
            raise DataError(f"training needs at least 2 distinct labels, got {sorted(counts)}")
        rare = sorted(label for label, n in counts.items() if n < 2)
        if rare:
            raise DataError(
                f"label(s) {rare} have fewer than 2 examples; each label needs at least 2 to train "
                "and calibrate (5 or more for 5-fold calibration)"
            )
        cv = min(self.cv, min(counts.values()))
        params = self.get_params()
        params["cv"] = cv
        self.pipeline_ = build_pipeline(**{k: v for k, v in params.items() if k != "class_weight"})
        weights = self._sample_weights(labels, counts, sample_weight)
        fit_params = {} if weights is None else {"svm__sample_weight": weights}
        self.pipeline_.fit(texts, labels, **fit_params)
        self._set_fitted_state(
            {
                "labels": list(order_labels(labels)),
                "config": _jsonable(params),
                "label_counts": dict(sorted(counts.items())),
                "n_train": len(texts),
            }
        )
        return self

    def _sample_weights(self, labels: list[str], counts: Counter, sample_weight) -> np.ndarray | None:
        """Per-example weights: ``sample_weight`` times the ``class_weight`` of each example's label.

        Class weights are applied as sample weights because the calibrated SVM sees encoded labels.
        """
        if self.class_weight is None:
            return None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if self.class_weight == "balanced":
            per_label = {label: len(labels) / (len(counts) * n) for label, n in counts.items()}
        elif isinstance(self.class_weight, dict):
            per_label = {label: float(self.class_weight.get(label, 1.0)) for label in counts}
        else:
            raise ValueError(
                f"The 'class_weight' parameter must be None, 'balanced' or a dict of label -> weight. Got {self.class_weight!r} instead."
            )
        weights = np.array([per_label[label] for label in labels])
        return weights if sample_weight is None else weights * np.asarray(sample_weight, dtype=float)

    def _set_fitted_state(self, metadata: dict[str, Any]) -> None:
        from .persistence import installed_versions

        self.classes_ = np.asarray(self.pipeline_.classes_)
        self.labels_ = order_labels(self.classes_.tolist())
        position = {label: i for i, label in enumerate(self.classes_.tolist())}
        self._columns = np.array([position[label] for label in self.labels_])
        self.metadata_ = {"versions": installed_versions(), "backend": self.backend, **metadata}
        self.metadata_["labels"] = list(self.labels_)
        self._feature_names = None
        self._lock = threading.Lock()

    @classmethod
    def from_pipeline(cls, pipeline: Any, metadata: dict[str, Any] | None = None) -> "Classifier":
        """Wrap an already fitted pipeline (as stored in a model file)."""
        metadata = dict(metadata or {})
        known = cls().get_params()
        config = {k: (tuple(v) if isinstance(v, list) else v) for k, v in metadata.get("config", {}).items() if k in known}
        clf = cls(**config)
        clf.pipeline_ = pipeline
        versions = metadata.pop("versions", None)
        clf._set_fitted_state(metadata)
        if versions:
            clf.metadata_["versions"] = versions
        return clf

    def use_backend(self, backend: str) -> "Classifier":
        """Segment with another backend from now on (e.g. ``"jieba_fast_dat"``, from ``textclass[fast]``).

        The shipped model gives the same labels with either backend on the benchmark texts
        (benchmarks/backends.py); the backend in use is recorded in ``metadata["backend"]``.
        """
        from .segment import check_backend

        self._check_fitted()
        check_backend(backend)
        self.pipeline_.named_steps["tfidf"].analyzer.backend = backend
        self.backend = backend
        self.metadata_["backend"] = backend
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "pipeline_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this Classifier is not fitted yet: call fit(texts, labels) or textclass.load() first")

    # -------------------------------------------------------------- prediction
    def predict_proba(self, X: Iterable[str]) -> np.ndarray:
        """Probabilities, columns in ``classes_`` order (scikit-learn convention)."""
        from .inference import predict_proba

        self._check_fitted()
        return predict_proba(self.pipeline_, list(X))

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        self._check_fitted()
        return self.pipeline_.decision_function(list(X))

    def predict(self, X: Iterable[str]) -> np.ndarray:
        proba = self.predict_proba(X)
        return self.classes_[proba.argmax(axis=1)]

    def _proba_in_label_order(self, texts: list[str]) -> np.ndarray:
        from .inference import predict_proba

        return predict_proba(self.pipeline_, texts)[:, self._columns]

    # ------------------------------------------------------------- explanation
    def explain(self, text: str, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` features that pushed ``text`` most towards its predicted label, strongest first.

        Each weight is the feature's TF-IDF value times the linear SVM's coefficient for the
        predicted label.
        """
        check_text(text)
        label = self.classify(text).label
        vectorizer = self.pipeline_.named_steps["tfidf"]
        svm = self.pipeline_.named_steps["svm"].calibrated_classifiers_[0].estimator
        row = vectorizer.transform([text])
        classes = svm.classes_.tolist()
        coef = svm.coef_[classes.index(label)] if len(classes) > 2 else svm.coef_[0] * (1 if classes.index(label) == 1 else -1)
        contributions = row.data * coef[row.indices]
        order = np.argsort(-contributions)[:k]
        names = self._names()
        return [(str(names[row.indices[i]]), float(contributions[i])) for i in order if contributions[i] > 0]

    def _names(self) -> np.ndarray:
        if self._feature_names is None:
            with self._lock:
                if self._feature_names is None:
                    self._feature_names = self.pipeline_.named_steps["tfidf"].get_feature_names_out()
        return self._feature_names

    # ------------------------------------------------------------- persistence
    def save(self, path: str | os.PathLike, *, extra_metadata: dict[str, Any] | None = None) -> dict[str, Any]:
        """Save atomically as ``path`` (joblib) plus ``path`` with ``.json`` (metadata with SHA-256)."""
        from .persistence import save_pipeline

        self._check_fitted()
        metadata = dict(self.metadata_)
        metadata.update(extra_metadata or {})
        self.metadata_ = save_pipeline(self.pipeline_, metadata, path)
        return dict(self.metadata_)

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_lock", None)
        state["_feature_names"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        super().__setstate__(state)
        self._lock = threading.Lock()


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()}
