"""The compiled (array) form of a model: same probabilities, cached by SHA-256, no scikit-learn on the fast path."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import textclass
from textclass import ModelIntegrityError
from textclass.compiled import CompiledModel, cache_path, load_compiled
from textclass.parallel import ModelRef, resolve

from .conftest import TINY
from .test_features import TRICKY

HEADLINES = ["海关总署：前十个月进出口总值增长", "男子网购诈骗被判三年", "秋季流感高发 医生提醒接种疫苗", "航母编队开展远海训练", "国足主场两球取胜", "省政府出台稳就业措施"]


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TEXTCLASS_CACHE_DIR", str(folder))
    return folder


def test_compiled_probabilities_equal_the_pipeline(shipped):
    compiled = CompiledModel.from_classifier(shipped)
    texts = TRICKY + HEADLINES
    np.testing.assert_allclose(compiled.predict_proba(texts), shipped.pipeline_.predict_proba(texts), rtol=0, atol=1e-12)
    ours, theirs = compiled.classify_batch(texts), shipped.classify_batch(texts)
    assert [p.label for p in ours] == [p.label for p in theirs]
    assert compiled.labels == shipped.labels and compiled.metadata["model_sha256"] == shipped.metadata["model_sha256"]


def test_first_load_compiles_and_caches_then_loads_from_cache(cache, shipped):
    first = load_compiled()
    sha = shipped.metadata["model_sha256"]
    assert isinstance(first, CompiledModel) and cache_path(sha).exists()
    second = load_compiled()
    assert [p.scores for p in second.classify_batch(HEADLINES)] == [p.scores for p in first.classify_batch(HEADLINES)]
    cache_path(sha).write_bytes(b"not an npz file")  # a damaged cache is rebuilt, not trusted
    third = load_compiled()
    assert [p.label for p in third.classify_batch(HEADLINES)] == [p.label for p in first.classify_batch(HEADLINES)]
    assert cache_path(sha).stat().st_size > 1000


def test_module_functions_start_without_scikit_learn(tmp_path):
    env = {**os.environ, "TEXTCLASS_CACHE_DIR": str(tmp_path / "cache")}
    script = textwrap.dedent(
        """
        import sys, textclass
        p = textclass.classify("海关总署：前十个月进出口总值增长")
        print(p.label, "sklearn" in sys.modules)
        """
    )
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300) for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    assert runs[0].stdout.split() == ["trade", "True"]  # first use compiles the model (and needs scikit-learn)
    assert runs[1].stdout.split() == ["trade", "False"]  # later processes load the cached arrays only


def test_module_functions_match_the_estimator(shipped):
    for text in HEADLINES:
        fast, estimator = textclass.classify(text), shipped.classify(text)
        assert fast.label == estimator.label
        assert fast.scores == pytest.approx(estimator.scores, abs=1e-12)


def test_pipelines_without_a_compiled_form_load_as_estimators(tmp_path, cache):
    path = tmp_path / "isotonic.joblib"
    textclass.train([t for _, t in TINY], [l for l, _ in TINY], cv=2, calibration="isotonic").save(path)
    model = load_compiled(path)
    assert isinstance(model, textclass.Classifier)
    assert model.classify("法院判决盗窃案").label in model.labels


def test_modified_model_file_is_refused(tmp_path, cache, tiny_model):
    path = tmp_path / "m.joblib"
    tiny_model.save(path)
    assert isinstance(load_compiled(path), CompiledModel)
    with open(path, "ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelIntegrityError, match="integrity"):
        load_compiled(path)


def test_workers_resolve_a_model_file_to_its_compiled_form(tmp_path, cache, tiny_model):
    path = tmp_path / "m.joblib"
    meta = tiny_model.save(path)
    model = resolve(ModelRef(str(path), meta["model_sha256"]))
    assert isinstance(model, CompiledModel)
    probe = [t for _, t in TINY]
    np.testing.assert_allclose(model._proba_in_label_order(probe), tiny_model._proba_in_label_order(probe), rtol=0, atol=1e-12)


def test_damaged_jieba_dictionary_cache_is_rebuilt(tmp_path):
    folder = tmp_path / "cache"
    (folder / "jieba").mkdir(parents=True)
    import jieba

    (folder / "jieba" / f"prefix-dict-{jieba.__version__}.pickle").write_bytes(b"\x80\x05garbage")
    script = "from textclass.segment import get_cutter; print('/'.join(get_cutter('jieba', False)('海关总署公布进出口数据')))"
    env = {**os.environ, "TEXTCLASS_CACHE_DIR": str(folder)}
    for _ in range(2):  # rebuilt on the first run, read on the second
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "海关总署/公布/进出口/数据"


def test_cache_keeps_only_the_newest_compiled_models(tmp_path, cache, tiny_model):
    from textclass.compiled import MAX_CACHED_MODELS

    folder = cache / "models"
    folder.mkdir(parents=True)
    for i in range(MAX_CACHED_MODELS + 3):
        stale = folder / f"{i:064d}.v1.npz"
        stale.write_bytes(b"old")
        os.utime(stale, (1_000_000 + i, 1_000_000 + i))
    path = tmp_path / "m.joblib"
    meta = tiny_model.save(path)
    load_compiled(path)
    left = sorted(f.name for f in folder.glob("*.npz"))
    assert len(left) == MAX_CACHED_MODELS
    assert cache_path(meta["model_sha256"]).name in left and f"{0:064d}.v1.npz" not in left


def test_jieba_version_mismatch_warns_on_the_cached_path_too(tmp_path, cache, tiny_model):
    import json

    from textclass import ModelVersionWarning

    path = tmp_path / "m.joblib"
    tiny_model.save(path)
    sidecar = path.with_suffix(".json")
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    meta["versions"]["jieba"] = "0.1.0"
    sidecar.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.warns(ModelVersionWarning, match="jieba 0.1.0"):
        load_compiled(path)  # compiles: the estimator's load checks the versions
    with pytest.warns(ModelVersionWarning, match="jieba 0.1.0.*train.py"):
        assert isinstance(load_compiled(path), CompiledModel)  # from the cache
