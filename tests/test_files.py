"""label_file: every format, encodings, bad rows, atomic output, --force and --resume."""

from __future__ import annotations

import csv
import json

import pytest

from textclass import DataError, label_file
from textclass.files import LabelSummary

from .conftest import run_cli

HEADLINES = [
    "海关公布上月进出口数据",
    "法院判决一起诈骗案",
    "医生提醒：秋冬季节注意预防流感",
    "东部战区开展联合演训",
]


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_txt_to_jsonl_keeps_every_line_in_order(tmp_path, shipped):
    src = tmp_path / "in.txt"
    src.write_text("\n".join(HEADLINES[:2] + [""] + HEADLINES[2:]) + "\n", encoding="utf-8")
    summary = label_file(src, tmp_path / "out.jsonl", n_jobs=1, progress=False)
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [r["text"] for r in rows] == HEADLINES[:2] + [""] + HEADLINES[2:]
    assert [r["label"] for r in rows] == ["trade", "crime", "", "health", "security"]
    assert rows[2]["error"] == "the line is empty" and rows[2]["score"] is None and rows[2]["line"] == 3
    assert all(0 < r["score"] <= 1 for i, r in enumerate(rows) if i != 2)
    assert summary == LabelSummary(str(tmp_path / "out.jsonl"), 5, 4, 1, 0, summary.seconds)
    assert not summary.ok


