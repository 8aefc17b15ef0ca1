"""Long documents, Traditional Chinese and full-width input."""

from __future__ import annotations

import json

import pytest

import textclass
from textclass import label_file, split_paragraphs
from textclass.text import normalize

MIXED = """市政府工作报告提出，今年全市地区生产总值增长百分之六，新开工重点项目一百二十个，招商引资到位资金突破八百亿元，营商环境评价进入全省前列。

  某区人民法院公告：被告人王某以投资理财为名骗取他人钱款，犯诈骗罪，判处有期徒刑三年，并处罚金五万元。
市疾控中心提醒：近期流感进入高发期，老人和儿童应尽早接种疫苗，出现发热咳嗽及时就医。
"""

# Pairs written by the team: the same headline in Traditional (Taiwan/Hong Kong usage) and Simplified script.
PAIRS = [
    ("美國宣布對進口鋼鐵加徵關稅", "美国宣布对进口钢铁加征关税"),
    ("衛生福利部提醒民眾接種流感疫苗", "卫生福利部提醒民众接种流感疫苗"),
    ("香港警方拘捕兩名涉嫌詐騙長者的男子", "香港警方拘捕两名涉嫌诈骗长者的男子"),
    ("國防部：共軍軍機今日再度擾臺", "国防部：共军军机今日再度扰台"),
    ("港股收市恆指升三百點", "港股收市恒指升三百点"),
    ("行政院會通過明年度總預算案", "行政院会通过明年度总预算案"),
]


def test_paragraphs_of_a_mixed_document_get_their_own_labels():
    doc = textclass.classify_document(MIXED)
    assert [p.label for p in doc.paragraphs] == ["policy", "crime", "health"]
    assert doc.label in {"policy", "crime", "health"}
    assert sum(doc.scores.values()) == pytest.approx(1.0)
    assert doc.score == max(doc.scores.values())


def test_spans_round_trip_to_the_original_text():
    doc = textclass.classify_document(MIXED)
    pieces = [MIXED[s:e] for s, e in (p.span for p in doc.paragraphs)]
    assert pieces[1].startswith("某区人民法院公告") and pieces[1].endswith("罚金五万元。")
    assert all(piece == piece.strip() for piece in pieces)


def test_long_paragraph_is_split_at_sentence_ends():
    sentence = "海关总署今天发布数据，前十个月我国货物贸易进出口总值同比增长百分之五。"
    text = sentence * 20
    spans = split_paragraphs(text, max_chars=120)
    assert len(spans) > 1
    assert "".join(text[s:e] for s, e in spans) == text
    assert all(text[s:e].endswith("。") and e - s <= 120 for s, e in spans)


@pytest.mark.parametrize("traditional,simplified", PAIRS)
def test_traditional_and_simplified_get_the_same_label(shipped, traditional, simplified):
    assert normalize(traditional) == normalize(simplified)
    a, b = shipped.classify(traditional), shipped.classify(simplified)
    assert a.label == b.label
    assert a.scores == pytest.approx(b.scores, abs=1e-6)


def test_full_width_and_mixed_script_are_normalised(shipped):
    assert normalize("ＷＴＯ裁定：２０２５年") == "wto裁定:2025年"
    a = shipped.classify("ＷＴＯ裁定美方加征关税违规")
    b = shipped.classify("WTO裁定美方加征关税违规")
    assert a.label == b.label == "trade"


def test_label_file_split_paragraphs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "report.txt").write_text(MIXED, encoding="utf-8")
    (folder / "short.txt").write_text("东部战区组织海空兵力开展联合演训", encoding="utf-8")
    label_file(folder, tmp_path / "out.jsonl", n_jobs=1, progress=False, split_paragraphs=True)
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["path"], r["doc"], r["paragraph"], r["label"]) for r in rows] == [
        ("report.txt", 1, 0, "policy"),
        ("report.txt", 1, 1, "crime"),
        ("report.txt", 1, 2, "health"),
        ("short.txt", 2, 0, "security"),
    ]
    assert rows[1]["text"].startswith("某区人民法院公告")
