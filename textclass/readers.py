"""Streaming readers for files to label: .txt, .csv/.tsv, .jsonl and folders of .txt files.

Every physical row becomes a ``Row``: rows that cannot be labelled carry an ``error`` and
are kept, so that nothing is silently dropped. Bytes are decoded line by line with the
detected (or given) encoding; undecodable bytes raise a ``DataError`` naming the file and
line, or with ``errors="replace"`` are replaced and the row is flagged.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .data import csv_dialect
from .errors import DataError
from .text import is_blank

INPUT_KINDS = ("txt", "csv", "tsv", "jsonl", "folder")
ENCODING_SAMPLE_BYTES = 1 << 20
REPLACED_NOTE = "undecodable bytes were replaced with U+FFFD"

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class Row:
    """One input row: its first line number, the text to label, the fields to carry over."""

    line: int
    text: str | None
    fields: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    note: str | None = None


def input_kind(path: Path) -> str:
    if path.is_dir():
        return "folder"
    kind = path.suffix.lower().lstrip(".")
    if kind not in INPUT_KINDS:
        raise DataError(f"{path}: cannot tell the format from the extension {path.suffix!r}; use .txt, .csv, .tsv or .jsonl")
    return kind


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` for a BOM, ``utf-8`` when the first MiB decodes as UTF-8, else ``gb18030``."""
    with open(path, "rb") as handle:
        sample = handle.read(ENCODING_SAMPLE_BYTES)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < ENCODING_SAMPLE_BYTES)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(sample, final=len(sample) < ENCODING_SAMPLE_BYTES)
        return "gb18030"
    except UnicodeDecodeError:
        return "utf-8"  # neither fits: decode as UTF-8 so the error names the first bad line


class LineDecoder:
    """Decodes a binary file line by line and remembers which lines had bytes replaced."""

    def __init__(self, path: Path, encoding: str, errors: str) -> None:
        if errors not in ("strict", "replace"):
            raise ValueError(f"The 'errors' parameter must be 'strict' or 'replace'. Got {errors!r} instead.")
        self.path, self.encoding, self.errors = path, encoding, errors
        self.replaced: set[int] = set()
        self.line_no = 0

    def lines(self, handle) -> Iterator[str]:
        first = True
        for raw in handle:
            self.line_no += 1
            try:
                line = raw.decode(self.encoding)
            except UnicodeDecodeError as exc:
                if self.errors == "strict":
                    raise DataError(
                        f"{self.path}:{self.line_no}: bytes not valid in {self.encoding} "
                        f"(at byte {exc.start} of the line); pass the right --encoding, "
                        "or --errors replace to replace them and flag the row"
                    ) from None
                line = raw.decode(self.encoding, errors="replace")
                self.replaced.add(self.line_no)
            if first and line.startswith("\ufeff"):
                line = line[1:]
            first = False
            yield line


def _strip_newline(line: str) -> str:
    return line.rstrip("\r\n")


def _text_row(line: int, text: Any, fields: dict[str, Any], what: str) -> Row:
    if not isinstance(text, str):
        return Row(line, None, fields, error=f"{what} is {type(text).__name__}, not a string")
    if is_blank(text):
        return Row(line, None, fields, error=f"{what} is empty")
    return Row(line, text, fields)


def read_txt(path: Path, decoder: LineDecoder) -> Iterator[Row]:
    with open(path, "rb") as handle:
        for line in decoder.lines(handle):
            text = _strip_newline(line)
            row = _text_row(decoder.line_no, text, {"text": text}, "the line")
            if decoder.line_no in decoder.replaced:
                row.note = REPLACED_NOTE
            yield row


def read_delimited(path: Path, decoder: LineDecoder, column: str) -> Iterator[Row]:
    with open(path, "rb") as handle:
        reader = csv.reader(decoder.lines(handle), **csv_dialect(path.suffix))
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(f"{path}:1: the file is empty; expected a header row") from None
        if column not in header:
            raise DataError(f"{path}:1: no column {column!r} in the header {header}; choose one with --column")
        at = header.index(column)
        previous_end = reader.line_num
        for values in reader:
            start, end = previous_end + 1, reader.line_num
            previous_end = end
            if not values:
                yield Row(start, None, {name: "" for name in header}, error="empty line")
                continue
            fields = dict(zip(header, values))
            if len(values) > len(header):
                fields["_extra"] = json.dumps(values[len(header) :], ensure_ascii=False)
            if len(values) <= at:
                fields.update({name: "" for name in header[len(values) :]})
                row = Row(start, None, fields, error=f"missing column {column!r} (row has {len(values)} of {len(header)} fields)")
            else:
                row = _text_row(start, values[at], fields, f"column {column!r}")
            if any(n in decoder.replaced for n in range(start, end + 1)):
                row.note = REPLACED_NOTE
            yield row


def read_jsonl(path: Path, decoder: LineDecoder, field_name: str) -> Iterator[Row]:
    with open(path, "rb") as handle:
        for line in decoder.lines(handle):
            line_no = decoder.line_no
            stripped = line.strip()
            if not stripped:
                yield Row(line_no, None, {}, error="empty line")
                continue
            try:
                record = json.loads(stripped)
            except json.JSONDecodeError as exc:
                yield Row(line_no, None, {"raw": _strip_newline(line)}, error=f"malformed JSON: {exc.msg} at column {exc.colno}")
                continue
            if not isinstance(record, dict):
                yield Row(line_no, None, {"raw": _strip_newline(line)}, error="expected a JSON object")
                continue
            if field_name not in record:
                row = Row(line_no, None, record, error=f"missing field {field_name!r}")
            else:
                row = _text_row(line_no, record[field_name], record, f"field {field_name!r}")
            if line_no in decoder.replaced:
                row.note = REPLACED_NOTE
            yield row


def read_folder(path: Path, encoding: str | None, errors: str) -> Iterator[Row]:
    files = sorted(p for p in path.rglob("*.txt") if p.is_file())
    for number, file in enumerate(files, 1):
        relative = file.relative_to(path).as_posix()
        enc = encoding or detect_encoding(file)
        data = file.read_bytes()
        try:
            text = data.decode(enc)
            note = None
        except UnicodeDecodeError as exc:
            if errors == "strict":
                line = data[: exc.start].count(b"\n") + 1
                raise DataError(
                    f"{file}:{line}: bytes not valid in {enc}; pass the right --encoding, or --errors replace"
                ) from None
            text, note = data.decode(enc, errors="replace"), REPLACED_NOTE
        text = text.lstrip("\ufeff")
        row = _text_row(number, text, {"path": relative}, "the file")
        row.note = note
        yield row


def read_rows(
    path: str | os.PathLike,
    *,
    column: str = "text",
    field: str = "text",
    encoding: str | None = None,
    errors: str = "strict",
) -> Iterator[Row]:
    """Stream the rows of a file (or folder of .txt files) to label."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: no such file or folder")
    kind = input_kind(path)
    if kind == "folder":
        return read_folder(path, encoding, errors)
    decoder = LineDecoder(path, encoding or detect_encoding(path), errors)
    if kind == "txt":
        return read_txt(path, decoder)
    if kind == "jsonl":
        return read_jsonl(path, decoder, field)
    return read_delimited(path, decoder, column)