def test_txt_to_csv_has_text_label_score_columns(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("\n".join(HEADLINES) + "\n", encoding="utf-8")
    label_file(src, tmp_path / "out.csv", n_jobs=1, progress=False, top_k=2)
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["text", "label", "score", "top_k", "error"]
    assert [r["text"] for r in rows] == HEADLINES
    assert rows[0]["label"] == "trade" and rows[0]["top_k"].startswith("trade:")


def test_csv_with_quoted_commas_and_newlines(tmp_path):
    src = tmp_path / "in.csv"
    with open(src, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "body"])
        writer.writerow(["1", "关税,反制", "欧盟对进口钢铁加征关税，\n中方表示将采取反制措施"])
        writer.writerow(["2", "案件", "男子诈骗老人\"养老钱\"被判刑"])
        writer.writerow(["3", "空", ""])
        writer.writerow(["4", "少一列"][:2])
    summary = label_file(src, tmp_path / "out.tsv", column="body", n_jobs=1, progress=False)
    with open(tmp_path / "out.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[0]["title"] == "关税,反制" and "\n" in rows[0]["body"]
    assert rows[0]["label"] == "trade" and rows[1]["label"] == "crime"
    assert rows[2]["label"] == "" and "empty" in rows[2]["error"]
    assert rows[3]["label"] == "" and "missing column 'body'" in rows[3]["error"]
    assert (summary.rows, summary.labelled, summary.errors) == (4, 2, 2)


def test_csv_header_without_the_column_is_an_error(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,title\n1,关税\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"in\.csv:1: no column 'text'"):
        label_file(src, tmp_path / "out.csv", n_jobs=1, progress=False)
    assert not (tmp_path / "out.csv").exists()


def test_jsonl_carries_fields_and_keeps_malformed_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": 1, "text": HEADLINES[0], "source": "a"}, ensure_ascii=False),
        '{"id": 2, "text": "broken',
        json.dumps({"id": 3, "title": "no text field"}, ensure_ascii=False),
        "",
        json.dumps({"id": 5, "text": HEADLINES[3]}, ensure_ascii=False),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = label_file(src, tmp_path / "out.jsonl", n_jobs=1, progress=False)
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert len(rows) == 5
    assert rows[0]["id"] == 1 and rows[0]["source"] == "a" and rows[0]["label"] == "trade"
    assert rows[1]["raw"] == '{"id": 2, "text": "broken' and "malformed JSON" in rows[1]["error"] and rows[1]["line"] == 2
    assert rows[2]["id"] == 3 and "missing field 'text'" in rows[2]["error"]
    assert rows[3]["error"] == "empty line" and rows[3]["line"] == 4
    assert rows[4]["label"] == "security"
    assert (summary.labelled, summary.errors) == (2, 3)


def test_jsonl_with_existing_label_field_needs_a_prefix(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": HEADLINES[0], "label": "gold"}, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="prefix"):
        label_file(src, tmp_path / "out.jsonl", n_jobs=1, progress=False)
    assert not (tmp_path / "out.jsonl").exists()
    label_file(src, tmp_path / "out.jsonl", n_jobs=1, progress=False, prefix="pred_")
    row = read_jsonl(tmp_path / "out.jsonl")[0]
    assert row["label"] == "gold" and row["pred_label"] == "trade"


def test_gbk_and_bom_files_are_detected(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("\n".join(HEADLINES).encode("gbk"))
    label_file(gbk, tmp_path / "gbk.jsonl", n_jobs=1, progress=False)
    assert [r["text"] for r in read_jsonl(tmp_path / "gbk.jsonl")] == HEADLINES
    bom = tmp_path / "bom.csv"
    bom.write_bytes(("text\n" + "\n".join(HEADLINES)).encode("utf-8-sig"))
    label_file(bom, tmp_path / "bom.jsonl", n_jobs=1, progress=False)
    rows = read_jsonl(tmp_path / "bom.jsonl")
    assert [r["text"] for r in rows] == HEADLINES and rows[0]["label"] == "trade"


def test_undecodable_bytes_name_the_line_or_are_flagged(tmp_path):
    src = tmp_path / "bad.txt"
    src.write_bytes("海关公布进出口数据\n".encode() * 3 + b"\xff\xfe broken \xe4\n" + "法院判决诈骗案\n".encode())
    with pytest.raises(DataError, match=r"bad\.txt:4: bytes not valid in utf-8"):
        label_file(src, tmp_path / "out.jsonl", n_jobs=1, progress=False, encoding="utf-8")
    summary = label_file(src, tmp_path / "out.jsonl", n_jobs=1, progress=False, encoding="utf-8", errors="replace")
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert len(rows) == 5 and "U+FFFD" in rows[3]["error"] and rows[3]["label"]
    assert summary.flagged == 1 and not summary.ok


def test_folder_of_txt_files_gives_one_row_per_file(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("海关总署公布上半年外贸数据，出口同比增长。\n机电产品占比提高。", encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("法院一审判决一起电信诈骗案。", encoding="utf-8")
    (folder / "c.txt").write_text("", encoding="utf-8")
    label_file(folder, tmp_path / "out.jsonl", n_jobs=1, progress=False)
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [r["path"] for r in rows] == ["a.txt", "c.txt", "sub/b.txt"]
    assert rows[0]["label"] == "trade" and rows[2]["label"] == "crime" and "empty" in rows[1]["error"]


def test_existing_output_needs_force(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(HEADLINES[0] + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match="--force"):
        label_file(src, out, n_jobs=1, progress=False)
    assert out.read_text(encoding="utf-8") == "keep me\n"
    label_file(src, out, n_jobs=1, progress=False, force=True)
    assert read_jsonl(out)[0]["label"] == "trade"


def test_interrupted_run_leaves_no_output_and_resumes(tmp_path, shipped, monkeypatch):
    src = tmp_path / "in.txt"
    texts = [f"{h}（{i}）" for i in range(30) for h in HEADLINES]
    src.write_text("\n".join(texts) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    calls = {"n": 0}
    original = type(shipped)._predictions

    def failing(self, proba):  # interrupted while labelling the third chunk of 20 rows
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return original(self, proba)

    monkeypatch.setattr(type(shipped), "_predictions", failing)
    with pytest.raises(KeyboardInterrupt):
        label_file(src, out, n_jobs=1, progress=False, chunk_rows=20, model=shipped)
    assert not out.exists()
    assert (tmp_path / "out.jsonl.partial").exists()
    monkeypatch.setattr(type(shipped), "_predictions", original)
    summary = label_file(src, out, n_jobs=1, progress=False, chunk_rows=20, model=shipped, resume=True)
    assert summary.resumed_from == 40
    rows = read_jsonl(out)
    assert [r["text"] for r in rows] == texts
    assert summary.rows == summary.labelled == len(texts)
    assert not (tmp_path / "out.jsonl.partial").exists() and not (tmp_path / "out.jsonl.partial.json").exists()
    fresh = tmp_path / "fresh.jsonl"
    label_file(src, fresh, n_jobs=1, progress=False, model=shipped)
    assert fresh.read_bytes() == out.read_bytes()


def test_parallel_labelling_matches_serial(tmp_path, tiny_model):
    src = tmp_path / "in.txt"
    texts = [f"{h}（{i}）" for i in range(600) for h in HEADLINES]
    src.write_text("\n".join(texts) + "\n", encoding="utf-8")
    label_file(src, tmp_path / "one.jsonl", n_jobs=1, progress=False, model=tiny_model, chunk_rows=500)
    label_file(src, tmp_path / "two.jsonl", n_jobs=2, progress=False, model=tiny_model, chunk_rows=500)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert "pipeline_" in vars(tiny_model) and "source_path_" not in vars(tiny_model)


def test_cli_label_exit_code_3_when_rows_have_errors(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text(HEADLINES[0] + "\n\n", encoding="utf-8")
    out = run_cli("label", str(src), "-o", str(tmp_path / "o.jsonl"), "--quiet", "--jobs", "1")
    assert out.returncode == 3
    assert "1 row with errors" in out.stderr
    assert len(read_jsonl(tmp_path / "o.jsonl")) == 2


def test_tsv_input_is_literal_so_leading_quotes_survive(tmp_path):
    src = tmp_path / "in.tsv"
    src.write_text('id\ttext\n1\t"双十一"海关进口商品通关提速\n2\t法院判决一起"套路贷"诈骗案\n', encoding="utf-8")
    label_file(src, tmp_path / "out.jsonl", n_jobs=1, progress=False)
    rows = read_jsonl(tmp_path / "out.jsonl")
    assert [r["text"] for r in rows] == ['"双十一"海关进口商品通关提速', '法院判决一起"套路贷"诈骗案']
    assert [r["id"] for r in rows] == ["1", "2"]
