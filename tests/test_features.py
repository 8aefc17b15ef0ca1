"""The batch feature path and the direct probability path give exactly what scikit-learn gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

import textclass
from textclass import inference
from textclass.text import normalize, normalize_batch

from .conftest import TINY

TRICKY = [
    "美国宣布对墨西哥番茄征收20.91%的关税",
    "ＷＴＯ裁定：美国关税违规　全角空格",
    "香港警方拘捕兩名男子，涉嫌詐騙長者",
    "  前后有空格\t和制表符\n还有换行  ",
    "İstanbul ΟΔΥΣΣΕΥΣ Straße",  # lower() that changes length; Greek final sigma
    "e\u0301 ﬁ ㎏ ① 兼容字符",  # NFKC-only changes
    "😀 emoji 和 \ud800 孤立代理",
    "关税\x00\x07控制字符",
    "x",
    "中",
    "中华人民共和国国务院新闻办公室举行发布会",  # words longer than three characters
    "Tariffs on steel imports rise to 25 percent",
]


def assert_same_matrix(ours, reference):
    assert ours.shape == reference.shape
    assert ours.nnz == reference.nnz
    assert abs(ours - reference).max() == 0 if ours.nnz else True


def test_batch_features_equal_the_analyzer_text_by_text(shipped):
    vectorizer = shipped.pipeline_.named_steps["tfidf"]
    assert vectorizer._batch_featurizer() is not None
    assert_same_matrix(vectorizer.transform(TRICKY), TfidfVectorizer.transform(vectorizer, TRICKY))
    for text in TRICKY:  # one text at a time too (no neighbours to leak n-grams across)
        assert_same_matrix(vectorizer.transform([text]), TfidfVectorizer.transform(vectorizer, [text]))


@pytest.mark.parametrize(
    "params",
    [
        {"char_ngram_range": (1, 3)},
        {"word_ngram_range": (0, 0), "char_ngram_range": (2, 3)},
        {"char_ngram_range": (0, 0), "hmm": False},
        {"word_ngram_range": (1, 2)},  # not batchable: falls back to the per-text path
    ],
)
def test_other_feature_settings_give_the_same_matrix(params):
    clf = textclass.train([t for _, t in TINY], [l for l, _ in TINY], cv=2, **params)
    vectorizer = clf.pipeline_.named_steps["tfidf"]
    batchable = params.get("word_ngram_range", (1, 1))[1] <= 1
    assert (vectorizer._batch_featurizer() is not None) == batchable
    assert_same_matrix(vectorizer.transform(TRICKY), TfidfVectorizer.transform(vectorizer, TRICKY))


def test_refitting_a_vectorizer_rebuilds_its_tables(tiny_model):
    vectorizer = tiny_model.pipeline_.named_steps["tfidf"]
    fresh = type(vectorizer)(**vectorizer.get_params())
    fresh.fit(["海关 关税", "法院 判决"])
    fresh.transform(["关税"])
    fresh.fit(["医生 提醒 高血压", "军队 演习"])
    assert_same_matrix(fresh.transform(["高血压 演习"]), TfidfVectorizer.transform(fresh, ["高血压 演习"]))


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=30), min_size=1, max_size=8))
def test_batch_normalisation_equals_text_by_text(texts):
    assert normalize_batch(texts) == [normalize(text) for text in texts]


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.sampled_from("关税法院医生军队 \u3000ＡＢａb兩國.%，\n"), max_size=20), min_size=1, max_size=5))
def test_batch_features_equal_on_arbitrary_text(texts):
    vectorizer = textclass.default_classifier().pipeline_.named_steps["tfidf"]
    assert_same_matrix(vectorizer.transform(texts), TfidfVectorizer.transform(vectorizer, texts))


def test_direct_probabilities_equal_scikit_learn(shipped):
    assert inference.supports_direct(shipped.pipeline_)
    ours = inference.predict_proba(shipped.pipeline_, TRICKY)
    reference = shipped.pipeline_.predict_proba(TRICKY)
    np.testing.assert_allclose(ours, reference, rtol=0, atol=1e-12)
    np.testing.assert_allclose(shipped.predict_proba(TRICKY), reference, rtol=0, atol=1e-12)


@pytest.mark.parametrize("calibration", ["isotonic", "temperature"])
def test_other_calibrations_go_through_scikit_learn(calibration):
    texts, labels = [t for _, t in TINY], [l for l, _ in TINY]
    clf = textclass.train(texts, labels, cv=2, calibration=calibration)
    assert not inference.supports_direct(clf.pipeline_)
    np.testing.assert_allclose(clf.predict_proba(TRICKY), clf.pipeline_.predict_proba(TRICKY), rtol=0, atol=1e-12)


def test_binary_model_probabilities_equal_scikit_learn():
    rows = [(l, t) for l, t in TINY if l in ("trade", "crime")]
    clf = textclass.train([t for _, t in rows], [l for l, _ in rows], cv=2)
    assert inference.supports_direct(clf.pipeline_)
    np.testing.assert_allclose(clf.predict_proba(TRICKY), clf.pipeline_.predict_proba(TRICKY), rtol=0, atol=1e-12)
