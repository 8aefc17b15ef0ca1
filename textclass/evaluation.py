"""Metrics on labelled data: per-label precision/recall/F1, macro-F1, confusion, calibration."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .model import Classifier

CALIBRATION_BINS = 10


def calibration_table(confidence: np.ndarray, correct: np.ndarray, bins: int = CALIBRATION_BINS) -> list[dict[str, float]]:
    """Reliability bins: for each score range, how many predictions, their mean score and accuracy."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows = []
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (confidence > low) & (confidence <= high) if low > 0 else (confidence >= low) & (confidence <= high)
        n = int(inside.sum())
        rows.append(
            {
                "low": float(low),
                "high": float(high),
                "n": n,
                "mean_score": float(confidence[inside].mean()) if n else 0.0,
                "accuracy": float(correct[inside].mean()) if n else 0.0,
            }
        )
    return rows


def evaluate(clf: Classifier, texts: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Score ``clf`` on labelled texts; returns a JSON-ready dict of metrics."""
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    predictions = clf.classify_batch(texts)
    predicted = [p.label for p in predictions]
    confidence = np.array([p.score for p in predictions])
    correct = np.array([p == g for p, g in zip(predicted, labels)])
    seen = set(labels) | set(predicted)
    names = [name for name in clf.labels if name in seen] + sorted(seen - set(clf.labels))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=names, zero_division=0
    )
    table = calibration_table(confidence, correct)
    ece = sum(row["n"] * abs(row["mean_score"] - row["accuracy"]) for row in table) / max(1, len(texts))
    return {
        "n": len(texts),
        "accuracy": float(correct.mean()) if len(texts) else 0.0,
        "macro_f1": float(f1_score(labels, predicted, labels=names, average="macro", zero_division=0)),
        "per_label": {
            name: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for name, p, r, f, s in zip(names, precision, recall, f1, support)
        },
        "labels": names,
        "confusion": confusion_matrix(labels, predicted, labels=names).tolist(),
        "mean_score": float(confidence.mean()) if len(texts) else 0.0,
        "ece": float(ece),
        "calibration": table,
    }


def format_report(report: dict[str, Any]) -> str:
    """A plain-text table of a report from ``evaluate``."""
    lines = [f"{'label':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'support':>8}"]
    for name, row in report["per_label"].items():
        lines.append(
            f"{name:<10} {row['precision']:>9.3f} {row['recall']:>7.3f} {row['f1']:>6.3f} {row['support']:>8d}"
        )
    lines.append(
        f"macro-F1 {report['macro_f1']:.3f}   accuracy {report['accuracy']:.3f}   "
        f"mean score {report['mean_score']:.3f}   ECE {report['ece']:.3f}   n={report['n']}"
    )
    return "\n".join(lines)


def plot_report(report: dict[str, Any], folder: str | os.PathLike, *, title: str = "") -> list[Path]:
    """Draw the confusion matrix and the reliability diagram as PNG files; needs matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError("plots need matplotlib: pip install 'textclass[plot]'") from exc
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names, matrix = report["labels"], np.array(report["confusion"])

    fig, ax = plt.subplots(figsize=(6, 5))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(range(len(names)), names)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, str(value), ha="center", va="center", color="white" if value > matrix.max() / 2 else "black")
    ax.set_title(f"Confusion matrix {title}".strip())
    fig.tight_layout()
    confusion_png = folder / "confusion.png"
    fig.savefig(confusion_png, dpi=110)
    plt.close(fig)

    rows = [row for row in report["calibration"] if row["n"]]
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ax.plot([r["mean_score"] for r in rows], [r["accuracy"] for r in rows], marker="o", label="textclass")
    for r in rows:
        ax.annotate(str(r["n"]), (r["mean_score"], r["accuracy"]), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("predicted score (mean per bin)")
    ax.set_ylabel("observed accuracy")
    ax.set_title(f"Reliability, ECE {report['ece']:.3f} {title}".strip())
    ax.legend(loc="upper left")
    fig.tight_layout()
    reliability_png = folder / "reliability.png"
    fig.savefig(reliability_png, dpi=110)
    plt.close(fig)
    return [confusion_png, reliability_png]
