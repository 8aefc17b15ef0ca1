"""Issue 4: textclass against the jieba floor and fastText, latency, cold start, training, size, memory.

    python benchmarks/speed.py            # writes benchmarks/results/speed.json and prints a table
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, corpus_paragraphs, dev_set, machine, median_seconds, run_measured, save

ROUNDS = 5


def fasttext_peer(train_texts, train_labels, texts, dev):
    """Train fastText on jieba-segmented corpus text; time jieba + predict on ``texts``."""
    try:
        import fasttext
    except ImportError:
        return {"skipped": "fasttext not installed (pip install fasttext-numpy2-wheel)"}
    import jieba

    from textclass.text import normalize

    def segment(text):
        return " ".join(w for w in jieba.lcut(normalize(text)) if not w.isspace())

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "train.txt"
        path.write_text("".join(f"__label__{l} {segment(t)}\n" for t, l in zip(train_texts, train_labels)), encoding="utf-8")
        # Of the settings tried (word n-grams 1-2, with and without character subwords), word
        # bigrams plus character 1-2-gram subwords scored best on the dev set: the fair peer.
        model = fasttext.train_supervised(
            str(path), epoch=25, lr=0.5, wordNgrams=2, minn=1, maxn=2, dim=100, seed=0, thread=1, verbose=0
        )

    def predict(batch):
        return model.predict([segment(t) for t in batch])[0]

    seconds = median_seconds(lambda: predict(texts), ROUNDS)
    result = {"texts_per_second": len(texts) / seconds}
    if dev:
        from sklearn.metrics import f1_score

        predicted = [labels[0].replace("__label__", "") for labels in predict(dev[0])]
        result["dev_macro_f1"] = f1_score(dev[1], predicted, average="macro")
    return result


def main() -> int:
    import jieba

    import textclass
    from textclass.data import read_labelled, read_lexicon
    from textclass.evaluation import evaluate

    dev = dev_set()
    texts = (dev[0] if dev else []) + corpus_paragraphs(1000)
    clf = textclass.load()
    clf.classify("预热")
    jieba.lcut("预热")
    results: dict = {"machine": machine(), "n_texts": len(texts), "rounds": ROUNDS, "backend": clf.metadata["backend"], "hmm": clf.get_params()["hmm"]}

    textclass.classify("预热")
    floor = median_seconds(lambda: [jieba.lcut(t) for t in texts], ROUNDS)
    floor_no_hmm = median_seconds(lambda: [jieba.lcut(t, HMM=False) for t in texts], ROUNDS)
    ours = median_seconds(lambda: textclass.classify_batch(texts), ROUNDS)
    estimator = median_seconds(lambda: clf.classify_batch(texts), ROUNDS)
    results["jieba_lcut_per_second"] = len(texts) / floor
    results["jieba_lcut_no_hmm_per_second"] = len(texts) / floor_no_hmm
    results["classify_batch_per_second"] = len(texts) / ours
    results["ratio_vs_jieba"] = floor / ours
    results["ratio_vs_jieba_no_hmm"] = floor_no_hmm / ours
    results["estimator_classify_batch_per_second"] = len(texts) / estimator

    latencies = []
    for text in texts[:2000]:
        start = time.perf_counter()
        textclass.classify(text)
        latencies.append(time.perf_counter() - start)
    latencies.sort()
    results["latency_ms_p50"] = 1000 * latencies[len(latencies) // 2]
    results["latency_ms_p99"] = 1000 * latencies[int(len(latencies) * 0.99)]

    many = [f"{t}" for t in (texts * (20_000 // len(texts) + 1))[:24_000]]
    clf.classify_batch(many[:3000], n_jobs=2)  # start the worker pool once
    one = median_seconds(lambda: clf.classify_batch(many, n_jobs=1), 3)
    two = median_seconds(lambda: clf.classify_batch(many, n_jobs=2), 3)
    results["n_jobs_texts"] = len(many)
    results["n_jobs_2_speedup"] = one / two

    code = "import textclass; textclass.classify('海关总署公布前十个月进出口数据')"
    subprocess.run([sys.executable, "-c", code], check=True)  # make sure the caches (jieba, compiled model) exist
    colds = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        colds.append(time.perf_counter() - start)
    results["cold_start_seconds"] = statistics.median(colds)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sklearn.svm, sklearn.calibration, sklearn.feature_extraction.text"], check=True)
    results["sklearn_import_seconds"] = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as folder:
        out, seconds, peak = run_measured([sys.executable, str(ROOT / "train.py"), "--out", str(Path(folder) / "m.joblib")], cwd=ROOT)
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            return 1
        results["train_seconds"] = seconds
        results["train_peak_rss_mb"] = peak / 1e6
    model_path = Path(clf.source_path_)
    results["model_mb"] = model_path.stat().st_size / 1e6

    probe = "import sys, textclass; from benchmarks.common import corpus_paragraphs, dev_set; d = dev_set(); t = (d[0] if d else []) + corpus_paragraphs(1000); textclass.classify_batch(t * 5)"
    _, _, peak = run_measured([sys.executable, "-c", probe], cwd=ROOT)
    results["classify_peak_rss_mb"] = peak / 1e6

    data = read_labelled(ROOT / "data")
    lexicon = read_lexicon(ROOT / "data" / "lexicon")
    results["fasttext_settings"] = "epoch=25 lr=0.5 wordNgrams=2 minn=1 maxn=2 dim=100, jieba-segmented normalised text"
    results["fasttext"] = fasttext_peer(data.texts + lexicon.texts, data.labels + lexicon.labels, texts, dev)
    if "texts_per_second" in results["fasttext"]:
        results["fasttext"]["ratio_vs_jieba"] = results["fasttext"]["texts_per_second"] / results["jieba_lcut_per_second"]
    if dev:
        results["dev_macro_f1"] = evaluate(clf, *dev)["macro_f1"]

    path = save("speed", results)
    print(table(results))
    print(f"\nwrote {path}")
    return 0


def table(r: dict) -> str:
    ft = r.get("fasttext", {})
    rows = [
        ("jieba.lcut alone (floor)", f"{r['jieba_lcut_per_second']:.0f} texts/s", "1.00x"),
        ("jieba.lcut(HMM=False) alone (the segmentation the model uses)", f"{r['jieba_lcut_no_hmm_per_second']:.0f} texts/s", f"{r['jieba_lcut_no_hmm_per_second'] / r['jieba_lcut_per_second']:.2f}x"),
        ("textclass.classify_batch", f"{r['classify_batch_per_second']:.0f} texts/s", f"{r['ratio_vs_jieba']:.2f}x (target >= 0.90x); {r['ratio_vs_jieba_no_hmm']:.2f}x of HMM-free jieba"),
        ("Classifier.classify_batch (scikit-learn estimator)", f"{r['estimator_classify_batch_per_second']:.0f} texts/s", f"{r['estimator_classify_batch_per_second'] / r['jieba_lcut_per_second']:.2f}x"),
        ("fastText + jieba", f"{ft.get('texts_per_second', 0):.0f} texts/s" if "texts_per_second" in ft else ft.get("skipped", ""), f"{ft.get('ratio_vs_jieba', 0):.2f}x" if ft else ""),
        ("dev macro-F1: textclass / fastText", f"{r.get('dev_macro_f1', float('nan')):.3f} / {ft.get('dev_macro_f1', float('nan')):.3f}", ""),
        ("textclass.classify() latency p50 / p99", f"{r['latency_ms_p50']:.2f} / {r['latency_ms_p99']:.2f} ms", ""),
        (f"classify_batch n_jobs=2 vs 1 ({r['n_jobs_texts']} texts)", f"{r['n_jobs_2_speedup']:.2f}x", "target >= 1.8x"),
        ("cold start (import + classify one)", f"{r['cold_start_seconds']:.2f} s", f"target <= 1.0 s; sklearn import alone {r['sklearn_import_seconds']:.2f} s"),
        ("python train.py", f"{r['train_seconds']:.1f} s", f"target < 60 s; peak {r['train_peak_rss_mb']:.0f} MB"),
        ("model file", f"{r['model_mb']:.1f} MB", "target <= 20 MB"),
        ("peak memory classifying", f"{r['classify_peak_rss_mb']:.0f} MB", ""),
    ]
    lines = ["| measure | value | ratio / note |", "|---|---:|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
