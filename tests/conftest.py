from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
MINI = ROOT / "tests" / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the small fixture plan."""
    target = tmp_path / "c"
    shutil.copytree(MINI, target)
    return target


@pytest.fixture(scope="session")
def plan():
    from docgen.load import load

    return load(CONTENT)
