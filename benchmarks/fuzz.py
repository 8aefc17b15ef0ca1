"""Issue 5: the property test at 10,000 examples (CI runs a small profile of the same test).

    python benchmarks/fuzz.py
"""

from __future__ import annotations

import os
import subprocess
import sys

from common import ROOT


def main() -> int:
    env = {**os.environ, "TEXTCLASS_FUZZ_EXAMPLES": "10000"}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_hardening.py", "-k", "any_string"]
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
