"""Labelling on a Dask cluster when one machine is not enough (``pip install 'textclass[dask]'``).

>>> import dask.dataframe as dd, textclass.dask
>>> ddf = dd.read_parquet("s3://bucket/news/*.parquet")          # doctest: +SKIP
>>> labelled = textclass.dask.label_dataframe(ddf, column="text")  # doctest: +SKIP

Each worker process loads the model once (from its path, checked against its SHA-256)
and keeps it for every partition it labels. The model file must be readable at the same
path on every worker (a shared filesystem, or the installed package's shipped model).
"""

from __future__ import annotations

import os
from typing import Any

from .errors import EmptyTextError
from .model import Classifier, check_text
from .parallel import ModelRef, resolve, shipped_model_ref, source_of


def _row_error(value: Any) -> str | None:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "text is missing"
    try:
        check_text(value)
    except (TypeError, EmptyTextError) as exc:
        return str(exc)
    return None


def _label_partition(frame, column: str, source: Any, prefix: str, top_k: int):
    values = frame[column].tolist()
    errors = [_row_error(value) for value in values]
    good = [value for value, error in zip(values, errors) if error is None]
    found = iter(resolve(source).classify_batch(good))
    predictions = [next(found) if error is None else None for error in errors]
    out = frame.copy()
    out[f"{prefix}label"] = [p.label if p else None for p in predictions]
    out[f"{prefix}score"] = [p.score if p else float("nan") for p in predictions]
    if top_k:
        out[f"{prefix}top_k"] = [
            "|".join(f"{label}:{score:.4f}" for label, score in p.top(top_k)) if p else None for p in predictions
        ]
    out[f"{prefix}error"] = errors
    return out


def label_dataframe(
    ddf,
    column: str = "text",
    *,
    model: "str | os.PathLike | Classifier | None" = None,
    prefix: str = "",
    top_k: int = 0,
):
    """Add ``label``, ``score`` (and ``top_k``) and ``error`` columns to a Dask DataFrame, lazily.

    ``model`` is a model path, a loaded ``Classifier`` or ``None`` for the shipped model.
    Rows whose text is missing or empty get ``label=None`` and an ``error``; none is dropped.
    """
    import pandas as pd

    from .api import default_classifier, load

    if column not in ddf.columns:
        raise KeyError(f"no column {column!r} in the dataframe; columns are {list(ddf.columns)}")
    if model is None:
        source = shipped_model_ref() or source_of(default_classifier())
    else:
        source = source_of(load(model) if isinstance(model, (str, os.PathLike)) else model)
    clash = {f"{prefix}label", f"{prefix}score", f"{prefix}error"} & set(ddf.columns)
    if clash:
        raise ValueError(f"the dataframe already has column(s) {sorted(clash)}; pass prefix='pred_'")
    meta = ddf._meta.copy()
    meta[f"{prefix}label"] = pd.Series(dtype="object")
    meta[f"{prefix}score"] = pd.Series(dtype="float64")
    if top_k:
        meta[f"{prefix}top_k"] = pd.Series(dtype="object")
    meta[f"{prefix}error"] = pd.Series(dtype="object")
    return ddf.map_partitions(_label_partition, column, source, prefix, top_k, meta=meta)


__all__ = ["label_dataframe", "ModelRef"]
