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

from .segment import get_cutter
from .text import code_points, normalize, normalize_batch

#: Code points that ``str.split()`` treats as whitespace (all of them are below U+3001).
_WHITESPACE = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint32)
#: Strings of up to this many characters are looked up as integer keys (3 code points fit in 64 bits).
_MAX_KEY_CHARS = 3
_BASE = np.uint64(0x110000)
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
        """True when :class:`BatchFeaturizer` can compute this analyzer's features for a whole batch."""
        return self.word_ngram_range[1] <= 1 and self.char_ngram_range[1] <= _MAX_KEY_CHARS


class BatchFeaturizer:
    """Feature columns of a whole batch, equal to running :class:`ChineseAnalyzer` text by text.

    The per-text Python work is normalisation (batched, see ``normalize_batch``) and jieba.
    Features never become Python strings: character n-grams and words of up to three
    characters are integer keys made from the batch's code points (jieba's words tile the
    text, so word boundaries are enough), found in tables built once from the vocabulary.
    Longer words are looked up in the vocabulary dict.
    """

    def __init__(self, analyzer: ChineseAnalyzer, vocabulary: dict[str, int]) -> None:
        self.analyzer = analyzer
        self.vocabulary = vocabulary
        self.use_words = analyzer.word_ngram_range[1] >= 1
        low, high = analyzer.char_ngram_range
        self.char_sizes = list(range(max(low, 1), high + 1)) if high > 0 else []
        self.max_key_size = _MAX_KEY_CHARS if self.use_words else max(self.char_sizes, default=0)
        by_size: dict[int, list[tuple[int, int]]] = {n: [] for n in range(1, self.max_key_size + 1)}
        for gram, column in vocabulary.items():
            if len(gram) in by_size:
                by_size[len(gram)].append((_key(gram), column))
        #: size 1: one slot per code point (-1: not in the vocabulary); sizes 2-3: sorted keys and their columns
        self.unigram_columns = np.full(0x110000, -1, dtype=np.int32)
        self.tables: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for n, pairs in by_size.items():
            keys = np.array([key for key, _ in pairs], dtype=np.uint64)
            columns = np.array([column for _, column in pairs], dtype=np.int64)
            if n == 1:
                self.unigram_columns[keys.astype(np.int64)] = columns
            else:
                order = np.argsort(keys)
                self.tables[n] = (keys[order], columns[order])

    def find(self, n: int, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions (in ``keys``) of the n-character keys that are in the vocabulary, and their columns."""
        if n == 1:
            columns = self.unigram_columns[keys.astype(np.int64)]
            hit = np.flatnonzero(columns >= 0)
            return hit, columns[hit].astype(np.int64)
        table_keys, table_columns = self.tables[n]
        if not len(table_keys) or not len(keys):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        order = np.argsort(keys)  # sorted queries make the binary searches cache-friendly
        found = np.minimum(np.searchsorted(table_keys, keys[order]), len(table_keys) - 1)
        hit = table_keys[found] == keys[order]
        return order[hit], table_columns[found[hit]]

    def rows_and_columns(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Row (text position) and vocabulary column of every known feature occurrence."""
        normalized = normalize_batch(texts)
        points = code_points("".join(normalized)).astype(np.uint64)
        owner = np.repeat(np.arange(len(texts)), [len(text) for text in normalized])
        rows: list[np.ndarray] = []
        columns: list[np.ndarray] = []
        if self.use_words:
            self._word_features(normalized, points, rows, columns)
        if self.char_sizes:
            keep = ~np.isin(points, _WHITESPACE)
            chars, char_owner = points[keep], owner[keep]
            for n in self.char_sizes:
                count = len(chars) - n + 1
                if count <= 0:
                    continue
                starts = np.flatnonzero(char_owner[:count] == char_owner[n - 1 :])
                hit, found = self.find(n, _keys(chars, starts, n))
                rows.append(char_owner[starts[hit]])
                columns.append(found)
        if not columns:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(columns)

    def _word_features(self, normalized: list[str], points: np.ndarray, rows: list, columns: list) -> None:
        cut = self.analyzer.words
        words: list[str] = []
        counts: list[int] = []
        for text in normalized:
            before = len(words)
            words += cut(text)
            counts.append(len(words) - before)
        word_owner = np.repeat(np.arange(len(normalized)), counts)
        sizes = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        if int(sizes.sum()) == len(points):  # the words tile the texts: keys come from the code points
            starts = np.cumsum(sizes) - sizes
            for n in range(1, self.max_key_size + 1):
                of_size = np.flatnonzero(sizes == n)
                hit, found = self.find(n, _keys(points, starts[of_size], n))
                rows.append(word_owner[of_size[hit]])
                columns.append(found)
            longer = np.flatnonzero(sizes > self.max_key_size).tolist()
        else:
            longer = list(range(len(words)))
        lookup = self.vocabulary.get
        found = np.fromiter((lookup(words[i], -1) for i in longer), dtype=np.int64, count=len(longer))
        known = found >= 0
        rows.append(word_owner[np.asarray(longer, dtype=np.int64)[known]])
        columns.append(found[known])


def _keys(points: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """Integer keys of the n-character strings that begin at ``starts`` (same as ``_key`` of the string)."""
    keys = points[starts]
    for offset in range(1, n):
        keys = keys * _BASE + points[starts + offset]
    return keys


def _key(gram: str) -> int:
    key = 0
    for char in gram:
        key = key * 0x110000 + ord(char)
    return key


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
            rows, cols = featurizer.rows_and_columns(documents)
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
        cells, counts = np.unique(rows.astype(np.int64) * width + cols, return_counts=True)
        indptr = np.zeros(n_documents + 1, dtype=np.int64)
        np.cumsum(np.bincount(cells // width, minlength=n_documents), out=indptr[1:])
        matrix = sp.csr_matrix(
            (counts.astype(self.dtype), (cells % width).astype(np.int32), indptr), shape=(n_documents, width)
        )
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
                    featurizer = self.__dict__["_featurizer"] = BatchFeaturizer(self.analyzer, self.vocabulary_)
        return featurizer

    def _is_current(self, featurizer: BatchFeaturizer | None) -> bool:
        return featurizer is not None and featurizer.analyzer is self.analyzer and featurizer.vocabulary is self.vocabulary_

    def __getstate__(self):
        state = dict(super().__getstate__())
        state.pop("_featurizer", None)
        return state


