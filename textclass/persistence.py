"""Saving and loading model files: joblib pickle + JSON sidecar with versions and SHA-256.

A joblib file is a pickle and runs code when loaded, so ``load_pipeline`` refuses a file
whose SHA-256 does not match its sidecar, and a file with no sidecar unless the caller
opts in with ``trust_unverified=True``. Both files are written atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
import warnings
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import ModelIntegrityError, ModelVersionWarning

FORMAT_NAME = "textclass-model"
FORMAT_VERSION = 1
DEFAULT_MODEL_NAME = "textclass.joblib"


def sidecar_path(model_path: str | os.PathLike) -> Path:
    """The JSON metadata file that belongs to a model file."""
    return Path(model_path).with_suffix(".json")


def default_model_path() -> Path:
    """The shipped model: ``$TEXTCLASS_MODEL``, else the installed package copy, else the repo's ``models/``."""
    explicit = os.environ.get("TEXTCLASS_MODEL")
    if explicit:
        return Path(explicit)
    here = Path(__file__).resolve().parent
    for candidate in (here / "models" / DEFAULT_MODEL_NAME, here.parent / "models" / DEFAULT_MODEL_NAME):
        if candidate.exists():
            return candidate
    return here.parent / "models" / DEFAULT_MODEL_NAME


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def installed_versions() -> dict[str, str]:
    """Versions of the libraries a model file depends on, as installed now."""
    import jieba
    import joblib
    import numpy
    import scipy
    import sklearn

    return {
        "textclass": __version__,
        "scikit-learn": sklearn.__version__,
        "jieba": jieba.__version__,
        "joblib": joblib.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
    }


def atomic_write_bytes(path: Path, write) -> None:
    """Call ``write(handle)`` on a temporary file next to ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def save_pipeline(pipeline: Any, metadata: dict[str, Any], path: str | os.PathLike) -> dict[str, Any]:
    """Write the pipeline and its sidecar atomically; return the sidecar's content."""
    import joblib

    path = Path(path)
    atomic_write_bytes(path, lambda handle: joblib.dump(pipeline, handle, compress=3))
    meta = dict(metadata)
    meta.update(
        format=FORMAT_NAME,
        format_version=FORMAT_VERSION,
        model_file=path.name,
        model_sha256=file_sha256(path),
        model_bytes=path.stat().st_size,
    )
    text = json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write_bytes(sidecar_path(path), lambda handle: handle.write(text.encode("utf-8")))
    return meta


def read_sidecar(path: str | os.PathLike) -> dict[str, Any] | None:
    side = sidecar_path(path)
    if not side.exists():
        return None
    with open(side, encoding="utf-8") as handle:
        return json.load(handle)


def check_versions(metadata: dict[str, Any], path: Path) -> None:
    """Warn (``ModelVersionWarning``) when the model was saved with other library versions."""
    recorded = metadata.get("versions", {})
    installed = installed_versions()
    mismatched = [
        f"{name} {recorded[name]} (installed: {installed[name]})"
        for name in ("scikit-learn", "jieba")
        if name in recorded and recorded[name] != installed[name]
    ]
    if mismatched:
        warnings.warn(
            f"The model {path} was saved with {', '.join(mismatched)}. Its predictions may differ "
            "or loading may fail; retrain it with `python train.py` (or `textclass train`) "
            "under the installed versions.",
            ModelVersionWarning,
            stacklevel=4,
        )


def verify_sha256(path: Path, metadata: dict[str, Any]) -> str:
    """Return the file's SHA-256 if it is the one the sidecar records; raise ``ModelIntegrityError`` otherwise."""
    expected = metadata.get("model_sha256")
    actual = file_sha256(path)
    if expected != actual:
        raise ModelIntegrityError(
            f"integrity check failed for {path}: its SHA-256 is {actual}, but "
            f"{sidecar_path(path).name} records {expected}. The file was modified or truncated; "
            "restore it from a trusted copy or retrain with `python train.py`."
        )
    return actual


def load_pipeline(path: str | os.PathLike, *, trust_unverified: bool = False) -> tuple[Any, dict[str, Any]]:
    """Verify and load a model file; return ``(pipeline, metadata)``."""
    import joblib

    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no model file at {path}; train one with `python train.py`")
    metadata = read_sidecar(path)
    if metadata is None:
        if not trust_unverified:
            raise ModelIntegrityError(
                f"{path} has no sidecar {sidecar_path(path).name}, so its integrity cannot be checked. "
                "A model file is a pickle and runs code when loaded: load it only if you trust its "
                "source, with load(path, trust_unverified=True)."
            )
        metadata = {}
    else:
        verify_sha256(path, metadata)
        check_versions(metadata, path)
    pipeline = joblib.load(path)
    return pipeline, metadata
