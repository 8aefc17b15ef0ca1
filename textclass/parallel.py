"""Spreading ``classify_batch`` over worker processes with joblib.

A model loaded from a file travels to the workers as its path and SHA-256; each worker
loads it once and keeps it (with jieba's dictionary) for every later chunk. An in-memory
model is sent pickled, one chunk per worker.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .model import Classifier

#: Below this many texts, ``classify_batch`` stays in-process whatever ``n_jobs`` says.
PARALLEL_MIN_TEXTS = 2000
#: Chunks per worker for file-backed models (smaller chunks balance the load better).
CHUNKS_PER_WORKER = 4


@dataclass(frozen=True)
class ModelRef:
    """A cheap-to-pickle handle on a verified model file (and the backend to segment with)."""

    path: str
    sha256: str
    backend: str | None = None


_worker_models: dict[ModelRef, Any] = {}


def resolve(source: "ModelRef | Classifier") -> Any:
    """The model behind ``source``: a ``ModelRef`` is loaded once per process, compiled (``textclass.compiled``)."""
    if not isinstance(source, ModelRef):
        return source
    model = _worker_models.get(source)
    if model is None:
        from .compiled import load_compiled

        model = load_compiled(source.path, backend=source.backend)
        if model.metadata_.get("model_sha256") != source.sha256:
            raise RuntimeError(f"{source.path} changed while it was being used")
        _worker_models[source] = model
    return model


def source_of(clf: "Classifier") -> "ModelRef | Classifier":
    path = getattr(clf, "source_path_", None)
    sha = clf.metadata_.get("model_sha256") if hasattr(clf, "metadata_") else None
    if path and sha:
        return ModelRef(str(path), sha, clf.backend)
    return clf


def _chunk_proba(source: Any, texts: list[str]) -> np.ndarray:
    return resolve(source)._proba_in_label_order(texts)


def worker_count(n_jobs: int | None) -> int:
    from joblib import effective_n_jobs

    return max(1, effective_n_jobs(-1 if n_jobs is None else n_jobs))


def parallel_proba(clf: "Classifier", texts: list[str], n_jobs: int | None) -> np.ndarray:
    """Probabilities in label order for ``texts``, computed on ``n_jobs`` processes."""
    workers = worker_count(n_jobs)
    if workers == 1 or len(texts) < PARALLEL_MIN_TEXTS:
        return clf._proba_in_label_order(texts)
    from joblib import Parallel, delayed

    source = source_of(clf)
    n_chunks = workers * (CHUNKS_PER_WORKER if isinstance(source, ModelRef) else 1)
    size = -(-len(texts) // n_chunks)
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    parts = Parallel(n_jobs=workers)(delayed(_chunk_proba)(source, chunk) for chunk in chunks)
    return np.vstack(parts)


def shipped_model_ref() -> ModelRef | None:
    """A ``ModelRef`` to the shipped model read from its sidecar, without loading the model
    (each worker loads and verifies it); ``None`` when there is no sidecar to read."""
    from .persistence import default_model_path, read_sidecar

    path = default_model_path()
    metadata = read_sidecar(path) if path.exists() else None
    if metadata and metadata.get("model_sha256"):
        return ModelRef(str(path.resolve()), metadata["model_sha256"])
    return None


@contextmanager
def shared_source(clf: "Classifier | None", workers: int) -> Iterator["ModelRef | Classifier"]:
    """What to send to workers for ``clf`` (``None``: the shipped model): itself in-process, else a ``ModelRef``.

    With several workers the shipped model travels as its path and SHA-256 and the parent
    never loads it. An in-memory model is saved once to a temporary file for the duration,
    so that each worker loads it once instead of receiving a pickled copy with every chunk.
    """
    if clf is None:
        ref = shipped_model_ref() if workers > 1 else None
        if ref is not None:
            yield ref
            return
        from .api import default_classifier

        clf = default_classifier()
    source = source_of(clf)
    if workers == 1 or isinstance(source, ModelRef):
        yield clf if workers == 1 else source
        return
    from .persistence import save_pipeline

    with tempfile.TemporaryDirectory(prefix="textclass-") as folder:
        path = os.path.join(folder, "model.joblib")
        meta = save_pipeline(clf.pipeline_, clf.metadata_, path)
        yield ModelRef(path, meta["model_sha256"])
