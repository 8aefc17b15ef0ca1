"""Guard against contamination: list corpus, test and example texts that resemble a dev headline.

    python scripts/check_eval_overlap.py [--threshold 0.6]

For every dev headline in ../shared/eval (skipped when absent) it finds repository texts
that cover at least THRESHOLD of the headline's character bigrams. Measurement only: the
eval texts are never written anywhere. Review what it lists and rewrite or drop close ones.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEV = ROOT.parent / "shared" / "eval" / "real_headlines_dev.tsv"


def bigrams(text: str) -> set[str]:
    chars = "".join(text.split())
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def repository_texts() -> list[tuple[str, str]]:
    from textclass.data import labelled_files, read_labelled_file

    texts = []
    for path in labelled_files(ROOT / "data"):
        part = read_labelled_file(path)
        texts += list(zip(part.sources, part.texts))
    for folder in ("tests", "examples", "docs"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".py", ".txt", ".md", ".tsv"):
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    texts.append((f"{path.relative_to(ROOT)}:{number}", line))
    return texts


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=0.6)
    args = parser.parse_args()
    if not DEV.exists():
        print("../shared/eval is not here: nothing to check")
        return 0
    from textclass.data import read_labelled

    dev = read_labelled(DEV).texts
    dev_grams = [bigrams(t) for t in dev]
    index: dict[str, list[int]] = defaultdict(list)
    for i, grams in enumerate(dev_grams):
        for g in grams:
            index[g].append(i)
    flagged = 0
    for source, text in repository_texts():
        shared: Counter[int] = Counter()
        for g in bigrams(text):
            for i in index.get(g, ()):
                shared[i] += 1
        for i, n in shared.items():
            cover = n / max(1, len(dev_grams[i]))
            if cover >= args.threshold and len(dev_grams[i]) >= 5:
                flagged += 1
                print(f"{cover:.2f}\t{source}\t{text[:60]}\t<dev line {i + 2}>")
    print(f"{flagged} repository texts cover >= {args.threshold:.0%} of a dev headline's bigrams")
    return 0


if __name__ == "__main__":
    sys.exit(main())
