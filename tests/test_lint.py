"""ruff and mypy over the repository, as configured in pyproject.toml ([tool.ruff], [tool.mypy]).

Quick tier (not ``slow``); ``pytest -m lint`` runs only these. Skipped where the tool is not installed
in the test interpreter's environment (both come with the ``test`` extra).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.lint

COMMANDS = {
    "ruff": ["check", "."],
    "mypy": [],  # the files to check come from [tool.mypy] files
}


@pytest.mark.parametrize("tool", sorted(COMMANDS))
def test_tool_finds_nothing(tool):
    if importlib.util.find_spec(tool) is None:
        pytest.skip(f"{tool} is not installed (pip install -e '.[test]')")
    proc = subprocess.run([sys.executable, "-m", tool, *COMMANDS[tool]], cwd=REPO, capture_output=True,
                          text=True, timeout=900)
    assert proc.returncode == 0, f"{tool} {' '.join(COMMANDS[tool])} found problems:\n{proc.stdout}{proc.stderr}"
