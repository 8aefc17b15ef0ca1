"""The analyzer that turns a text into word and character n-gram features in one pass,
and the TF-IDF vectorizer that uses it.

``ChineseAnalyzer`` and ``ChineseTfidfVectorizer`` are pickled by reference inside every saved model, so its import path
(``textclass.features.*``) is part of the model file format: never move it.
It keeps only its parameters; the segmenter is looked up per process, so a model file
never embeds jieba's dictionary.
"""

from __future__ import annotations

import threading
from itertools import repeat

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from .ngrams import MAX_KEY_CHARS, BatchFeaturizer, count_cells
from .segment import get_cutter
from .text import normalize

_featurizer_lock = threading.Lock()


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

    def supports_batch(self) -> bool:
        """True when :class:`textclass.ngrams.BatchFeaturizer` can compute these features for a whole batch."""
        return self.word_ngram_range[1] <= 1 and self.char_ngram_range[1] <= MAX_KEY_CHARS


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
        documents = list(raw_documents)
        featurizer = self._batch_featurizer()
        if featurizer is not None:
            rows, cols = featurizer.rows_and_columns(documents, self.analyzer.words)
            return self._tfidf_matrix(rows, cols, len(documents))
        analyze = self.analyzer if callable(self.analyzer) else self.build_analyzer()
        column = self.vocabulary_.get
        columns: list[int] = []
        lengths: list[int] = []
        for doc in documents:
            before = len(columns)
            columns.extend(map(column, analyze(doc), repeat(-1)))
            lengths.append(len(columns) - before)
        cols = np.asarray(columns, dtype=np.int64)
        rows = np.repeat(np.arange(len(lengths)), lengths)
        known = cols >= 0
        return self._tfidf_matrix(rows[known], cols[known], len(documents))

    def _tfidf_matrix(self, rows: np.ndarray, cols: np.ndarray, n_documents: int):
        """TF-IDF rows from the (row, column) of every feature occurrence."""
        width = len(self.vocabulary_)
        rows, cols, counts = count_cells(rows, cols, width)
        indptr = np.zeros(n_documents + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_documents), out=indptr[1:])
        matrix = sp.csr_matrix((counts.astype(self.dtype), cols.astype(np.int32), indptr), shape=(n_documents, width))
        matrix.has_canonical_format = True
        if self.binary:
            matrix.data.fill(1)
        return self._tfidf.transform(matrix, copy=False)

    def _batch_featurizer(self) -> BatchFeaturizer | None:
        """The cached :class:`BatchFeaturizer` (built on first use, never pickled), or None if unsupported."""
        if not (isinstance(self.analyzer, ChineseAnalyzer) and self.analyzer.supports_batch()):
            return None
        featurizer = self.__dict__.get("_featurizer")
        if not self._is_current(featurizer):
            with _featurizer_lock:
                featurizer = self.__dict__.get("_featurizer")
                if not self._is_current(featurizer):
                    featurizer = self.__dict__["_featurizer"] = BatchFeaturizer.from_vocabulary(
                        self.vocabulary_, self.analyzer.word_ngram_range, self.analyzer.char_ngram_range
                    )
        return featurizer

    def _is_current(self, featurizer: BatchFeaturizer | None) -> bool:
        return (
            featurizer is not None
            and featurizer.vocabulary is self.vocabulary_
            and featurizer.word_ngram_range == tuple(self.analyzer.word_ngram_range)
            and featurizer.char_ngram_range == tuple(self.analyzer.char_ngram_range)
        )

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_featurizer", None)
        return state


