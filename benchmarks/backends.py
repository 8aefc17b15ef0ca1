"""Issue 4: is the optional jieba_fast_dat backend good enough to offer as textclass[fast]?

Trains a model on data/ with each backend (same config) and compares dev macro-F1, label
agreement with the default backend, and throughput against the jieba.lcut floor.
"""

from __future__ import annotations

import sys

from common import ROOT, corpus_paragraphs, dev_set, machine, median_seconds, save


def main() -> int:
    import argparse

    import jieba

    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default=str(ROOT / "data"), help="training data (default: data/)")
    args = parser.parse_args()

    from textclass.evaluation import evaluate
    from textclass.segment import available_backends
    from textclass.training import train_from_files

    if "jieba_fast_dat" not in available_backends():
        print("jieba_fast_dat is not installed (pip install 'textclass[fast]'): skipped")
        return 0
    dev = dev_set()
    texts = (dev[0] if dev else []) + corpus_paragraphs(1000)
    jieba.lcut("预热")
    floor = median_seconds(lambda: [jieba.lcut(t) for t in texts])
    results: dict = {"machine": machine(), "n_texts": len(texts), "jieba_lcut_per_second": len(texts) / floor}
    models = {}
    for backend in ("jieba", "jieba_fast_dat"):
        from textclass.model import Classifier

        from textclass.training import SHIPPED

        params = {k: v for k, v in SHIPPED.items() if k in Classifier().get_params()}
        params["backend"] = backend
        clf = train_from_files(
            args.data, None, heldout_fraction=0, params=params, lexicon_weight=SHIPPED["lexicon_weight"],
            headline_weight=SHIPPED["headline_weight"], log=lambda _: None
        )
        clf.classify("预热")
        models[backend] = clf
        seconds = median_seconds(lambda: clf.classify_batch(texts))
        entry = {"texts_per_second": len(texts) / seconds, "ratio_vs_jieba": floor / seconds}
        if dev:
            entry["dev_macro_f1"] = evaluate(clf, *dev)["macro_f1"]
        results[backend] = entry
        print(backend, entry, flush=True)
    a = [p.label for p in models["jieba"].classify_batch(texts)]
    b = [p.label for p in models["jieba_fast_dat"].classify_batch(texts)]
    results["label_agreement"] = sum(x == y for x, y in zip(a, b)) / len(a)
    if dev:
        results["dev_macro_f1_drop"] = results["jieba"]["dev_macro_f1"] - results["jieba_fast_dat"]["dev_macro_f1"]
    results["qualifies"] = results["label_agreement"] >= 0.99 and results.get("dev_macro_f1_drop", 0) <= 0.005
    print(f"label agreement {results['label_agreement']:.4f}; macro-F1 drop {results.get('dev_macro_f1_drop', float('nan')):+.4f}; qualifies: {results['qualifies']}")
    print(f"wrote {save('backends', results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
