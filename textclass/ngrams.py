"""Feature columns for a whole batch as array operations (no scikit-learn needed).

``BatchFeaturizer`` gives, for a batch of texts, the (row, vocabulary column) of every
word and character n-gram that ``features.ChineseAnalyzer`` would produce. The per-text
Python work is normalisation (batched, see ``text.normalize_batch``) and segmentation.
Features never become Python strings: character n-grams and words of up to three
characters are integer keys made from code points, found in tables built once from the
vocabulary; only longer words are looked up in a dict.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import repeat

import numpy as np

from .text import code_points, normalize_batch

#: Code points that ``str.split()`` treats as whitespace (all of them are below U+3001).
WHITESPACE = np.array([c for c in range(0x3001) if chr(c).isspace()], dtype=np.uint64)
#: Strings of up to this many characters are looked up as integer keys (3 code points fit in 64 bits).
MAX_KEY_CHARS = 3
_BASE = np.uint64(0x110000)
_EMPTY = np.zeros(0, dtype=np.int64)


def string_key(gram: str) -> int:
    """The integer key of a string of at most ``MAX_KEY_CHARS`` characters."""
    key = 0
    for char in gram:
        key = key * 0x110000 + ord(char)
    return key


def keys_at(points: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """Keys of the n-character strings that begin at ``starts`` in ``points`` (same as ``string_key``)."""
    keys = points[starts]
    for offset in range(1, n):
        keys = keys * _BASE + points[starts + offset]
    return keys


def count_cells(rows: np.ndarray, columns: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (row, column) pairs, sorted by row then column, and how often each occurs."""
    cells, counts = np.unique(rows.astype(np.int64) * width + columns, return_counts=True)
    return cells // width, cells % width, counts


class BatchFeaturizer:
    """The features of :class:`textclass.features.ChineseAnalyzer` for a batch, as arrays.

    ``tables`` maps a string length (1 to ``MAX_KEY_CHARS``) to sorted keys and their
    columns; ``long_words`` maps longer vocabulary strings to their columns.
    """

    def __init__(
        self,
        word_ngram_range: tuple[int, int],
        char_ngram_range: tuple[int, int],
        tables: dict[int, tuple[np.ndarray, np.ndarray]],
        long_words: dict[str, int],
    ) -> None:
        if word_ngram_range[1] > 1 or char_ngram_range[1] > MAX_KEY_CHARS:
            raise ValueError(f"batch features support word unigrams and character n-grams up to {MAX_KEY_CHARS}")
        self.word_ngram_range = tuple(word_ngram_range)
        self.char_ngram_range = tuple(char_ngram_range)
        self.use_words = word_ngram_range[1] >= 1
        low, high = char_ngram_range
        self.char_sizes = list(range(max(low, 1), high + 1)) if high > 0 else []
        self.tables = tables
        self.long_words = long_words
        #: the vocabulary dict the tables were built from (``None`` when built from stored arrays)
        self.vocabulary: dict[str, int] | None = None
        self.unigram_columns = np.full(0x110000, -1, dtype=np.int32)  # one slot per code point
        if 1 in tables:
            keys, columns = tables[1]
            self.unigram_columns[keys.astype(np.int64)] = columns

    @classmethod
    def from_vocabulary(
        cls, vocabulary: dict[str, int], word_ngram_range: tuple[int, int], char_ngram_range: tuple[int, int]
    ) -> "BatchFeaturizer":
        """Tables for a fitted vectorizer's ``vocabulary_``."""
        by_size: dict[int, list[tuple[int, int]]] = {n: [] for n in range(1, MAX_KEY_CHARS + 1)}
        long_words = {}
        for gram, column in vocabulary.items():
            if len(gram) > MAX_KEY_CHARS:
                long_words[gram] = column
            elif gram:
                by_size[len(gram)].append((string_key(gram), column))
        tables = {}
        for n, pairs in by_size.items():
            keys = np.array([key for key, _ in pairs], dtype=np.uint64)
            columns = np.array([column for _, column in pairs], dtype=np.int64)
            order = np.argsort(keys)
            tables[n] = (keys[order], columns[order])
        featurizer = cls(word_ngram_range, char_ngram_range, tables, long_words)
        featurizer.vocabulary = vocabulary
        return featurizer

    def find(self, n: int, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions (in ``keys``) of the n-character keys that are in the vocabulary, and their columns."""
        if n == 1:
            columns = self.unigram_columns[keys.astype(np.int64)]
            hit = np.flatnonzero(columns >= 0)
            return hit, columns[hit].astype(np.int64)
        table_keys, table_columns = self.tables[n]
        if not len(table_keys) or not len(keys):
            return _EMPTY, _EMPTY
        order = np.argsort(keys)  # sorted queries make the binary searches cache-friendly
        found = np.minimum(np.searchsorted(table_keys, keys[order]), len(table_keys) - 1)
        hit = table_keys[found] == keys[order]
        return order[hit], table_columns[found[hit]]

    def rows_and_columns(self, texts: list[str], cut: Callable[[str], list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Row (text position) and vocabulary column of every known feature occurrence.

        ``cut`` segments one normalised text into words.
        """
        normalized = normalize_batch(texts)
        rows: list[np.ndarray] = []
        columns: list[np.ndarray] = []
        if self.use_words:
            self._word_features(normalized, cut, rows, columns)
        if self.char_sizes:
            points = code_points("".join(normalized)).astype(np.uint64)
            owner = np.repeat(np.arange(len(texts)), [len(text) for text in normalized])
            keep = ~np.isin(points, WHITESPACE)
            chars, char_owner = points[keep], owner[keep]
            for n in self.char_sizes:
                count = len(chars) - n + 1
                if count <= 0:
                    continue
                starts = np.flatnonzero(char_owner[:count] == char_owner[n - 1 :])
                hit, found = self.find(n, keys_at(chars, starts, n))
                rows.append(char_owner[starts[hit]])
                columns.append(found)
        if not columns:
            return _EMPTY, _EMPTY
        return np.concatenate(rows), np.concatenate(columns)

    def _word_features(self, normalized: list[str], cut: Callable, rows: list, columns: list) -> None:
        words: list[str] = []
        counts: list[int] = []
        for text in normalized:
            before = len(words)
            words += cut(text)
            counts.append(len(words) - before)
        word_owner = np.repeat(np.arange(len(normalized)), counts)
        sizes = np.fromiter(map(len, words), dtype=np.int64, count=len(words))
        points = code_points("".join(words)).astype(np.uint64)
        starts = np.cumsum(sizes) - sizes
        for n in range(1, MAX_KEY_CHARS + 1):
            of_size = np.flatnonzero(sizes == n)
            hit, found = self.find(n, keys_at(points, starts[of_size], n))
            rows.append(word_owner[of_size[hit]])
            columns.append(found)
        longer = np.flatnonzero(sizes > MAX_KEY_CHARS)
        lookup = self.long_words.get
        found = np.fromiter(map(lookup, [words[i] for i in longer.tolist()], repeat(-1)), dtype=np.int64, count=len(longer))
        known = found >= 0
        rows.append(word_owner[longer[known]])
        columns.append(found[known])
