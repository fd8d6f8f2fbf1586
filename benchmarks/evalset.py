"""Where the benchmarks find the public evaluation set, and what they do when it is absent.

The set lives outside the repository (../shared/eval/public beside the clone, or $DESKTOP_OCR_EVAL)
and is never copied in. A clone elsewhere has no set: a full run that needs it stops with exit 2; a
quick run (CI's smoke mode) says so and exits 0, as the tests marked ``realdata`` skip.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("DESKTOP_OCR_EVAL", REPO.parent / "shared" / "eval" / "public"))


def absent(quick: bool) -> int | None:
    """None when the set's images are here; otherwise prints why nothing is measured and returns
    the exit code (0 for a quick run, 2 for a full one)."""
    if (EVAL / "images").is_dir():
        return None
    print(f"evaluation images not found at {EVAL}" + ("; quick run skipped" if quick else ""), file=sys.stderr)
    return 0 if quick else 2
