"""The ``docgen`` command."""

from __future__ import annotations

import argparse
import sys

from . import __version__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="docgen", description="計画の内容（YAML）から冊子（PDF・Word）を作ります。")
    parser.add_argument("--version", action="version", version=f"docgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p_check = sub.add_parser("check", help="内容を読み込んで誤りを確かめる")
    p_check.add_argument("content", nargs="?", default="content", help="内容のフォルダ（既定: content）")

    sub.add_parser("fonts", help="使う書体が見つかるか確かめる")

    p_build = sub.add_parser("build", help="冊子（PDF など）を作る")
    p_build.add_argument("content", nargs="?", default="content", help="内容のフォルダ（既定: content）")
    p_build.add_argument("-o", "--output", default="output", help="出力先のフォルダ（既定: output）")
    p_build.add_argument("--format", default=None,
                         help="作る形式をカンマ区切りで（pdf,docx）。既定はすべて")
    p_build.add_argument("--print", dest="press", action="store_true",
                         help="印刷所に渡す PDF（<ファイル名>-print.pdf）も作る: 色は CMYK で文字は墨1色、"
                              "仕上がり枠（TrimBox）、4の倍数のページ、奥付は最後の左ページ")
    p_build.add_argument("--split-by", choices=["department", "division"], default=None,
                         help="department: 課ごとのファイルも output/departments/ に作る。division: 同じく、"
                              "departments.yaml の部ごとのフォルダ（output/departments/総務部/）に分けて")

    p_diff = sub.add_parser("diff", help="2つの版を比べて新旧対照表（PDF・Word）を作る")
    p_diff.add_argument("old", help="改正前: 内容のフォルダ、または git の版（例: HEAD~1）")
    p_diff.add_argument("new", help="改正後: 内容のフォルダ、または git の版（例: HEAD）")
    p_diff.add_argument("-o", "--output", default="output", help="出力先のフォルダ（既定: output）")
    p_diff.add_argument("--content", default="content",
                        help="git の版を読むときの内容のフォルダ（既定: content）。今いるフォルダから、"
                             "なければリポジトリの一番上から探します")

    p_new = sub.add_parser("new-edition", help="次の版を始める（現在の版を改訂履歴へ移す）")
    p_new.add_argument("content", nargs="?", default="content", help="内容のフォルダ（既定: content）")
    p_new.add_argument("--date", required=True, help="新しい版の発行年月（例: 2024-03）")
    p_new.add_argument("--label", default="", help="版名（既定: 令和6(2024)年3月改訂 の形）")
    p_new.add_argument("--summary", default="", help="改訂の概要")

    p_import = sub.add_parser("import", help="課から返ってきた Word ファイルの修正を内容に取り込む")
    p_import.add_argument("files", nargs="+", metavar="FILE.docx", help="返ってきた課ごとの Word ファイル")
    p_import.add_argument("--content", default="content", help="内容のフォルダ（既定: content）")
    p_import.add_argument("-o", "--output", default="output",
                          help="取り込んだ変更の新旧対照表を置くフォルダ（既定: output）")
    p_import.add_argument("--dry-run", action="store_true", help="何を変えるかを表示するだけで、書き込まない")
    p_import.add_argument("--accept-revisions", action="store_true",
                          help="変更履歴を承諾して取り込む（挿入は残し、削除は消す）。コメントは確認事項として表示する")

    args = parser.parse_args(argv)
    if args.command == "import":
        return _import(args.files, args.content, args.output, args.dry_run, args.accept_revisions)
    if args.command == "diff":
        return _diff(args.old, args.new, args.output, args.content)
    if args.command == "new-edition":
        return _new_edition(args.content, args.date, args.label, args.summary)
    if args.command == "check":
        return _check(args.content)
    if args.command == "fonts":
        return _fonts()
    if args.command == "build":
        return _build(args.content, args.output, args.format, args.split_by, args.press)
    return 2  # pragma: no cover


def _reporting(action) -> int:
    """Run a command; content problems and missing fonts are reported in Japanese, never as a traceback."""
    from .editions import RevisionError
    from .errors import ContentError
    from .fonts import FontsMissing
    from .publish import PublishError

    try:
        return action()
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"誤りが {len(exc.problems)} 件あります。出力は作り直していません。", file=sys.stderr)
        return 1
    except (FontsMissing, RevisionError, PublishError) as exc:  # PublishError says what became of the output
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:  # an output folder that cannot be written, a full disk …
        where = f": {exc.filename}" if exc.filename else ""
        print(f"ファイルを書けません{where}（{exc.strerror or exc}）。前の出力はそのまま残っています。", file=sys.stderr)
        return 1


