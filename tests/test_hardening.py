"""Odd input, threads, forked workers, and a property test over arbitrary strings."""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import textclass
from textclass import EmptyTextError

ODD_INPUTS = {
    "control characters": "关税\x00\x07\x1b[31m上调\x7f",
    "lone surrogate": "关税\ud800上调",
    "emoji": "😂😂 世界杯决赛太精彩了 🏆⚽",
    "pure English": "Tariffs on steel imports rise to 25 percent",
    "digits": "20251127 3.1415926 100%",
    "HTML markup": "<div class='t'><a href='x'>海关总署：前三季度出口增长</a></div>",
    "full-width": "ＷＴＯ裁定：美国关税违规",
    "10,000 characters, no punctuation": "关税" * 5000,
    "zero-width and BOM": "\ufeff\u200b关税\u200d上调",
    "right-to-left mark": "\u200f关税上调",
}


def assert_valid(p, labels=textclass.LABELS):
    assert p.label in labels and p.error is None
    assert math.isclose(sum(p.scores.values()), 1.0, abs_tol=1e-6)
    assert p.score == p.scores[p.label]


@pytest.mark.parametrize("name", sorted(ODD_INPUTS))
def test_odd_input_gets_a_valid_prediction(shipped, name):
    assert_valid(shipped.classify(ODD_INPUTS[name]))


def test_a_one_megabyte_text_in_bounded_time(shipped):
    text = ("海关总署今天发布数据前十个月我国货物贸易进出口总值同比增长，" * 12000)[:350_000]
    assert len(text.encode("utf-8")) >= 1_000_000
    start = time.perf_counter()
    p = shipped.classify(text)
    assert time.perf_counter() - start < 20  # the 5 s target is measured in benchmarks/
    assert_valid(p)


FUZZ_EXAMPLES = int(os.environ.get("TEXTCLASS_FUZZ_EXAMPLES", "60"))  # benchmarks/fuzz.py runs 10,000


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=40), min_size=1, max_size=6))
def test_any_string_gives_a_prediction_or_the_documented_error(texts):
    clf = textclass.default_classifier()
    singles = []
    for text in texts:
        try:
            p = clf.classify(text)
        except EmptyTextError:
            assert not text.strip() or not __import__("unicodedata").normalize("NFKC", text).strip()
            singles.append(None)
            continue
        assert_valid(p)
        singles.append(p)
    batch = clf.classify_batch(texts, errors="flag")
    assert len(batch) == len(texts)
    for single, flagged in zip(singles, batch):
        if single is None:
            assert flagged.label is None and "empty" in flagged.error
        else:
            assert flagged.label == single.label
            assert flagged.scores == pytest.approx(single.scores, abs=1e-9)


def test_eight_threads_agree_with_sequential_calls(shipped):
    texts = [f"{t}{i}" for i, t in enumerate(["海关公布进出口数据", "法院判决诈骗案", "医生提醒预防流感", "东部战区开展演训"] * 25)]
    expected = [shipped.classify(t).scores for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda t: shipped.classify(t).scores, texts))
        compiled = list(pool.map(lambda t: textclass.classify(t).scores, texts))  # the module functions' compiled model
    assert got == expected
    assert compiled == [textclass.classify(t).scores for t in texts]
    assert [max(s, key=s.get) for s in compiled] == [max(s, key=s.get) for s in expected]


def test_first_use_from_many_threads_in_a_fresh_process(tmp_path):
    script = textwrap.dedent(
        """
        from concurrent.futures import ThreadPoolExecutor
        import textclass
        texts = ["海关公布进出口数据", "法院判决诈骗案", "医生提醒预防流感", "东部战区开展演训"] * 4
        with ThreadPoolExecutor(max_workers=8) as pool:
            labels = list(pool.map(lambda t: textclass.classify(t).label, texts))
        print(",".join(labels[:4]))
        """
    )
    env = {**os.environ, "TEXTCLASS_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "trade,crime,health,security"
    assert (tmp_path / "cache" / "jieba" / "jieba.cache").exists()
    assert "Building prefix dict" not in out.stderr and "Loading model" not in out.stderr


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_forked_workers_reuse_the_loaded_model():
    script = textwrap.dedent(
        """
        import os, textclass, textclass.api
        textclass.classify("预热")
        def refuse(*args, **kwargs):
            raise SystemExit("model reloaded in the child")
        textclass.api.load = refuse
        pid = os.fork()
        if pid == 0:
            label = textclass.classify("法院判决诈骗案").label
            os._exit(0 if label == "crime" else 3)
        _, status = os.waitpid(pid, 0)
        print(os.waitstatus_to_exitcode(status))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"


def test_import_has_no_side_effects():
    script = textwrap.dedent(
        """
        import logging, sys, warnings
        import sklearn.base, sklearn.svm  # third-party filters registered before the baseline
        before = (list(logging.getLogger().handlers), list(warnings.filters), logging.getLogger("jieba").level)
        import textclass
        after = (list(logging.getLogger().handlers), list(warnings.filters), logging.getLogger("jieba").level)
        print(before == after, "jieba" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "False"]
    assert out.stderr == ""


def test_missing_fast_backend_falls_back_to_jieba_with_a_warning():
    script = textwrap.dedent(
        """
        import sys, warnings
        sys.modules["jieba_fast_dat"] = None  # make the optional package unimportable
        import textclass
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            clf = textclass.load(backend="jieba_fast_dat")
            label = clf.classify("美国宣布对墨西哥番茄征收20.91%的关税").label
        kinds = [w.category.__name__ for w in caught]
        print(label, "BackendWarning" in kinds, clf.metadata["backend"])
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["trade", "True", "jieba_fast_dat"]


def test_fast_backend_gives_the_same_labels(shipped):
    pytest.importorskip("jieba_fast_dat")
    texts = ["美国宣布对墨西哥番茄征收20.91%的关税", "法院判决诈骗案", "医生提醒预防流感", "东部战区开展演训", "中超联赛第十轮"]
    fast = textclass.load(backend="jieba_fast_dat")
    assert fast.metadata["backend"] == "jieba_fast_dat"
    assert [p.label for p in fast.classify_batch(texts)] == [p.label for p in shipped.classify_batch(texts)]
    with pytest.raises(ValueError, match="backend"):
        fast.use_backend("pkuseg")
