"""The ``textclass`` command line (also ``python -m textclass``).

Exit codes: 0 success; 1 a data or model error (one-line message, no traceback);
2 a usage error; 3 ``label`` finished but some rows carry an ``error`` field.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .errors import TextclassError
from .training import SHIPPED

EXIT_DATA_ERROR = 1
EXIT_USAGE = 2
EXIT_ROW_ERRORS = 3


def _ngram_range(value: str) -> tuple[int, int]:
    try:
        low, high = (int(part) for part in value.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LOW,HIGH such as 1,2; got {value!r}") from None
    if low < 0 or high < low:
        raise argparse.ArgumentTypeError(f"expected 0 <= LOW <= HIGH; got {value!r}")
    return low, high


def _class_weight(value: str):
    if value in ("none", "None", ""):
        return None
    if value == "balanced":
        return value
    try:
        return {label.strip(): float(weight) for label, weight in (item.split("=") for item in value.split(","))}
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected 'balanced', 'none' or LABEL=WEIGHT[,LABEL=WEIGHT...]; got {value!r}") from None


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1; got {value!r}")
    return number


def _load(args, *, estimator: bool = True):
    """The model the options name; ``estimator=False`` allows the compiled form (faster start, same scores)."""
    from .api import default_classifier, default_predictor, load

    backend = getattr(args, "backend", None)
    trust = getattr(args, "trust_unverified", False)
    if not estimator and not trust:
        from .compiled import load_compiled

        return load_compiled(args.model, backend=backend) if (args.model or backend) else default_predictor()
    if getattr(args, "model", None) or backend:
        return load(args.model, trust_unverified=trust, backend=backend)
    return default_classifier()


def cmd_classify(args) -> int:
    clf = _load(args, estimator=bool(args.explain))
    texts = args.text if args.text else [line.rstrip("\r\n") for line in sys.stdin]
    predictions = clf.classify_batch(texts, errors="flag")
    for prediction, text in zip(predictions, texts):
        if prediction.error is not None:
            if args.json:
                print(json.dumps({"text": text, **prediction.to_dict()}, ensure_ascii=False))
            else:
                print(f"error: {prediction.error}\t{text}")
            continue
        if args.json:
            record = {"text": text, **prediction.to_dict()}
            if args.top_k:
                record["top_k"] = [{"label": l, "score": s} for l, s in prediction.top(args.top_k)]
            if args.explain:
                record["explanation"] = [{"term": t, "weight": w} for t, w in clf.explain(text, k=args.explain)]
            print(json.dumps(record, ensure_ascii=False))
        else:
            shown = prediction.top(args.top_k) if args.top_k else [(prediction.label, prediction.score)]
            labels = " ".join(f"{label}:{score:.3f}" for label, score in shown)
            print(f"{labels}\t{text}")
            if args.explain:
                terms = ", ".join(f"{t} ({w:+.3f})" for t, w in clf.explain(text, k=args.explain))
                print(f"  because: {terms}")
    return EXIT_ROW_ERRORS if any(p.error for p in predictions) else 0


def cmd_label(args) -> int:
    from .files import label_file

    summary = label_file(
        args.input,
        args.output,
        column=args.column,
        field=args.field,
        format=args.format,
        encoding=args.encoding,
        errors=args.errors,
        top_k=args.top_k,
        prefix=args.prefix,
        n_jobs=args.jobs,
        force=args.force,
        resume=args.resume,
        progress=False if args.quiet else None,
        split_paragraphs=args.split_paragraphs,
        model=_load(args, estimator=False) if args.model or args.backend else None,
    )
    resumed = f" (resumed after row {summary.resumed_from})" if summary.resumed_from else ""
    print(
        f"labelled {summary.labelled} of {summary.rows} rows -> {summary.output} in {summary.seconds:.1f} s{resumed}; "
        f"{summary.errors} {'row' if summary.errors == 1 else 'rows'} with errors, {summary.flagged} flagged",
        file=sys.stderr,
    )
    return 0 if summary.ok else EXIT_ROW_ERRORS


def cmd_train(args) -> int:
    from .training import train_from_files

    params = {
        "C": args.C,
        "char_ngram_range": args.char_ngrams,
        "word_ngram_range": args.word_ngrams,
        "backend": args.backend,
        "hmm": args.hmm,
        "class_weight": args.class_weight,
        "min_df": args.min_df,
    }
    train_from_files(
        args.data,
        args.out,
        lexicon=args.lexicon,
        lexicon_weight=args.lexicon_weight,
        headline_weight=args.headline_weight,
        heldout_fraction=args.heldout,
        refit=not args.no_refit,
        params=params,
    )
    return 0


def cmd_evaluate(args) -> int:
    from .data import read_labelled
    from .evaluation import evaluate, format_report, plot_report

    clf = _load(args)
    data = read_labelled(args.file, text_field=args.text_field, label_field=args.label_field)
    report = evaluate(clf, data.texts, data.labels)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else format_report(report))
    if args.plot:
        for path in plot_report(report, args.plot, title=f"({args.file})"):
            print(f"wrote {path}", file=sys.stderr)
    return 0


def cmd_info(args) -> int:
    from .persistence import default_model_path, read_sidecar

    path = args.model or str(default_model_path())
    metadata = read_sidecar(path)
    if metadata is None:
        raise TextclassError(f"{path} has no metadata sidecar")
    if args.json:
        print(json.dumps(metadata, ensure_ascii=False, indent=2))
        return 0
    versions = metadata.get("versions", {})
    data = metadata.get("training_data", {})
    heldout = metadata.get("metrics", {}).get("heldout", {})
    print(f"model        {path}")
    print(f"labels       {', '.join(metadata.get('labels', []))}")
    print(f"backend      {metadata.get('backend')}")
    print("versions     " + ", ".join(f"{k} {v}" for k, v in versions.items()))
    print(f"trained on   {data.get('n_examples')} examples + {data.get('n_lexicon_terms')} lexicon terms (sha256 {str(data.get('sha256'))[:12]})")
    if heldout:
        print(f"held-out     macro-F1 {heldout['macro_f1']:.3f}, accuracy {heldout['accuracy']:.3f} on {heldout['n']} examples")
    print(f"config       {json.dumps(metadata.get('config', {}))}")
    print(f"file         {metadata.get('model_bytes', 0) / 1e6:.1f} MB, sha256 {metadata.get('model_sha256')}")
    return 0


def cmd_audit(args) -> int:
    from .corpus import audit, near_duplicates
    from .data import read_labelled

    data = read_labelled(args.data)
    suspects = audit(data, threshold=args.threshold, cv=args.cv)
    print(f"# {len(suspects)} of {len(data)} examples: cross-validated prediction disagrees with the label at score >= {args.threshold}")
    for s in suspects[: args.limit]:
        print(f"{s.source}\tlabel={s.label}\tpredicted={s.predicted}:{s.score:.2f}\t{s.text}")
    pairs = near_duplicates(data.texts)
    print(f"# {len(pairs)} near-duplicate pairs (character 5-gram Jaccard >= 0.8)")
    for i, j, jaccard in pairs[: args.limit]:
        print(f"{data.sources[i]}\t{data.sources[j]}\t{jaccard:.2f}\t{data.texts[i]}\t{data.texts[j]}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="textclass", description="Topic labels for Chinese news headlines and paragraphs.")
    from ._version import __version__

    parser.add_argument("--version", action="version", version=f"textclass {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")

    def with_model(p):
        p.add_argument("--model", help="model file (default: the shipped model)")
        p.add_argument("--trust-unverified", action="store_true", help="load a model file that has no JSON sidecar (only files you trust)")
        p.add_argument("--backend", choices=("jieba", "jieba_fast_dat"), help="segmentation backend (jieba_fast_dat needs textclass[fast])")
        return p

    p = with_model(verbs.add_parser("classify", help="label texts given as arguments or one per stdin line"))
    p.add_argument("text", nargs="*", help="texts to label (default: read stdin)")
    p.add_argument("--json", action="store_true", help="print JSON lines")
    p.add_argument("--top-k", type=_positive_int, default=0, metavar="K", help="show the K most probable labels")
    p.add_argument("--explain", type=_positive_int, nargs="?", const=5, default=0, metavar="K", help="show the K features behind each label (default 5)")
    p.set_defaults(func=cmd_classify)

    p = with_model(verbs.add_parser("label", help="label a .txt/.csv/.tsv/.jsonl file or a folder of .txt files"))
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True, help="output .jsonl, .csv or .tsv")
    p.add_argument("--column", default="text", help="text column of a CSV/TSV input (default: text)")
    p.add_argument("--field", default="text", help="text field of a JSONL input (default: text)")
    p.add_argument("--format", choices=("jsonl", "csv", "tsv"), help="output format (default: from the extension)")
    p.add_argument("--encoding", help="input encoding (default: detect UTF-8, UTF-8 with BOM or GB18030)")
    p.add_argument("--errors", choices=("strict", "replace"), default="strict", help="undecodable bytes: stop with an error, or replace them and flag the row")
    p.add_argument("--top-k", type=_positive_int, default=0, metavar="K", help="add the K most probable labels")
    p.add_argument("--prefix", default="", help="prefix for the added fields (e.g. pred_), if the input has a 'label' field already")
    p.add_argument("--jobs", "-j", type=int, default=-1, help="worker processes (default: all cores)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run from its last completed chunk")
    p.add_argument("--split-paragraphs", action="store_true", help="one output row per paragraph, with doc and paragraph index")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_label)

    p = verbs.add_parser("train", help="train a model (same as python train.py)")
    p.add_argument("--data", default="data", help="labelled TSV/CSV/JSONL file or folder (default: data)")
    p.add_argument("--out", default="models/textclass.joblib", help="model file to write (default: models/textclass.joblib)")
    p.add_argument("--lexicon", help="folder of label<TAB>term files (default: DATA/lexicon if present)")
    p.add_argument("--lexicon-weight", type=float, default=SHIPPED["lexicon_weight"], help=f"sample weight of a lexicon term (default {SHIPPED['lexicon_weight']})")
    p.add_argument("--headline-weight", type=float, default=SHIPPED["headline_weight"], help=f"sample weight of an example of at most 40 characters (default {SHIPPED['headline_weight']})")
    p.add_argument("--heldout", type=float, default=0.1, help="fraction held out for the printed metrics (default 0.1)")
    p.add_argument("--no-refit", action="store_true", help="ship the model trained without the held-out split")
    p.add_argument("--C", type=float, default=SHIPPED["C"], help=f"LinearSVC regularisation (default {SHIPPED['C']})")
    p.add_argument("--char-ngrams", type=_ngram_range, default=SHIPPED["char_ngram_range"], metavar="LOW,HIGH", help="character n-grams (default %(default)s; 0,0 for none)")
    p.add_argument("--word-ngrams", type=_ngram_range, default=SHIPPED["word_ngram_range"], metavar="LOW,HIGH", help="jieba word n-grams (default %(default)s; 0,0 for none)")
    p.add_argument("--hmm", action=argparse.BooleanOptionalAction, default=SHIPPED["hmm"], help="let jieba guess unknown words with its HMM (slower; default %(default)s)")
    p.add_argument("--class-weight", type=_class_weight, default=SHIPPED["class_weight"], metavar="SPEC", help="'balanced', 'none' or LABEL=WEIGHT,... (default %(default)s)")
    p.add_argument("--min-df", type=_positive_int, default=SHIPPED["min_df"], help="ignore features seen in fewer training texts (default %(default)s)")
    p.add_argument("--backend", default=SHIPPED["backend"], help="segmentation backend: jieba (default) or jieba_fast_dat")
    p.set_defaults(func=cmd_train)

    p = with_model(verbs.add_parser("evaluate", help="metrics of a model on a labelled file"))
    p.add_argument("file", help="labelled .tsv/.csv/.jsonl with label and text columns")
    p.add_argument("--text-field", default="text")
    p.add_argument("--label-field", default="label")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--plot", metavar="DIR", help="also draw confusion.png and reliability.png into DIR (needs matplotlib)")
    p.set_defaults(func=cmd_evaluate)

    p = verbs.add_parser("audit", help="flag likely mislabelled examples and near-duplicates in labelled data")
    p.add_argument("data", help="labelled file or folder (e.g. data/)")
    p.add_argument("--threshold", type=float, default=0.9, help="flag when another label gets at least this probability (default 0.9)")
    p.add_argument("--cv", type=int, default=5, help="cross-validation folds (default 5)")
    p.add_argument("--limit", type=int, default=200, help="print at most this many of each kind (default 200)")
    p.set_defaults(func=cmd_audit)

    p = verbs.add_parser("info", help="show a model's metadata")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--json", action="store_true", help="print the whole sidecar")
    p.set_defaults(func=cmd_info)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (TextclassError, FileNotFoundError, FileExistsError, ImportError, UnicodeError) as exc:
        print(f"textclass {args.verb}: error: {exc}", file=sys.stderr)
        return EXIT_DATA_ERROR
    except KeyboardInterrupt:
        print(f"textclass {args.verb}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
