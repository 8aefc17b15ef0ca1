"""Issue 7: the shipped model on the real dev headlines and on the corpus's held-out split.

    python benchmarks/accuracy.py     # writes results/accuracy.json and docs/img/*.png
"""

from __future__ import annotations

import sys

from common import ROOT, dev_set, save


def main() -> int:
    import textclass
    from textclass.evaluation import evaluate, format_report, plot_report

    clf = textclass.load()
    results = {"heldout": clf.metadata.get("metrics", {}).get("heldout"), "training_data": clf.metadata.get("training_data")}
    dev = dev_set()
    if dev is None:
        print("../shared/eval is not here: dev-set measurement skipped")
    else:
        report = evaluate(clf, *dev)
        results["dev"] = report
        print("real dev headlines (../shared/eval/real_headlines_dev.tsv):")
        print(format_report(report))
        try:
            for path in plot_report(report, ROOT / "docs" / "img", title="(dev headlines)"):
                print(f"wrote {path}")
        except ImportError as exc:
            print(f"plots skipped: {exc}")
    if results["heldout"]:
        h = results["heldout"]
        print(f"corpus held-out split: macro-F1 {h['macro_f1']:.3f}, accuracy {h['accuracy']:.3f}, n={h['n']}")
    print(f"wrote {save('accuracy', results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
