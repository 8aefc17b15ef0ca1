"""train.py's engine: deterministic, reports held-out metrics, records its data in the sidecar."""

from __future__ import annotations

import json

from textclass.training import train_from_files

from .conftest import TINY


def write_corpus(folder):
    folder.mkdir()
    rows = TINY + [(l, t + "，记者从有关方面获悉") for l, t in TINY] + [(l, "据报道，" + t) for l, t in TINY]
    (folder / "corpus.tsv").write_text("label\ttext\n" + "".join(f"{l}\t{t}\n" for l, t in rows), encoding="utf-8")
    (folder / "lexicon").mkdir()
    (folder / "lexicon" / "terms.tsv").write_text("label\tterm\ntrade\t反倾销\nhealth\t高血压\n", encoding="utf-8")


def test_training_is_deterministic_and_recorded(tmp_path):
    data = tmp_path / "data"
    write_corpus(data)
    logs: list[str] = []
    first = train_from_files(data, tmp_path / "a.joblib", heldout_fraction=0.25, log=logs.append)
    second = train_from_files(data, tmp_path / "b.joblib", heldout_fraction=0.25, log=lambda _: None)
    probe = ["海关发布进口数据", "法院审理盗窃案", "医生谈高血压"]
    assert [p.scores for p in first.classify_batch(probe)] == [p.scores for p in second.classify_batch(probe)]
    text = "\n".join(logs)
    assert "48 examples from 1 files; lexicon: 2 terms" in text
    assert "macro-F1" in text and "precision" in text
    meta = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert meta["training_data"]["n_examples"] == 48 and meta["training_data"]["n_lexicon_terms"] == 2
    assert meta["training_data"]["label_counts"] == {"crime": 12, "health": 12, "policy": 12, "trade": 12}
    assert meta["training_data"]["sha256"] == json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["training_data"]["sha256"]
    assert 0 <= meta["metrics"]["heldout"]["macro_f1"] <= 1 and meta["metrics"]["heldout"]["n"] == 12


def test_headline_weight_is_applied_and_recorded(tmp_path):
    data = tmp_path / "data"
    write_corpus(data)
    (data / "long.tsv").write_text(
        "label\ttext\n"
        + "trade\t据海关总署最新发布的数据，今年前十个月我国货物贸易进出口总值同比增长，其中出口增速快于进口，贸易顺差继续扩大，机电产品出口占比超过一半。\n"
        + "crime\t市中级人民法院今天对这起特大电信诈骗案作出一审宣判，主犯被判处有期徒刑十五年，并处罚金，其余被告人分别被判处三年至十年不等的有期徒刑。\n",
        encoding="utf-8",
    )
    plain = train_from_files(data, tmp_path / "a.joblib", heldout_fraction=0, headline_weight=1.0, log=lambda _: None)
    heavy = train_from_files(data, tmp_path / "b.joblib", heldout_fraction=0, headline_weight=3.0, log=lambda _: None)
    probe = "海关数据显示出口增长 法院宣判诈骗案"
    assert plain.classify(probe).scores != heavy.classify(probe).scores
    meta = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert meta["training_data"]["headline_weight"] == 3.0 and meta["training_data"]["headline_max_chars"] == 40
