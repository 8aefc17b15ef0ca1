"""The analyzer that turns a text into word and character n-gram features in one pass,
and the TF-IDF vectorizer that uses it.

``ChineseAnalyzer`` and ``ChineseTfidfVectorizer`` are pickled by reference inside every saved model, so its import path
(``textclass.features.*``) is part of the model file format: never move it.
It keeps only its parameters; the segmenter is looked up per process, so a model file
never embeds jieba's dictionary.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .segment import get_cutter
from .text import normalize


class ChineseAnalyzer:
    """Callable ``text -> list[str]`` for ``TfidfVectorizer(analyzer=...)``.

    Produces jieba word n-grams (words joined by a space) and character n-grams of the
    normalised text with whitespace removed. A range of ``(0, 0)`` switches a kind off.
    """

    def __init__(
        self,
        *,
        word_ngram_range: tuple[int, int] = (1, 1),
        char_ngram_range: tuple[int, int] = (1, 2),
        backend: str = "jieba",
        hmm: bool = True,
    ) -> None:
        self.word_ngram_range = tuple(word_ngram_range)
        self.char_ngram_range = tuple(char_ngram_range)
        self.backend = backend
        self.hmm = hmm

    def __repr__(self) -> str:
        return (
            f"ChineseAnalyzer(word_ngram_range={self.word_ngram_range}, "
            f"char_ngram_range={self.char_ngram_range}, backend={self.backend!r}, hmm={self.hmm})"
        )

    def words(self, text: str) -> list[str]:
        """The segmented words of an already normalised text (whitespace runs are tokens too)."""
        return get_cutter(self.backend, self.hmm)(text)

    def __call__(self, text: str) -> list[str]:
        text = normalize(text)
        features: list[str] = []
        low, high = self.word_ngram_range
        if high > 0:
            words = self.words(text)
            if low <= 1:
                features += words
            for n in range(max(low, 2), high + 1):
                features += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        low, high = self.char_ngram_range
        if high > 0:
            chars = "".join(text.split())
            if low <= 1:
                features += chars
            for n in range(max(low, 2), high + 1):
                features += [chars[i : i + n] for i in range(len(chars) - n + 1)]
        return features


class ChineseTfidfVectorizer(TfidfVectorizer):
    """``TfidfVectorizer`` with a faster ``transform`` for a callable analyzer.

    Fitting is scikit-learn's own. At prediction time, features are mapped to column
    indices with a C-level ``map`` and counted by scipy (``sum_duplicates``)
    instead of a Python dict per document; the result equals ``TfidfVectorizer.transform``.
    Its import path is part of the model file format: never move it.
    """

    def transform(self, raw_documents):
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        check_is_fitted(self, "vocabulary_")
        analyze = self.analyzer if callable(self.analyzer) else self.build_analyzer()
        column = self.vocabulary_.get
        columns: list[int] = []
        lengths: list[int] = []
        for doc in raw_documents:
            before = len(columns)
            columns.extend(map(column, analyze(doc), repeat(-1)))
            lengths.append(len(columns) - before)
        cols = np.asarray(columns, dtype=np.int64)
        rows = np.repeat(np.arange(len(lengths)), lengths)
        known = cols >= 0
        counts = sp.csr_matrix(
            (np.ones(int(known.sum()), dtype=self.dtype), (rows[known], cols[known])),
            shape=(len(lengths), len(self.vocabulary_)),
        )
        counts.sum_duplicates()
        if self.binary:
            counts.data.fill(1)
        return self._tfidf.transform(counts, copy=False)

