"""Issue 3: `textclass label` throughput with 1 and 2 jobs, and peak memory for large inputs.

    python benchmarks/files.py                 # 200,000 rows, jobs 1 and 2, 100 MB input
    python benchmarks/files.py --gigabyte      # also a 1 GB input (takes several minutes)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from common import RESULTS, ROOT, machine, run_measured, save


def write_input(path: Path, rows: int | None = None, target_bytes: int | None = None) -> int:
    """A .txt input made of corpus texts, each line tagged with its row number so lines differ."""
    from textclass.data import read_labelled

    texts = read_labelled(ROOT / "data").texts
    random.Random(0).shuffle(texts)
    written = n = 0
    with open(path, "w", encoding="utf-8") as handle:
        while (rows is not None and n < rows) or (target_bytes is not None and written < target_bytes):
            line = f"{texts[n % len(texts)]}（{n}）\n"
            handle.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n


def label(src: Path, jobs: int) -> dict:
    out = src.with_suffix(f".jobs{jobs}.jsonl")
    cmd = [sys.executable, "-m", "textclass", "label", str(src), "-o", str(out), "--force", "--quiet", "--jobs", str(jobs)]
    result, seconds, peak = run_measured(cmd, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    with open(out, "rb") as handle:
        lines = sum(1 for _ in handle)
    out.unlink()
    return {"seconds": seconds, "peak_rss_mb": peak / 1e6, "output_rows": lines}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--gigabyte", action="store_true", help="also label a 1 GB input")
    parser.add_argument("--workdir", default=None, help="where to write the inputs (default: a temporary folder)")
    args = parser.parse_args()
    results: dict = {"machine": machine()}
    with tempfile.TemporaryDirectory(dir=args.workdir) as folder:
        folder = Path(folder)
        src = folder / "rows.txt"
        n = write_input(src, rows=args.rows)
        for jobs in (1, 2):
            run = label(src, jobs)
            assert run["output_rows"] == n, run
            run["rows_per_second"] = n / run["seconds"]
            results[f"rows_{n}_jobs_{jobs}"] = run
            print(f"{n} rows, --jobs {jobs}: {run['rows_per_second']:.0f} rows/s, peak {run['peak_rss_mb']:.0f} MB", flush=True)
        results["jobs_2_speedup"] = results[f"rows_{n}_jobs_1"]["seconds"] / results[f"rows_{n}_jobs_2"]["seconds"]
        sizes = [("100MB", 100 * 10**6)] + ([("1GB", 10**9)] if args.gigabyte else [])
        for name, size in sizes:
            big = folder / f"{name}.txt"
            rows = write_input(big, target_bytes=size)
            run = label(big, 2)
            assert run["output_rows"] == rows, run
            run.update(rows=rows, input_mb=big.stat().st_size / 1e6, rows_per_second=rows / run["seconds"])
            results[f"input_{name}"] = run
            big.unlink()
            print(f"{name} input ({rows} rows): {run['seconds']:.0f} s, peak {run['peak_rss_mb']:.0f} MB", flush=True)
    previous = RESULTS / "files.json"
    if not args.gigabyte and previous.exists():  # keep the last 1 GB measurement
        old = json.loads(previous.read_text(encoding="utf-8"))
        if "input_1GB" in old:
            results["input_1GB"] = old["input_1GB"]
    path = save("files", results)
    print(json.dumps(results, indent=2))
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
