"""Retrain the shipped model: ``python train.py`` (data/ -> models/textclass.joblib).

``python train.py --data PATH --out PATH`` trains on your own labelled TSV/CSV/JSONL.
Same as ``textclass train``.
"""

import sys

from textclass.cli import main

if __name__ == "__main__":
    sys.exit(main(["train", *sys.argv[1:]]))
