"""A trained model as plain arrays, for labelling without scikit-learn.

A model file is a joblib pickle of a scikit-learn pipeline: importing scikit-learn and
unpickling takes about 1.8 s, more than most scripts spend labelling. ``CompiledModel``
holds what prediction needs (vocabulary tables, IDF weights, SVM coefficients, sigmoid
calibrators) as NumPy arrays in an ``.npz`` file that loads without pickle in a few
milliseconds. It is derived from a verified model file the first time that file is used
and cached in the user cache directory (next to jieba's dictionary), keyed by the model
file's SHA-256, so the model file stays the one source of truth. Its probabilities equal
the pipeline's (tests compare them); a model it cannot express is used through
scikit-learn instead.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .inference import sigmoid_proba
from .labelling import LabellingMixin
from .ngrams import MAX_KEY_CHARS, BatchFeaturizer, count_cells

if TYPE_CHECKING:
    from .model import Classifier

#: Version of the array layout; a change makes textclass rebuild cached files.
FORMAT_VERSION = 1
#: Compiled models kept in the cache (about 14 MB each for the shipped model); older ones are removed.
MAX_CACHED_MODELS = 8

_lock = threading.Lock()


class CompiledModel(LabellingMixin):
    """The prediction part of a fitted :class:`textclass.Classifier`, as arrays.

    Offers ``classify``, ``classify_batch`` and ``classify_document`` like the estimator;
    build one with :meth:`from_classifier` or get the cached one with :func:`load_compiled`.
    """

    def __init__(self, arrays: dict[str, np.ndarray], metadata: dict[str, Any]) -> None:
        self.arrays = arrays
        config = json.loads(str(arrays["config"]))
        self.labels_ = tuple(config["labels"])
        self.classes_ = np.asarray(config["classes"])
        self.hmm = bool(config["hmm"])
        self.backend = metadata.get("backend", config["backend"])
        self.sublinear_tf = bool(config["sublinear_tf"])
        self.binary = bool(config["binary"])
        self.norm = config["norm"]
        self.n_features = int(config["n_features"])
        self.n_members = int(config["n_members"])
        self.metadata_ = dict(metadata)
        position = {label: i for i, label in enumerate(self.classes_.tolist())}
        self._columns = np.array([position[label] for label in self.labels_])
        tables = {n: (arrays[f"keys_{n}"], arrays[f"columns_{n}"]) for n in range(1, MAX_KEY_CHARS + 1)}
        long_words = dict(zip(arrays["long_words"].tolist(), arrays["long_columns"].tolist()))
        self.featurizer = BatchFeaturizer(
            tuple(config["word_ngram_range"]), tuple(config["char_ngram_range"]), tables, long_words
        )

    # -------------------------------------------------------------- building
    @classmethod
    def from_classifier(cls, clf: "Classifier") -> "CompiledModel | None":
        """The arrays of a fitted ``Classifier``; ``None`` if its pipeline has parts this class cannot express."""
        from .inference import supports_direct

        pipeline = clf.pipeline_
        vectorizer, calibrated = pipeline.steps[0][1], pipeline.steps[-1][1]
        analyzer = vectorizer.analyzer
        if (
            not supports_direct(pipeline)
            or not hasattr(analyzer, "supports_batch")
            or not analyzer.supports_batch()
            or vectorizer.norm not in ("l2", None)
        ):
            return None
        featurizer = vectorizer._batch_featurizer()
        config = {
            "labels": list(clf.labels_),
            "classes": calibrated.classes_.tolist(),
            "word_ngram_range": list(analyzer.word_ngram_range),
            "char_ngram_range": list(analyzer.char_ngram_range),
            "hmm": bool(analyzer.hmm),
            "backend": analyzer.backend,
            "sublinear_tf": bool(vectorizer.sublinear_tf),
            "binary": bool(vectorizer.binary),
            "norm": vectorizer.norm,
            "n_features": len(vectorizer.vocabulary_),
            "n_members": len(calibrated.calibrated_classifiers_),
            "format_version": FORMAT_VERSION,
        }
        arrays: dict[str, np.ndarray] = {"config": np.array(json.dumps(config))}
        for n in range(1, MAX_KEY_CHARS + 1):
            arrays[f"keys_{n}"], arrays[f"columns_{n}"] = featurizer.tables[n]
        arrays["long_words"] = np.array(list(featurizer.long_words), dtype=str)
        arrays["long_columns"] = np.array(list(featurizer.long_words.values()), dtype=np.int64)
        if vectorizer.use_idf:
            arrays["idf"] = np.asarray(vectorizer.idf_)
        for m, member in enumerate(calibrated.calibrated_classifiers_):
            estimator = member.estimator
            arrays[f"coef_{m}"] = np.ascontiguousarray(np.asarray(estimator.coef_, dtype=np.float64).T)
            arrays[f"intercept_{m}"] = np.asarray(estimator.intercept_, dtype=np.float64)
            arrays[f"positions_{m}"] = np.searchsorted(member.classes, estimator.classes_)
            arrays[f"a_{m}"] = np.array([c.a_ for c in member.calibrators], dtype=np.float64)
            arrays[f"b_{m}"] = np.array([c.b_ for c in member.calibrators], dtype=np.float64)
        return cls(arrays, clf.metadata_)

    def save(self, path: str | os.PathLike) -> None:
        """Write the arrays atomically as an uncompressed ``.npz``."""
        from .persistence import atomic_write_bytes

        atomic_write_bytes(Path(path), lambda handle: np.savez(handle, **self.arrays))

    @classmethod
    def load(cls, path: str | os.PathLike, metadata: dict[str, Any]) -> "CompiledModel":
        """Read arrays written by :meth:`save` (no pickle involved)."""
        with np.load(path, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        if json.loads(str(arrays["config"])).get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{path} has another array layout")
        return cls(arrays, metadata)

    # ------------------------------------------------------------ prediction
    def _check_fitted(self) -> None:
        pass

    def use_backend(self, backend: str) -> "CompiledModel":
        """Segment with another backend from now on (see ``Classifier.use_backend``)."""
        from .segment import check_backend

        self.backend = self.metadata_["backend"] = check_backend(backend)
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Probabilities with columns in ``classes_`` order (as the estimator's ``predict_proba``)."""
        from .segment import get_cutter

        n = len(texts)
        rows, columns = self.featurizer.rows_and_columns(list(texts), get_cutter(self.backend, self.hmm))
        rows, columns, counts = count_cells(rows, columns, self.n_features)
        values = counts.astype(np.float32)
        if self.binary:
            values.fill(1)
        if self.sublinear_tf:  # the same float32 operations as TfidfTransformer.transform
            np.log(values, out=values)
            values += 1.0
        if "idf" in self.arrays:
            values *= self.arrays["idf"][columns]
        if self.norm == "l2":
            squares = np.bincount(rows, weights=(values * values).astype(np.float64), minlength=n)
            lengths = np.sqrt(squares)[rows]
            values = np.where(lengths > 0, values / np.where(lengths > 0, lengths, 1.0), values).astype(np.float32)
        weights = values.astype(np.float64)
        starts = np.flatnonzero(np.diff(rows, prepend=-1))  # rows are sorted: where each text's features begin
        total = np.zeros((n, len(self.classes_)))
        for m in range(self.n_members):
            coef = self.arrays[f"coef_{m}"]
            scores = np.zeros((n, coef.shape[1]))
            if len(rows):
                scores[rows[starts]] = np.add.reduceat(weights[:, None] * coef[columns], starts, axis=0)
            scores += self.arrays[f"intercept_{m}"]
            total += sigmoid_proba(
                scores, self.arrays[f"positions_{m}"], self.arrays[f"a_{m}"], self.arrays[f"b_{m}"], len(self.classes_)
            )
        return total / self.n_members

    def _proba_in_label_order(self, texts: list[str]) -> np.ndarray:
        return self.predict_proba(texts)[:, self._columns]


