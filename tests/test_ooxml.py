"""Every Word file docgen writes passes an independent OOXML validator (openxml-audit, Microsoft 365
rules) with no error: the booklet, the briefing, every department file (made for editing), the
新旧対照表, and the Word files of the example plans."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.build import build
from docgen.editions import diff

ROOT = Path(__file__).resolve().parent.parent


def audit(folder: Path) -> list[dict]:
    exe = shutil.which("openxml-audit") or str(Path(sys.executable).parent / "openxml-audit")
    result = subprocess.run([exe, "-f", "microsoft365", "-o", "json", "-m", "0", "-r", str(folder)],
                            capture_output=True, text=True, timeout=600)
    reports = json.loads(result.stdout)
    return reports if isinstance(reports, list) else [reports]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ooxml")
    build(ROOT / "content", out / "eniwa", ("docx",), split_by="department")
    for example in sorted((ROOT / "examples").iterdir()):
        if (example / "plan.yaml").is_file():
            build(example, out / example.name, ("docx",), split_by="department")
    new = out / "revised"
    shutil.copytree(ROOT / "content", new)
    path = new / "projects" / "2-4.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Twitter登録者800人", "Twitter登録者1,000人"),
                    encoding="utf-8")
    diff(str(ROOT / "content"), str(new), out / "diff", formats=("docx",))
    return out


def test_every_word_file_passes_the_validator(written):
    reports = audit(written)
    files = {Path(r["file"]).relative_to(written).as_posix() for r in reports}
    assert "eniwa/eniwa-dx-jisshi-keikaku.docx" in files and "eniwa/departments/総務課.docx" in files
    assert any(f.startswith("diff/") for f in files) and any(f.startswith("town-5y/") for f in files)
    failing = {Path(r["file"]).name: [e.get("description", e) for e in r["errors"]][:3]
               for r in reports if r["error_count"]}
    assert not failing, failing
