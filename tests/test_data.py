"""The shipped corpus and lexicon keep their format: valid labels, clean text, no duplicates."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import textclass
from textclass.data import labelled_files, read_labelled, read_lexicon

from .conftest import ROOT

DATA = ROOT / "data"


def corpus_files() -> list[Path]:
    return labelled_files(DATA)


def test_every_corpus_file_has_the_header_and_two_clean_fields():
    files = corpus_files()
    assert files, "data/ has no corpus files"
    for path in files:
        lines = path.read_text(encoding="utf-8").split("\n")
        assert lines[0] == "label\ttext", f"{path}: header must be label<TAB>text"
        assert lines[-1] == "", f"{path}: must end with a newline"
        for number, line in enumerate(lines[1:-1], 2):
            fields = line.split("\t")
            assert len(fields) == 2, f"{path}:{number}: expected 2 tab-separated fields"
            label, text = fields
            assert label in textclass.LABELS, f"{path}:{number}: unknown label {label!r}"
            assert text.strip() == text and text, f"{path}:{number}: empty text or stray whitespace"
            assert "\r" not in text, f"{path}:{number}: carriage return in text"


def test_corpus_has_no_exact_duplicates():
    data = read_labelled(DATA, allowed_labels=textclass.LABELS)
    seen: dict[str, str] = {}
    duplicates = []
    for text, source in zip(data.texts, data.sources):
        if text in seen:
            duplicates.append(f"{source} repeats {seen[text]}")
        seen.setdefault(text, source)
    assert not duplicates, duplicates[:10]


def test_corpus_reaches_the_planned_size_and_balance():
    counts = Counter(read_labelled(DATA).labels)
    assert sum(counts.values()) >= 20_000
    for label in ("policy", "trade", "crime", "health", "security"):
        assert counts[label] >= 2_500, (label, counts[label])
    assert counts["other"] >= 7_500


def test_lexicon_terms_are_short_unique_and_labelled():
    lexicon = read_lexicon(DATA / "lexicon", allowed_labels=textclass.LABELS)
    counts = Counter(lexicon.labels)
    for label in ("policy", "trade", "crime", "health", "security"):
        assert counts[label] >= 1_000, (label, counts[label])
    assert counts["other"] >= 3_000
    pairs = Counter(zip(lexicon.labels, lexicon.texts))
    assert not [p for p, n in pairs.items() if n > 1]
    for term, source in zip(lexicon.texts, lexicon.sources):
        assert 2 <= len(term) <= 8 and "\t" not in term, f"{source}: term {term!r} must be 2-8 characters"


def test_bad_line_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("label\ttext\ntrade\t关税\nweather\t下雨\n", encoding="utf-8")
    with pytest.raises(textclass.DataError, match=r"bad\.tsv:3: unknown label 'weather'"):
        read_labelled(bad, allowed_labels=textclass.LABELS)
    bad.write_text("label\ttext\ntrade\t关税\ttoo many\n", encoding="utf-8")
    with pytest.raises(textclass.DataError, match=r"bad\.tsv:2: expected 2 fields"):
        read_labelled(bad)
