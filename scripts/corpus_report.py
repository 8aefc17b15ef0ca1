"""Report on the training corpus: counts per label and subtopic, lengths, near-duplicates.

    python scripts/corpus_report.py [data/] [--subtopics]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textclass.corpus import corpus_stats  # noqa: E402
from textclass.data import read_lexicon  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default="data")
    parser.add_argument("--subtopics", action="store_true", help="also list every subtopic file with its count")
    parser.add_argument("--duplicates", type=int, default=10, help="show this many near-duplicate pairs")
    args = parser.parse_args()
    stats = corpus_stats(args.data)
    print(stats.to_markdown())
    lexicon = read_lexicon(Path(args.data) / "lexicon")
    if len(lexicon):
        from collections import Counter

        print("\nLexicon terms: " + ", ".join(f"{k}={v}" for k, v in sorted(Counter(lexicon.labels).items())))
    if args.subtopics:
        for label, files in sorted(stats.subtopics.items()):
            print(f"\n{label}: {len(files)} subtopics")
            for name, n in sorted(files.items()):
                print(f"  {n:5d}  {name}")
    for i, j, jaccard in stats.duplicates[: args.duplicates]:
        print(f"near-duplicate {jaccard:.2f}: {stats.data.sources[i]} ~ {stats.data.sources[j]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
