"""Every CLI verb through a subprocess, its output and its exit codes."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, TINY, run_cli


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "textclass"
    assert script.exists() or shutil.which("textclass"), "the 'textclass' console script is not installed"


def test_classify_arguments_plain_and_json():
    plain = run_cli("classify", "欧盟对进口电动汽车加征关税", "医生提醒冬季预防流感")
    assert plain.returncode == 0, plain.stderr
    lines = plain.stdout.splitlines()
    assert lines[0].startswith("trade:") and lines[0].endswith("欧盟对进口电动汽车加征关税")
    assert lines[1].startswith("health:")
    js = run_cli("classify", "--json", "--top-k", "3", "欧盟对进口电动汽车加征关税")
    record = json.loads(js.stdout)
    assert record["label"] == "trade" and len(record["top_k"]) == 3
    assert abs(sum(record["scores"].values()) - 1) < 1e-6


def test_classify_reads_stdin_and_flags_blank_lines():
    out = run_cli("classify", stdin="法院一审判决受贿案\n\n东部战区开展联合演训\n")
    assert out.returncode == 3
    lines = out.stdout.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("crime:") and lines[1].startswith("error: ") and lines[2].startswith("security:")


def test_classify_explain():
    out = run_cli("classify", "--explain", "3", "美国宣布对墨西哥番茄征收关税")
    assert out.returncode == 0
    assert "because:" in out.stdout and "关税" in out.stdout


def test_info_shows_metadata():
    out = run_cli("info")
    assert out.returncode == 0
    assert "policy, trade, crime, health, security, other" in out.stdout
    assert "scikit-learn" in out.stdout
    meta = json.loads(run_cli("info", "--json").stdout)
    assert len(meta["model_sha256"]) == 64


def test_label_txt_file(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("海关公布上月进出口数据\n法院判决一起诈骗案\n", encoding="utf-8")
    dst = tmp_path / "out.jsonl"
    out = run_cli("label", str(src), "-o", str(dst), "--quiet", "--jobs", "1")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in rows] == ["海关公布上月进出口数据", "法院判决一起诈骗案"]
    assert [r["label"] for r in rows] == ["trade", "crime"]
    assert "labelled 2 of 2 rows" in out.stderr


def test_train_evaluate_and_info_on_user_data(tmp_path):
    data = tmp_path / "mine.tsv"
    data.write_text("label\ttext\n" + "".join(f"{l}\t{t}\n" for l, t in TINY), encoding="utf-8")
    model = tmp_path / "mine.joblib"
    out = run_cli("train", "--data", str(data), "--out", str(model), "--heldout", "0")
    assert out.returncode == 0, out.stderr
    assert model.exists() and model.with_suffix(".json").exists()
    config = json.loads(model.with_suffix(".json").read_text(encoding="utf-8"))["config"]
    assert config["hmm"] is False  # the shipped setting
    ev = run_cli("evaluate", str(data), "--model", str(model))
    assert ev.returncode == 0, ev.stderr
    assert "macro-F1" in ev.stdout and "health" in ev.stdout
    info = run_cli("info", "--model", str(model))
    assert "policy, trade, crime, health" in info.stdout


def test_train_py_is_the_same_command(tmp_path):
    data = tmp_path / "mine.tsv"
    data.write_text("label\ttext\n" + "".join(f"{l}\t{t}\n" for l, t in TINY), encoding="utf-8")
    import subprocess

    out = subprocess.run(
        [sys.executable, str(ROOT / "train.py"), "--data", str(data), "--out", str(tmp_path / "m.joblib"), "--heldout", "0", "--hmm"],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "saved" in out.stdout
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["config"]["hmm"] is True


@pytest.mark.parametrize(
    "args,message",
    [
        (("evaluate", "no/such/file.tsv"), "no such file"),
        (("label", "no/such/file.txt", "-o", "x.jsonl"), "no such file"),
        (("classify", "--model", "no/such/model.joblib", "关税"), "no model file"),
    ],
)
def test_data_errors_exit_1_with_one_line(args, message):
    out = run_cli(*args)
    assert out.returncode == 1
    assert message in out.stderr
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_bad_training_line_names_file_and_line(tmp_path):
    data = tmp_path / "bad.tsv"
    data.write_text("label\ttext\ntrade\t关税\ncrime\n", encoding="utf-8")
    out = run_cli("train", "--data", str(data), "--out", str(tmp_path / "m.joblib"))
    assert out.returncode == 1
    assert f"{data}:3" in out.stderr and "Traceback" not in out.stderr


def test_usage_errors_exit_2():
    assert run_cli().returncode == 2
    assert run_cli("classify", "--top-k", "zero").returncode == 2
    assert run_cli("fly").returncode == 2
