"""Reading labelled data (TSV/CSV/JSONL files or folders of them) with line-numbered errors."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataError
from .text import is_blank

LABELLED_SUFFIXES = (".tsv", ".csv", ".jsonl")
#: Folder (inside a data folder) whose files are ``label<TAB>term`` lexicons, not examples.
LEXICON_DIR = "lexicon"


@dataclass
class LabelledData:
    """Texts with labels, and where each came from (``file:line``)."""

    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.texts)

    def extend(self, other: "LabelledData") -> None:
        self.texts += other.texts
        self.labels += other.labels
        self.sources += other.sources
        self.files += other.files

    def sha256(self) -> str:
        """A hash of the files' names and bytes: the same data gives the same hash."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()


def csv_dialect(suffix: str) -> dict:
    """Reader options: TSV is read literally (no quote handling), CSV with standard quoting."""
    if suffix.lower().lstrip(".") == "tsv":
        return {"delimiter": "\t", "quoting": csv.QUOTE_NONE}
    return {"delimiter": ","}


def _check_row(path: Path, line: int, label: str, text: str, allowed: Collection[str] | None) -> None:
    if not label:
        raise DataError(f"{path}:{line}: the label is empty")
    if allowed is not None and label not in allowed:
        raise DataError(f"{path}:{line}: unknown label {label!r}; expected one of {', '.join(allowed)}")
    if is_blank(text):
        raise DataError(f"{path}:{line}: the text is empty")


def read_labelled_file(
    path: str | os.PathLike,
    *,
    text_field: str = "text",
    label_field: str = "label",
    allowed_labels: Collection[str] | None = None,
) -> LabelledData:
    """Read one labelled file: TSV/CSV with a header naming the label and text columns, or JSONL."""
    path = Path(path)
    data = LabelledData(files=[path])
    suffix = path.suffix.lower()
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            if suffix == ".jsonl":
                for line_no, line in enumerate(handle, 1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise DataError(f"{path}:{line_no}: malformed JSON ({exc.msg})") from None
                    if not isinstance(record, dict) or label_field not in record or text_field not in record:
                        raise DataError(f"{path}:{line_no}: expected an object with {label_field!r} and {text_field!r}")
                    label, text = str(record[label_field]).strip(), str(record[text_field])
                    _check_row(path, line_no, label, text, allowed_labels)
                    data.texts.append(text)
                    data.labels.append(label)
                    data.sources.append(f"{path}:{line_no}")
            elif suffix in (".tsv", ".csv"):
                # TSV is literal (no quoting), so a text may start with a quote mark; CSV follows RFC 4180.
                reader = csv.reader(handle, **csv_dialect(suffix))
                header = next(reader, None)
                if header is None:
                    raise DataError(f"{path}:1: the file is empty; expected a header {label_field}, {text_field}")
                header = [name.strip() for name in header]
                missing = [name for name in (label_field, text_field) if name not in header]
                if missing:
                    raise DataError(f"{path}:1: the header {header} has no column {missing[0]!r}")
                label_at, text_at = header.index(label_field), header.index(text_field)
                for row in reader:
                    line_no = reader.line_num
                    if not row:
                        continue
                    if len(row) != len(header):
                        raise DataError(
                            f"{path}:{line_no}: expected {len(header)} fields like the header, found {len(row)}"
                        )
                    label, text = row[label_at].strip(), row[text_at]
                    _check_row(path, line_no, label, text, allowed_labels)
                    data.texts.append(text)
                    data.labels.append(label)
                    data.sources.append(f"{path}:{line_no}")
            else:
                raise DataError(f"{path}: unsupported file type {suffix!r}; use .tsv, .csv or .jsonl")
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not valid UTF-8 (byte {exc.start}); convert the file to UTF-8") from None
    return data


def labelled_files(folder: str | os.PathLike) -> list[Path]:
    """Every labelled file below ``folder`` (sorted), lexicon files excluded."""
    folder = Path(folder)
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in LABELLED_SUFFIXES and LEXICON_DIR not in p.relative_to(folder).parts
    )


def read_labelled(path: str | os.PathLike, **options) -> LabelledData:
    """Read a labelled file, or every labelled file in a folder (its ``lexicon/`` excluded)."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    if path.is_file():
        return read_labelled_file(path, **options)
    files = labelled_files(path)
    if not files:
        raise DataError(f"{path}: no .tsv, .csv or .jsonl files found")
    data = LabelledData()
    for file in files:
        data.extend(read_labelled_file(file, **options))
    return data


def read_lexicon(folder: str | os.PathLike, allowed_labels: Collection[str] | None = None) -> LabelledData:
    """Read ``label<TAB>term`` files from ``folder`` (e.g. ``data/lexicon``); missing folder -> empty."""
    folder = Path(folder)
    data = LabelledData()
    if not folder.is_dir():
        return data
    for file in sorted(folder.glob("*.tsv")):
        data.extend(read_labelled_file(file, text_field="term", allowed_labels=allowed_labels))
    return data
