"""The public API contract: names, types, probabilities, batch behaviour, input errors."""

from __future__ import annotations

import math

import pytest

import textclass
from textclass import EmptyTextError, Prediction
from textclass.parallel import PARALLEL_MIN_TEXTS

CLEAR_CASES = [
    ("美国宣布对墨西哥番茄征收20.91%的关税", "trade"),
    ("海关总署公布前十个月外贸进出口数据", "trade"),
    ("市政府工作报告：全年新开工重点项目一百二十个", "policy"),
    ("男子冒充银行客服诈骗老人积蓄被判刑", "crime"),
    ("原副局长受贿案一审宣判", "crime"),
    ("医生提醒：经常熬夜的人要当心心脏问题", "health"),
    ("流感高发季 疾控中心建议及时接种疫苗", "health"),
    ("国家安全机关破获一起境外间谍窃密案", "security"),
    ("东部战区组织海空兵力开展联合演训", "security"),
    ("中超第十轮 主队两球取胜", "other"),
    ("今年高考志愿填报时间公布", "other"),
]


def test_labels_are_the_six_in_order():
    assert textclass.LABELS == ("policy", "trade", "crime", "health", "security", "other")


def test_public_names_exist():
    for name in ("classify", "classify_batch", "load", "train", "explain", "label_file", "Prediction", "Classifier"):
        assert name in textclass.__all__
        assert hasattr(textclass, name)


def test_classify_returns_a_calibrated_prediction():
    p = textclass.classify("美国宣布对墨西哥番茄征收20.91%的关税")
    assert isinstance(p, Prediction)
    assert p.label == "trade"
    assert list(p.scores) == list(textclass.LABELS)
    assert math.isclose(sum(p.scores.values()), 1.0, abs_tol=1e-6)
    assert all(0.0 <= s <= 1.0 for s in p.scores.values())
    assert p.score == p.scores[p.label] == max(p.scores.values())


@pytest.mark.parametrize("text,label", CLEAR_CASES)
def test_clear_cases_get_their_label(shipped, text, label):
    assert shipped.classify(text).label == label


def test_prediction_is_frozen_and_serialisable():
    p = textclass.classify("海关总署公布前十个月外贸进出口数据")
    with pytest.raises(AttributeError):
        p.label = "other"  # type: ignore[misc]
    d = p.to_dict()
    assert d["label"] == p.label and d["score"] == p.score and d["scores"] == p.scores
    assert "error" not in d
    assert p.top(2)[0] == (p.label, p.score)
    assert len(p.top(6)) == 6 and p.top(6)[1][1] <= p.top(6)[0][1]


def test_batch_equals_one_by_one_and_accepts_a_generator(shipped):
    texts = [t for t, _ in CLEAR_CASES]
    batch = shipped.classify_batch(t for t in texts)
    assert len(batch) == len(texts)
    for text, p in zip(texts, batch):
        single = shipped.classify(text)
        assert p.label == single.label
        assert p.scores == pytest.approx(single.scores, abs=1e-9)


def test_module_level_batch_matches_classifier(shipped):
    texts = [t for t, _ in CLEAR_CASES[:4]]
    assert [p.label for p in textclass.classify_batch(texts)] == [p.label for p in shipped.classify_batch(texts)]


def test_empty_batch_is_empty_list(shipped):
    assert shipped.classify_batch([]) == []


@pytest.mark.parametrize("bad", ["", "   ", "\n\t", "\u3000"])
def test_empty_text_raises(shipped, bad):
    with pytest.raises(EmptyTextError, match="empty"):
        shipped.classify(bad)
    assert issubclass(EmptyTextError, ValueError)


@pytest.mark.parametrize("bad,type_name", [(None, "NoneType"), (b"bytes", "bytes"), (42, "int")])
def test_non_str_raises_type_error_naming_the_type(shipped, bad, type_name):
    with pytest.raises(TypeError, match=type_name):
        shipped.classify(bad)


def test_batch_error_names_the_position(shipped):
    with pytest.raises(EmptyTextError, match="batch item 2"):
        shipped.classify_batch(["关税", "疫苗", " "])
    with pytest.raises(TypeError, match="batch item 1.*NoneType"):
        shipped.classify_batch(["关税", None])


def test_batch_flags_bad_items_and_labels_the_rest(shipped):
    out = shipped.classify_batch(["欧盟对进口钢铁启动反倾销调查", "", None], errors="flag")
    assert out[0].label == "trade" and out[0].error is None
    assert out[1].label is None and "empty" in out[1].error
    assert out[2].label is None and "NoneType" in out[2].error


def test_single_string_to_batch_is_rejected(shipped):
    with pytest.raises(TypeError, match="single str"):
        shipped.classify_batch("关税")


def test_parallel_batch_equals_serial(shipped):
    base = [t for t, _ in CLEAR_CASES]
    texts = [f"{t}（第{i}条）" for i in range(200) for t in base]
    assert len(texts) >= PARALLEL_MIN_TEXTS
    serial = shipped.classify_batch(texts, n_jobs=1)
    parallel = shipped.classify_batch(texts, n_jobs=2)
    assert [p.label for p in parallel] == [p.label for p in serial]
    assert all(a.scores == pytest.approx(b.scores, abs=1e-9) for a, b in zip(serial[::97], parallel[::97]))


def test_explain_names_the_driving_terms(shipped):
    terms = shipped.explain("美国宣布对墨西哥番茄征收20.91%的关税", k=5)
    assert 1 <= len(terms) <= 5
    assert any("关税" in term or "番茄" in term or "税" == term for term, _ in terms)
    weights = [w for _, w in terms]
    assert weights == sorted(weights, reverse=True) and weights[0] > 0
