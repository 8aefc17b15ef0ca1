"""Training any label set, saving and loading, integrity and version checks."""

from __future__ import annotations

import json
import pickle
import warnings

import joblib
import numpy as np
import pytest

import textclass
from textclass import DataError, ModelIntegrityError, ModelVersionWarning
from textclass.persistence import sidecar_path

from .conftest import TINY


def test_overfit_then_save_and_reload_gives_identical_scores(tiny_model, tmp_path):
    texts = [t for _, t in TINY]
    labels = [l for l, _ in TINY]
    predicted = [p.label for p in tiny_model.classify_batch(texts)]
    assert sum(p == g for p, g in zip(predicted, labels)) >= len(labels) - 1
    path = tmp_path / "tiny.joblib"
    meta = tiny_model.save(path)
    assert sidecar_path(path).exists() and meta["model_sha256"]
    again = textclass.load(path)
    assert again.labels == tiny_model.labels == ("policy", "trade", "crime", "health")
    for a, b in zip(tiny_model.classify_batch(texts), again.classify_batch(texts)):
        assert a.scores == b.scores


def test_train_accepts_any_label_set():
    rain = ["今天下雨了", "明天会下大雨", "雨很大，记得带伞", "下雨路滑", "暴雨下了一整夜", "雨停了又下"]
    sun = ["阳光明媚", "晴空万里", "今天天气晴朗", "太阳很晒", "晴天适合晒被子", "阳光照进窗户"]
    clf = textclass.train(rain + sun, ["rain"] * 6 + ["sun"] * 6, cv=3)
    assert clf.labels == ("rain", "sun")
    p = clf.classify("外面在下雨")
    assert set(p.scores) == {"rain", "sun"}
    assert p.label == "rain"


def test_sklearn_estimator_contract(tiny_model):
    from sklearn.base import clone

    params = tiny_model.get_params()
    assert params["C"] == 0.5 and params["cv"] == 2
    fresh = clone(tiny_model)
    assert not hasattr(fresh, "pipeline_")
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="fit"):
        fresh.classify("关税")
    texts = [t for _, t in TINY]
    proba = tiny_model.predict_proba(texts)
    assert proba.shape == (len(texts), 4)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert list(tiny_model.predict(texts[:2])) == [tiny_model.classify(t).label for t in texts[:2]]


def test_label_with_one_example_is_a_clear_error():
    with pytest.raises(DataError, match=r"\['rare'\].*at least 2"):
        textclass.train(["关税", "出口", "进口", "疫苗"], ["trade", "trade", "trade", "rare"])


def test_model_file_does_not_embed_jieba_dictionary(tiny_model, tmp_path):
    path = tmp_path / "m.joblib"
    tiny_model.save(path)
    # jieba's dictionary alone is ~5 MB pickled; a 16-text model is a few KB.
    assert path.stat().st_size < 200_000
    blob = pickle.dumps(tiny_model.pipeline_)
    assert b"jieba.Tokenizer" not in blob and b"FREQ" not in blob


def test_shipped_model_metadata(shipped):
    meta = shipped.metadata
    assert meta["labels"] == list(textclass.LABELS)
    for name in ("textclass", "scikit-learn", "jieba", "python"):
        assert meta["versions"][name]
    assert len(meta["model_sha256"]) == 64
    assert meta["training_data"]["n_examples"] > 0
    assert set(meta["training_data"]["label_counts"]) == set(textclass.LABELS)
    assert meta["config"]["char_ngram_range"]
    assert "heldout" in meta["metrics"]


def test_modified_model_file_is_refused(tiny_model, tmp_path):
    path = tmp_path / "m.joblib"
    tiny_model.save(path)
    data = path.read_bytes()
    path.write_bytes(data[:-10])
    with pytest.raises(ModelIntegrityError, match="integrity"):
        textclass.load(path)


def test_model_without_sidecar_needs_opt_in(tiny_model, tmp_path):
    path = tmp_path / "m.joblib"
    joblib.dump(tiny_model.pipeline_, path)
    with pytest.raises(ModelIntegrityError, match="trust_unverified"):
        textclass.load(path)
    clf = textclass.load(path, trust_unverified=True)
    assert clf.classify("法院判决受贿案").label == tiny_model.classify("法院判决受贿案").label


def test_version_mismatch_warns_with_what_to_do(tiny_model, tmp_path):
    path = tmp_path / "m.joblib"
    tiny_model.save(path)
    side = sidecar_path(path)
    meta = json.loads(side.read_text(encoding="utf-8"))
    meta["versions"]["scikit-learn"] = "0.24.2"
    side.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.warns(ModelVersionWarning, match=r"scikit-learn 0\.24\.2.*python train\.py"):
        textclass.load(path)


def test_failed_save_leaves_previous_model_intact(tiny_model, tmp_path, monkeypatch):
    path = tmp_path / "m.joblib"
    tiny_model.save(path)
    before = path.read_bytes(), sidecar_path(path).read_bytes()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(joblib, "dump", explode)
    with pytest.raises(RuntimeError, match="disk full"):
        tiny_model.save(path)
    assert (path.read_bytes(), sidecar_path(path).read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.joblib", "m.json"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        textclass.load(path)


def test_class_weight_raises_the_weighted_label(tiny_model):
    texts = [t for _, t in TINY]
    labels = [l for l, _ in TINY]
    probe = "海关公布数据 医生提醒"
    plain = textclass.train(texts, labels, cv=2).classify(probe).scores["health"]
    heavy = textclass.train(texts, labels, cv=2, class_weight={"health": 5.0}).classify(probe).scores["health"]
    assert heavy > plain
    balanced = textclass.train(texts, labels, cv=2, class_weight="balanced")
    assert balanced.labels == tiny_model.labels
    with pytest.raises(ValueError, match="class_weight"):
        textclass.train(texts, labels, cv=2, class_weight=3)


def test_fast_transform_equals_scikit_learn_transform(shipped):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["美国宣布对墨西哥番茄征收20.91%的关税", "法院判决诈骗案", "ＷＴＯ裁定", "未知词汇组合xyz", "香港警方拘捕兩名男子"]
    vectorizer = shipped.pipeline_.named_steps["tfidf"]
    ours = vectorizer.transform(texts)
    reference = TfidfVectorizer.transform(vectorizer, texts)
    assert ours.shape == reference.shape
    assert abs(ours - reference).max() < 1e-6
    with pytest.raises(ValueError, match="string object received"):
        vectorizer.transform("关税")
