"""Benchmark (not a test): build the bundled plan and synthetic plans of growing size.

Prints wall time and peak memory (RSS high-water mark of a fresh process per run) for loading,
composing and writing the PDF.  Run with ``make bench``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    t0 = time.perf_counter()
    from docgen.load import load
    from docgen.compose import compose_booklet
    from docgen.pdf.writer import write_pdf
    t1 = time.perf_counter()
    plan = load(sys.argv[1])
    t2 = time.perf_counter()
    booklet = compose_booklet(plan)
    t3 = time.perf_counter()
    out = Path(sys.argv[2]) / "bench.pdf"
    write_pdf(booklet, out)
    t4 = time.perf_counter()
    from docgen.docx.writer import write_docx
    write_docx(booklet, Path(sys.argv[2]) / "bench.docx")
    t5 = time.perf_counter()
    from pypdf import PdfReader
    print(json.dumps({"projects": len(plan.projects), "pages": len(PdfReader(out).pages),
                      "import": t1 - t0, "load": t2 - t1, "compose": t3 - t2, "pdf": t4 - t3,
                      "docx": t5 - t4,
                      "total": t4 - t1,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def synthetic(n: int, target: Path) -> Path:
    """The bundled plan with its projects repeated until there are ``n`` of them."""
    shutil.copytree(ROOT / "content", target)
    projects = sorted((target / "projects").glob("*.yaml"))
    by_item: dict[str, list[Path]] = {}
    for p in projects:
        by_item.setdefault(p.stem.split("-")[0], []).append(p)
    count, round_ = len(projects), 1
    while count < n:
        for prefix, files in by_item.items():
            for p in files:
                if count >= n:
                    break
                seq = len(by_item[prefix]) * round_ + int(p.stem.split("-")[1])
                text = p.read_text(encoding="utf-8").replace(f"事業番号: {p.stem}", f"事業番号: {prefix}-{seq}", 1)
                (target / "projects" / f"{prefix}-{seq}.yaml").write_text(text, encoding="utf-8")
                count += 1
        round_ += 1
    return target


def run(content: Path, out: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, str(content), str(out)], check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows = [("bundled", run(ROOT / "content", tmp))]
        for n in (100, 250, 500):
            rows.append((f"synthetic {n}", run(synthetic(n, tmp / f"s{n}"), tmp)))
    print("total = load + compose + PDF (the booklet's PDF build); Word is timed separately")
    print(f"{'plan':15} {'projects':>8} {'pages':>6} {'load s':>7} {'compose s':>9} {'pdf s':>7} "
          f"{'total s':>8} {'s/project':>9} {'docx s':>7} {'peak MB':>8}")
    for name, r in rows:
        print(f"{name:15} {r['projects']:8d} {r['pages']:6d} {r['load']:7.3f} {r['compose']:9.3f} "
              f"{r['pdf']:7.3f} {r['total']:8.3f} {r['total'] / r['projects']:9.4f} {r['docx']:7.3f} "
              f"{r['peak_mb']:8.1f}")


if __name__ == "__main__":
    main()
