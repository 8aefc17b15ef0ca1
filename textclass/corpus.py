"""Corpus quality tools: near-duplicates, per-label/subtopic statistics, and the cross-validated audit."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .data import LabelledData, labelled_files, read_labelled_file

HEADLINE_MAX_CHARS = 40
NEAR_DUPLICATE_JACCARD = 0.8
SHINGLE_CHARS = 5


def shingles(text: str, n: int = SHINGLE_CHARS) -> frozenset[str]:
    """Character ``n``-grams of ``text`` without whitespace (the whole text if shorter)."""
    chars = "".join(text.split())
    if len(chars) <= n:
        return frozenset([chars])
    return frozenset(chars[i : i + n] for i in range(len(chars) - n + 1))


def near_duplicates(texts: Sequence[str], threshold: float = NEAR_DUPLICATE_JACCARD, n: int = SHINGLE_CHARS) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, jaccard)`` with ``i < j`` whose character ``n``-gram Jaccard similarity is at least ``threshold``.

    Candidates come from an inverted index of shingles, so only texts that share shingles are compared.
    """
    sets = [shingles(t, n) for t in texts]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for g in s:
            postings[g].append(i)
    pairs = []
    for i, s in enumerate(sets):
        shared: Counter[int] = Counter()
        for g in s:
            for j in postings[g]:
                if j > i:
                    shared[j] += 1
        size = len(s)
        for j, common in shared.items():
            # Jaccard >= t needs common >= t * max(|A|, |B|); check cheaply before computing it.
            if common < threshold * max(size, len(sets[j])):
                continue
            jaccard = common / (size + len(sets[j]) - common)
            if jaccard >= threshold:
                pairs.append((i, j, jaccard))
    return pairs


@dataclass
class CorpusStats:
    """Counts per label and subtopic file, length distributions, and near-duplicate pairs."""

    data: LabelledData
    subtopics: dict[str, Counter] = field(default_factory=dict)
    duplicates: list[tuple[int, int, float]] = field(default_factory=list)

    def label_counts(self) -> Counter:
        return Counter(self.data.labels)

    def lengths(self, label: str | None = None) -> np.ndarray:
        return np.array([len(t) for t, l in zip(self.data.texts, self.data.labels) if label in (None, l)])

    def headline_share(self) -> float:
        lengths = self.lengths()
        return float((lengths <= HEADLINE_MAX_CHARS).mean()) if len(lengths) else 0.0

    def to_markdown(self) -> str:
        lines = ["| label | examples | headlines (<=40 chars) | paragraphs | median length | subtopic files |", "|---|---:|---:|---:|---:|---:|"]
        for label, n in sorted(self.label_counts().items()):
            lengths = self.lengths(label)
            heads = int((lengths <= HEADLINE_MAX_CHARS).sum())
            lines.append(f"| {label} | {n} | {heads} | {n - heads} | {int(np.median(lengths))} | {len(self.subtopics.get(label, {}))} |")
        total = len(self.data)
        lines.append(f"| **all** | {total} | {self.headline_share():.0%} | {1 - self.headline_share():.0%} | {int(np.median(self.lengths())) if total else 0} | {sum(len(v) for v in self.subtopics.values())} |")
        lines.append("")
        lines.append(f"Near-duplicate pairs (character {SHINGLE_CHARS}-gram Jaccard >= {NEAR_DUPLICATE_JACCARD}): "
                     f"{len(self.duplicates)}, involving {len({i for p in self.duplicates for i in p[:2]})} examples "
                     f"({len({i for p in self.duplicates for i in p[:2]}) / max(1, total):.2%} of the corpus).")
        return "\n".join(lines)


def corpus_stats(folder: str | os.PathLike, *, with_duplicates: bool = True) -> CorpusStats:
    """Read every corpus file under ``folder``; each file's stem is its subtopic."""
    folder = Path(folder)
    data = LabelledData()
    subtopics: dict[str, Counter] = defaultdict(Counter)
    for path in labelled_files(folder):
        part = read_labelled_file(path)
        data.extend(part)
        for label in part.labels:
            subtopics[label][path.relative_to(folder).with_suffix("").as_posix()] += 1
    stats = CorpusStats(data=data, subtopics=dict(subtopics))
    if with_duplicates:
        stats.duplicates = near_duplicates(data.texts)
    return stats


@dataclass(frozen=True)
class Suspect:
    """An example whose cross-validated prediction confidently disagrees with its label."""

    source: str
    text: str
    label: str
    predicted: str
    score: float


def audit(
    data: LabelledData, *, threshold: float = 0.9, cv: int = 5, params: dict[str, Any] | None = None
) -> list[Suspect]:
    """Examples that a model trained on the other folds labels differently with probability >= ``threshold``."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from .model import Classifier

    counts = Counter(data.labels)
    folds = min(cv, min(counts.values()))
    estimator = Classifier(**(params or {}), cv=max(2, min(3, folds - 1)) if folds > 2 else 2)
    proba = cross_val_predict(
        estimator,
        data.texts,
        data.labels,
        cv=StratifiedKFold(n_splits=folds, shuffle=True, random_state=0),
        method="predict_proba",
    )
    classes = np.array(sorted(counts))
    best = proba.argmax(axis=1)
    suspects = [
        Suspect(data.sources[i], data.texts[i], data.labels[i], str(classes[best[i]]), float(proba[i, best[i]]))
        for i in range(len(data))
        if classes[best[i]] != data.labels[i] and proba[i, best[i]] >= threshold
    ]
    return sorted(suspects, key=lambda s: -s.score)
