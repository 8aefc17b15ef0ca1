"""The analyzer that turns a text into word and character n-gram features in one pass.

``ChineseAnalyzer`` is pickled by reference inside every saved model, so its import path
(``textclass.features.ChineseAnalyzer``) is part of the model file format: never move it.
It keeps only its parameters; the segmenter is looked up per process, so a model file
never embeds jieba's dictionary.
"""

from __future__ import annotations

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
        """The segmented words of an already normalised text, whitespace tokens dropped."""
        return [w for w in get_cutter(self.backend, self.hmm)(text) if not w.isspace()]

    def __call__(self, text: str) -> list[str]:
        text = normalize(text)
        features: list[str] = []
        low, high = self.word_ngram_range
        if high > 0:
            words = self.words(text)
            if low <= 1:
                features.extend(words)
            for n in range(max(low, 2), high + 1):
                features.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
        low, high = self.char_ngram_range
        if high > 0:
            chars = "".join(text.split())
            if low <= 1:
                features.extend(chars)
            for n in range(max(low, 2), high + 1):
                features.extend(chars[i : i + n] for i in range(len(chars) - n + 1))
        return features
