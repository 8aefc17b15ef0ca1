"""``label_file``: label a whole file in streamed chunks, on many cores, with nothing lost.

Every input row appears once in the output, in input order. Output goes to
``<output>.partial`` and is renamed to ``<output>`` only when complete; with ``resume=True``
an interrupted run continues after the last completed chunk (``<output>.partial.json``
records it).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .data import csv_dialect
from .errors import DataError
from .readers import Row, input_kind, read_rows

if TYPE_CHECKING:
    from .model import Classifier

OUTPUT_FORMATS = ("jsonl", "csv", "tsv")
DEFAULT_CHUNK_ROWS = 2000


@dataclass(frozen=True)
class LabelSummary:
    """What ``label_file`` did: rows written, rows labelled, rows with an ``error`` field."""

    output: str
    rows: int
    labelled: int
    errors: int
    flagged: int
    seconds: float
    resumed_from: int = 0

    @property
    def ok(self) -> bool:
        """True when every row got a label and no row carries an error."""
        return self.errors == 0 and self.flagged == 0


def output_format(path: Path, fmt: str | None) -> str:
    fmt = (fmt or path.suffix.lower().lstrip(".")).lower()
    if fmt not in OUTPUT_FORMATS:
        raise DataError(f"{path}: cannot tell the output format from {path.suffix!r}; use .jsonl, .csv or .tsv, or --format")
    return fmt


class RowWriter:
    """Turns labelled rows into JSONL or CSV/TSV lines (header written once by ``header``)."""

    def __init__(
        self, fmt: str, kind: str, text_key: str, prefix: str, top_k: int, columns: list[str] | None, paragraphs: bool = False
    ) -> None:
        self.fmt, self.kind, self.text_key, self.top_k = fmt, kind, text_key, top_k
        self.label_key, self.score_key = f"{prefix}label", f"{prefix}score"
        self.top_key, self.error_key = f"{prefix}top_k", f"{prefix}error"
        self.position_keys = [f"{prefix}doc", f"{prefix}paragraph"] if paragraphs else []
        self.added = self.position_keys + [self.label_key, self.score_key] + ([self.top_key] if top_k else []) + [self.error_key]
        if fmt != "jsonl":
            base = columns if columns is not None else {"txt": ["text"], "folder": ["path"]}.get(kind, ["line", text_key, "record"])
            if paragraphs and kind == "folder":
                base = base + [text_key]
            clash = set(base) & set(self.added)
            if clash:
                raise DataError(f"the input already has column(s) {sorted(clash)}; pass a prefix (--prefix pred_) so they are kept")
            self.columns = base + self.added
            self._buffer = io.StringIO()
            self._csv = csv.writer(self._buffer, delimiter="\t" if fmt == "tsv" else ",", lineterminator="\n")

    def header(self) -> str:
        if self.fmt == "jsonl":
            return ""
        return self._line(self.columns)

    def _line(self, values: list[Any]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._csv.writerow(values)
        return self._buffer.getvalue()

    def format(self, row: Row, label: str | None, score: float | None, top: list[tuple[str, float]] | None) -> str:
        error = row.error or row.note
        if self.fmt == "jsonl":
            record = dict(row.fields)
            if row.error:
                record.setdefault("line", row.line)
            clash = [key for key in self.added if key in record and key not in self.position_keys]
            if clash:
                raise DataError(f"line {row.line}: the input already has field {clash[0]!r}; pass a prefix (--prefix pred_) so it is kept")
            record[self.label_key] = label if label is not None else ""
            record[self.score_key] = score
            if self.top_k:
                record[self.top_key] = [{"label": name, "score": value} for name, value in top or []]
            if error:
                record[self.error_key] = error
            return json.dumps(record, ensure_ascii=False) + "\n"
        if self.kind in ("jsonl",):
            others = {k: v for k, v in row.fields.items() if k != self.text_key and k not in self.position_keys}
            text = row.fields.get(self.text_key, "")
            values: dict[str, Any] = {"line": row.line, self.text_key: text if isinstance(text, str) else json.dumps(text, ensure_ascii=False), "record": json.dumps(others, ensure_ascii=False)}
            values.update({k: row.fields[k] for k in self.position_keys if k in row.fields})
        else:
            values = dict(row.fields)
        values[self.label_key] = label or ""
        values[self.score_key] = "" if score is None else score
        if self.top_k:
            values[self.top_key] = "|".join(f"{name}:{value:.4f}" for name, value in top or [])
        values[self.error_key] = error or ""
        line = [values.get(name, "") for name in self.columns]
        if "_extra" in values:
            line.append(values["_extra"])
        return self._line(line)


def _chunks(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while True:
        chunk = list(islice(rows, size))
        if not chunk:
            return
        yield chunk


def _paragraph_rows(rows: Iterator[Row], text_key: str, prefix: str) -> Iterator[Row]:
    """One row per paragraph of each input row, with the document's line and the paragraph's index."""
    from .document import split_paragraphs

    doc_key, paragraph_key = f"{prefix}doc", f"{prefix}paragraph"
    for row in rows:
        if doc_key in row.fields or paragraph_key in row.fields:
            raise DataError(f"line {row.line}: the input already has a field {doc_key!r} or {paragraph_key!r}; pass --prefix")
        base = {**row.fields, doc_key: row.line}
        if row.error is not None:
            yield Row(row.line, None, {**base, paragraph_key: None}, row.error, row.note)
            continue
        for index, (start, end) in enumerate(split_paragraphs(row.text)):
            piece = row.text[start:end]
            yield Row(row.line, piece, {**base, text_key: piece, paragraph_key: index}, None, row.note)


def _csv_header(path: Path, kind: str, encoding: str | None) -> list[str] | None:
    if kind not in ("csv", "tsv"):
        return None
    from .readers import detect_encoding

    enc = encoding or detect_encoding(path)
    with open(path, encoding=enc, errors="replace", newline="") as handle:
        header = next(csv.reader(handle, **csv_dialect(kind)), [])
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    return header


def _count_lines(path: Path) -> int | None:
    if path.is_dir():
        return sum(1 for _ in path.rglob("*.txt"))
    count = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            count += block.count(b"\n")
    return count


def _fingerprint(path: Path, options: dict[str, Any]) -> dict[str, Any]:
    stat = path.stat()
    return {"input": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "options": options}


@dataclass(frozen=True)
class WriterSpec:
    """Everything a worker needs to build the same ``RowWriter`` as the parent."""

    fmt: str
    kind: str
    text_key: str
    prefix: str
    top_k: int
    columns: tuple[str, ...] | None
    paragraphs: bool

    def build(self) -> RowWriter:
        columns = list(self.columns) if self.columns is not None else None
        return RowWriter(self.fmt, self.kind, self.text_key, self.prefix, self.top_k, columns, paragraphs=self.paragraphs)


_writers: dict[WriterSpec, RowWriter] = {}


def _label_chunk(source: Any, spec: WriterSpec, chunk: list[Row]) -> tuple[bytes, int, int, int, int]:
    """Label and format one chunk (in a worker): output bytes and counts of rows, labelled, errors, flagged.

    Formatting happens here too, so the parent process only reads input and writes output.
    """
    from .parallel import resolve

    clf = resolve(source)
    writer = _writers.get(spec)
    if writer is None:
        writer = _writers.setdefault(spec, spec.build())
    texts = [row.text for row in chunk if row.error is None]
    predictions = iter(clf._predictions(clf._proba_in_label_order(texts))) if texts else iter(())
    out = []
    labelled = errors = flagged = 0
    for row in chunk:
        if row.error is not None:
            out.append(writer.format(row, None, None, None))
            errors += 1
            continue
        prediction = next(predictions)
        top = prediction.top(spec.top_k) if spec.top_k else None
        out.append(writer.format(row, prediction.label, round(prediction.score, 6), top))
        labelled += 1
        flagged += row.note is not None
    return "".join(out).encode("utf-8"), len(chunk), labelled, errors, flagged


def label_file(
    input: str | os.PathLike,
    output: str | os.PathLike,
    *,
    column: str = "text",
    field: str = "text",
    format: str | None = None,
    encoding: str | None = None,
    errors: str = "strict",
    top_k: int = 0,
    prefix: str = "",
    n_jobs: int | None = -1,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    force: bool = False,
    resume: bool = False,
    progress: bool | None = None,
    split_paragraphs: bool = False,
    model: "Classifier | None" = None,
) -> LabelSummary:
    """Label every row of ``input`` into ``output`` (JSONL, CSV or TSV), in order, atomically.

    ``column`` names the text column of a CSV/TSV file, ``field`` the text field of a JSONL
    file. Rows that cannot be labelled are kept with an empty label and an ``error``.
    ``progress=None`` shows a tqdm bar when stderr is a terminal. ``split_paragraphs`` writes
    one row per paragraph, with the document's first line (``doc``) and the paragraph index.
    """
    from .parallel import shared_source, worker_count
    from .persistence import atomic_write_bytes

    started = time.perf_counter()
    input_path, output_path = Path(input), Path(output)
    if not input_path.exists():
        raise DataError(f"{input_path}: no such file or folder")
    kind = input_kind(input_path)
    fmt = output_format(output_path, format)
    if output_path.exists() and not force and not resume:
        raise FileExistsError(f"{output_path} exists; pass --force to overwrite it")
    workers = worker_count(n_jobs)
    text_key = column if kind in ("csv", "tsv") else field
    columns = _csv_header(input_path, kind, encoding)
    writer = RowWriter(fmt, kind, text_key, prefix, top_k, columns, paragraphs=split_paragraphs)

    partial = output_path.with_name(output_path.name + ".partial")
    state_path = output_path.with_name(output_path.name + ".partial.json")
    options = {"column": column, "field": field, "format": fmt, "encoding": encoding, "errors": errors, "top_k": top_k, "prefix": prefix, "chunk_rows": chunk_rows, "split_paragraphs": split_paragraphs}
    fingerprint = _fingerprint(input_path, options) if input_path.is_file() else {"input": str(input_path.resolve()), "options": options}
    done_rows, done_bytes, counts = 0, 0, {}
    if resume and partial.exists() and state_path.exists():
        state = json.loads(state_path.read_text(encoding="utf-8"))
        if state.get("fingerprint") != fingerprint:
            raise DataError(f"cannot resume: {input_path} or the options changed since {partial} was started; run again without --resume")
        done_rows, done_bytes, counts = state["rows"], state["bytes"], state["counts"]
    resumed_from = done_rows
    labelled, n_errors, flagged = counts.get("labelled", 0), counts.get("errors", 0), counts.get("flagged", 0)

    rows = read_rows(input_path, column=column, field=field, encoding=encoding, errors=errors)
    if split_paragraphs:
        rows = _paragraph_rows(rows, text_key, prefix)
    rows = islice(rows, done_rows, None)
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        from tqdm import tqdm

        bar = tqdm(total=_count_lines(input_path), initial=done_rows, unit="rows", file=sys.stderr, dynamic_ncols=True)

    handle = open(partial, "r+b" if done_rows else "wb")
    try:
        if done_rows:
            handle.truncate(done_bytes)
            handle.seek(done_bytes)
        else:
            handle.write(writer.header().encode("utf-8"))
        with shared_source(model, workers) as source:
            spec = WriterSpec(fmt, kind, text_key, prefix, top_k, tuple(columns) if columns else None, split_paragraphs)
            chunks = _chunks(rows, chunk_rows)
            if workers == 1:
                results = (_label_chunk(source, spec, chunk) for chunk in chunks)
            else:
                from joblib import Parallel, delayed

                results = Parallel(n_jobs=workers, return_as="generator")(
                    delayed(_label_chunk)(source, spec, chunk) for chunk in chunks
                )
            for data, rows_done, chunk_labelled, chunk_errors, chunk_flagged in results:
                handle.write(data)
                handle.flush()
                done_rows += rows_done
                labelled += chunk_labelled
                n_errors += chunk_errors
                flagged += chunk_flagged
                state = {"fingerprint": fingerprint, "rows": done_rows, "bytes": handle.tell(), "counts": {"labelled": labelled, "errors": n_errors, "flagged": flagged}}
                atomic_write_bytes(state_path, lambda h: h.write(json.dumps(state).encode("utf-8")))
                if bar is not None:
                    bar.update(rows_done)
        os.fsync(handle.fileno())
    finally:
        handle.close()
        if bar is not None:
            bar.close()
    if output_path.exists() and not force and not resume:
        raise FileExistsError(f"{output_path} appeared while labelling; the result is in {partial}")
    os.replace(partial, output_path)
    state_path.unlink(missing_ok=True)
    return LabelSummary(
        output=str(output_path),
        rows=done_rows,
        labelled=labelled,
        errors=n_errors,
        flagged=flagged,
        seconds=time.perf_counter() - started,
        resumed_from=resumed_from,
    )
