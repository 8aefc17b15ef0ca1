"""Probabilities from a fitted pipeline without scikit-learn's per-call input validation.

For the model textclass trains (TF-IDF -> LinearSVC calibrated with sigmoids), the
numbers are computed exactly as ``Pipeline.predict_proba`` computes them, but as a few
array operations: scikit-learn's checks cost about 2 ms per call, more than labelling a
headline. Other pipelines (isotonic or temperature calibration, other estimators) go
through scikit-learn unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def supports_direct(pipeline: Any) -> bool:
    """True when :func:`predict_proba` can bypass scikit-learn for this pipeline."""
    calibrated = pipeline.steps[-1][1]
    members = getattr(calibrated, "calibrated_classifiers_", None)
    if len(pipeline.steps) != 2 or not members:
        return False
    return all(
        member.method == "sigmoid"
        and hasattr(member.estimator, "coef_")
        and not hasattr(member.estimator, "predict_proba")
        and all(hasattr(c, "a_") and hasattr(c, "b_") for c in member.calibrators)
        for member in members
    )


def predict_proba(pipeline: Any, texts: list[str]) -> np.ndarray:
    """``pipeline.predict_proba(texts)``, computed directly when :func:`supports_direct` allows."""
    if not supports_direct(pipeline):
        return pipeline.predict_proba(texts)
    features = pipeline.steps[0][1].transform(texts)
    calibrated = pipeline.steps[-1][1]
    n_classes = len(calibrated.classes_)
    total = np.zeros((len(texts), n_classes))
    for member in calibrated.calibrated_classifiers_:
        total += _member_proba(member, features, n_classes)
    return total / len(calibrated.calibrated_classifiers_)


def _member_proba(member: Any, features: Any, n_classes: int) -> np.ndarray:
    """One ``_CalibratedClassifier.predict_proba`` (sigmoid method) as plain array operations."""
    estimator = member.estimator
    scores = np.asarray(features @ estimator.coef_.T) + estimator.intercept_
    positions = np.searchsorted(member.classes, estimator.classes_)
    a = np.array([c.a_ for c in member.calibrators], dtype=np.float64)
    b = np.array([c.b_ for c in member.calibrators], dtype=np.float64)
    return sigmoid_proba(scores, positions, a, b, n_classes)


def sigmoid_proba(scores: np.ndarray, positions: np.ndarray, a: np.ndarray, b: np.ndarray, n_classes: int) -> np.ndarray:
    """Calibrated one-vs-rest probabilities from SVM scores, as scikit-learn's sigmoid calibration computes them.

    ``scores`` has one column per calibrator; ``positions`` gives each column's class index.
    """
    if scores.ndim == 1:
        scores = scores.reshape(-1, 1)
    proba = np.zeros((scores.shape[0], n_classes))
    for position, column, slope, offset in zip(positions.tolist(), scores.T, a.tolist(), b.tolist()):
        proba[:, position + 1 if n_classes == 2 else position] = 1.0 / (1.0 + np.exp(slope * column + offset))
    if n_classes == 2:
        proba[:, 0] = 1.0 - proba[:, 1]
    else:
        denominator = proba.sum(axis=1)[:, np.newaxis]
        proba = np.divide(proba, denominator, out=np.full_like(proba, 1 / n_classes), where=denominator != 0)
    proba[(1.0 < proba) & (proba <= 1.0 + 1e-5)] = 1.0
    return proba