def cache_path(model_sha256: str) -> Path:
    """Where the compiled form of the model with this SHA-256 is cached."""
    from .segment import cache_dir

    return cache_dir() / "models" / f"{model_sha256}.v{FORMAT_VERSION}.npz"


def load_compiled(path: str | os.PathLike | None = None, *, backend: str | None = None) -> "CompiledModel | Classifier":
    """The model file at ``path`` (default: the shipped model) ready to label, loaded the fast way.

    The file's SHA-256 is checked against its sidecar as ``textclass.load`` does. When the
    compiled arrays of this exact file are cached, scikit-learn is not imported at all;
    otherwise the file is loaded with ``textclass.load``, compiled, and the arrays cached.
    Files without a sidecar, or pipelines the arrays cannot express, come back as the
    ``Classifier`` itself.
    """
    from .persistence import default_model_path, read_sidecar, verify_sha256

    model_path = Path(default_model_path() if path is None else path)
    metadata = read_sidecar(model_path) if model_path.exists() else None
    if metadata is None:
        from .api import load

        return load(model_path, backend=backend)
    cached = cache_path(verify_sha256(model_path, metadata))
    model: CompiledModel | Classifier | None = _read_cache(cached, metadata, model_path)
    if model is None:
        with _lock:  # one thread compiles; the others find its result
            model = _read_cache(cached, metadata, model_path) or _compile(model_path, cached)
    model.source_path_ = os.path.abspath(model_path)
    if backend is not None:
        model.use_backend(backend)
    return model


def _read_cache(cached: Path, metadata: dict[str, Any], model_path: Path) -> CompiledModel | None:
    try:
        model = CompiledModel.load(cached, metadata)
    except (OSError, ValueError, KeyError):  # missing, damaged or of another layout: compile again
        return None
    _check_jieba_version(metadata, model_path)  # (a fresh compile checked all versions while loading)
    return model


def _compile(model_path: Path, cached: Path) -> "CompiledModel | Classifier":
    """Load the model file with scikit-learn, compile it and cache the arrays (the estimator if it cannot be compiled)."""
    from .api import load

    clf = load(model_path)
    model = CompiledModel.from_classifier(clf)
    if model is None:
        return clf
    try:
        model.save(cached)
        prune_cache(cached.parent)
    except OSError:
        pass  # a read-only cache only costs speed
    return model


def prune_cache(folder: Path, keep: int = MAX_CACHED_MODELS) -> None:
    """Remove all but the ``keep`` most recently written compiled models (retraining makes new ones)."""
    files = sorted(folder.glob("*.npz"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        try:
            old.unlink()
        except OSError:
            pass


def _check_jieba_version(metadata: dict[str, Any], path: Path) -> None:
    """The one version that matters without scikit-learn: jieba's, which decides the words."""
    import warnings

    import jieba

    from .errors import ModelVersionWarning

    recorded = metadata.get("versions", {}).get("jieba")
    if recorded and recorded != jieba.__version__:
        warnings.warn(
            f"The model {path} was saved with jieba {recorded} (installed: {jieba.__version__}). Its "
            "predictions may differ; retrain it with `python train.py` under the installed versions.",
            ModelVersionWarning,
            stacklevel=3,
        )