def _check(content: str) -> int:
    from .load import load

    def run():
        from .build import output_problems
        from .errors import ContentError

        plan = load(content)
        faults = output_problems(plan, content)  # file names a build would refuse (所管課 alike as files)
        if faults:
            raise ContentError(faults)
        for warning in layout_warnings(plan, content):
            print(warning, file=sys.stderr)
        groups = plan.walk()
        counts = [f"{level.name} {sum(1 for g in groups if g.level == i)}" for i, level in enumerate(plan.meta.levels)]
        print(" / ".join(counts + [f"{plan.meta.word} {len(plan.projects)}", f"用語 {len(plan.glossary)}"]))
        return 0
    return _reporting(run)


def layout_warnings(plan, content: str) -> list[str]:
    """What the content asks of the layout that it can only partly give: a phase name too long for
    its bar in the system table.  Warnings, not errors: the booklet is still made."""
    from pathlib import Path

    from . import booklet as b
    from .compose import compose_booklet
    from .errors import Problem
    from .pdf import fonts
    from .pdf.tables import unfitting_labels

    fonts.register()
    table = next((el for el in compose_booklet(plan).body if isinstance(el, b.SystemTable)), None)
    spec = plan.meta.field("工程表")
    projects = {p.number: p for p in plan.projects}
    out = []
    for number, label in unfitting_labels(table) if table and spec else []:
        path = Path(content) / "projects" / f"{number}.yaml"
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        line = next((i + 1 for i, text in enumerate(lines) if "名称" in text and label in text), 1)
        index = next(i for i, phase in enumerate(projects[number].schedule.phases) if phase.label == label)
        out.append(str(Problem(f"{content.rstrip('/')}/projects/{path.name}", line, f"{spec.name}.工程[{index + 1}].名称",
                               f"警告: 「{label}」は{plan.meta.labels.system_chapter}の線に収まりません"
                               f"（この{plan.meta.word}の行では、工程を{plan.meta.word}名の下に並べて印刷します）")))
    return out


def _build(content: str, output: str, formats: str | None, split_by: str | None, press: bool = False) -> int:
    from .build import FORMATS, build

    wanted = tuple(f.strip() for f in formats.split(",")) if formats else FORMATS
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        print(f"作れない形式です: {', '.join(unknown)}（作れる形式: {', '.join(FORMATS)}）", file=sys.stderr)
        return 2

    def run():
        for path in build(content, output, wanted, split_by, press and "pdf" in wanted):
            print(path)
        return 0
    return _reporting(run)


def _diff(old: str, new: str, output: str, content: str) -> int:
    from .editions import diff

    def run():
        comparison, written = diff(old, new, output, content=content)
        print(comparison.summary())
        if comparison.empty:
            print("変更はありません（新旧対照表は作りません）。")
        for path in written:
            print(path)
        return 0
    return _reporting(run)


def _import(files: list[str], content: str, output: str, dry_run: bool, accept: bool) -> int:
    from .wordimport import import_files

    def run():
        report = import_files(files, content, dry_run=dry_run, accept_revisions=accept, output=output)
        print(report.summary(), file=sys.stderr if report.stopped else sys.stdout)
        if dry_run and report.changes and not report.stopped:
            print("（--dry-run: 書き込んでいません）")
        for path in report.written + report.comparison_files:
            print(path)
        return 1 if report.stopped else 0
    return _reporting(run)


def _new_edition(content: str, date: str, label: str, summary: str) -> int:
    import re

    from .editions import new_edition

    match = re.fullmatch(r"(\d{4})-(\d{1,2})", date)
    if not match or not 1 <= int(match.group(2)) <= 12:
        print(f"--date は「2024-03」のように 年-月 で書いてください（書かれている値: 「{date}」）", file=sys.stderr)
        return 2

    def run():
        print(new_edition(content, int(match.group(1)), int(match.group(2)), label, summary))
        return 0
    return _reporting(run)


def _fonts() -> int:
    from .fonts import report

    text, ok = report()
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
