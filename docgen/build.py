"""``docgen build``: load, compose once, render every requested format, publish the output folder.

The files the build will make are planned and checked before anything is written
(:func:`output_files`, :func:`output_problems`): two 所管課 whose files would have the same name stop
the build with a located content error; names no file system accepts are made safe.  Every file is
then written into a staging folder and the whole output folder is swapped in at once
(:mod:`docgen.publish`), so a failed, killed or concurrent build never leaves a mix of old and new files,
and the PDF and Word editions never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from . import booklet as b
from .compose import compose_booklet, compose_briefing, compose_department, departments
from .errors import ContentError, Problem, Problems
from .load import load
from .publish import Publication, safe_file_name, same_name_key

__all__ = ["FORMATS", "OutputFile", "NameFault", "build", "output_files", "output_problems", "safe_file_name"]

FORMATS = ("pdf", "docx")
DEPARTMENTS_FOLDER = "departments"


@dataclass(frozen=True)
class OutputFile:
    """One file a build makes."""

    path: PurePosixPath  # relative to the output folder: kakuu-dx.pdf, departments/総務課.docx
    format: str          # pdf | docx
    kind: str            # booklet | briefing | department
    source: str          # the plan's ファイル名 (booklet, briefing) or the 所管課 the file is for


@dataclass(frozen=True)
class NameFault:
    """Files that would have the same name: ``departments`` (two or more 所管課) share ``path``."""

    path: PurePosixPath
    departments: tuple[str, ...]
    message: str


def output_files(plan, formats: tuple[str, ...] | list[str] = FORMATS,
                 split_by: str | None = None, press: bool = False) -> tuple[list[OutputFile], list[NameFault]]:
    """The files ``docgen build`` would make from ``plan``, in build order, and the faults that stop it.

    ``formats`` may repeat a format (it is made once).  File names are made safe on Windows, macOS and
    Linux (:func:`docgen.publish.safe_file_name`); names that are then the same file on some system
    (same letters, ignoring case and Unicode normalization) are a :class:`NameFault` naming every 所管課
    involved.  Nothing is composed or written.
    """
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown formats: {unknown}")
    slug = safe_file_name(plan.meta.slug)
    sources: list[tuple[str, str, str]] = [("booklet", plan.meta.slug, slug)]  # kind, source, stem
    if plan.briefing is not None:
        sources.append(("briefing", plan.meta.slug, safe_file_name(f"{plan.meta.slug}-briefing")))
    by_division = split_by == "division"
    if split_by in ("department", "division"):
        sources += [("department", name, safe_file_name(name)) for name in departments(plan)]
    files: list[OutputFile] = []
    for fmt in formats:
        for kind, source, stem in sources:
            folder: tuple[str, ...] = ()
            if kind == "department":
                division = plan.org.division(source) if by_division else ""
                folder = (DEPARTMENTS_FOLDER, safe_file_name(division)) if division else (DEPARTMENTS_FOLDER,)
            files.append(OutputFile(PurePosixPath(*folder, f"{stem}.{fmt}"), fmt, kind, source))
    if press:  # the print shop's PDF of the booklet, beside the screen one
        files.append(OutputFile(PurePosixPath(f"{slug}-print.pdf"), "pdf", "press", plan.meta.slug))
    seen: dict[str, list[OutputFile]] = {}
    for file in files:
        seen.setdefault(same_name_key(str(file.path)), []).append(file)
    faults = []
    for clash in seen.values():
        names = tuple(dict.fromkeys(f.source for f in clash if f.kind == "department"))
        if len(clash) < 2 or clash[0].format != files[0].format:
            continue  # one fault per clash, not one per format
        listed = "」と「".join(names)
        shown = list(dict.fromkeys(str(f.path) for f in clash))
        if len(shown) == 1:
            message = (f"所管課「{listed}」は、どれもファイル名が「{shown[0]}」になり、1つのファイルに重なってしまいます"
                       "（ファイル名に使えない文字は「_」に替え、前後の空白と「.」は除きます）。所管課名を区別できる名前にしてください")
        else:
            message = (f"所管課「{listed}」のファイル名「{'」「'.join(shown)}」は、大文字と小文字などを区別しない"
                       "Windows や macOS では同じファイルになり、重なってしまいます。所管課名を区別できる名前にしてください")
        faults.append(NameFault(clash[0].path, names, message))
    return files, faults


def output_problems(plan, content: str | Path, formats: tuple[str, ...] | list[str] = FORMATS,
                    split_by: str | None = "department") -> list[Problem]:
    """:func:`output_files`' faults as located problems (``path:line: field: message``), one at the first
    project card naming each 所管課 involved.  For ``docgen check``; ``docgen build`` raises them."""
    _, faults = output_files(plan, formats, split_by)
    if not faults:
        return []
    from .yamlsrc import Node, Seq, load_yaml

    display_root = str(content).rstrip("/") or "."
    spec = plan.meta.field("所管課")
    field = spec.name if spec is not None else "所管課"
    problems: list[Problem] = []
    for fault in faults:
        for department in fault.departments:
            project = next((p for p in plan.projects if department in plan.owners(p)), None)
            path, line, where = f"{display_root}/projects", 1, field
            if project is not None:
                file = next((Path(content) / "projects" / f"{project.number}{ext}" for ext in (".yaml", ".yml")
                             if (Path(content) / "projects" / f"{project.number}{ext}").is_file()), None)
                if file is not None:
                    path = f"{display_root}/projects/{file.name}"
                    node = load_yaml(file, path, Problems())
                    if isinstance(node, Node):
                        line = node.value_line(field)
                        value = node.get(field)
                        written = [n for n in project.departments
                                   if plan.org.departments_of((n,)) == (department,)]
                        if isinstance(value, Seq) and written and written[0] in value:
                            index = list(value).index(written[0])
                            line, where = value.item_line(index), f"{field}[{index + 1}]"
            problems.append(Problem(path, line, where, fault.message))
    return problems


def _writers():
    from .docx.writer import write_docx
    from .pdf.writer import write_pdf

    return {"pdf": lambda doc, path, kind: write_pdf(doc, path, numbered=kind in ("booklet", "press"),
                                                     briefing=kind == "briefing", press=kind == "press"),
            "docx": lambda doc, path, kind, pages=None: write_docx(doc, path, kind, pages)}


def build(content: str | Path, output: str | Path, formats: tuple[str, ...] = FORMATS,
          split_by: str | None = None, press: bool = False) -> list[Path]:
    """Build ``content`` into the folder ``output``; the paths of the files made, under ``output``.

    Raises :class:`~docgen.errors.ContentError` (the content, or file names that clash) before anything
    is written, and :class:`~docgen.publish.PublishError` when the output cannot be published; either
    way the output folder is as it was.
    """
    plan = load(content)
    files, faults = output_files(plan, formats, split_by, press)
    if faults:
        raise ContentError(output_problems(plan, content, formats, split_by))
    booklet = compose_booklet(plan)
    documents: dict[tuple, b.Document] = {("booklet", plan.meta.slug): booklet,
                                          ("press", plan.meta.slug): booklet}
    briefing = compose_briefing(plan)
    if briefing is not None:
        documents["briefing", plan.meta.slug] = briefing
    for file in files:
        if file.kind == "department" and (file.kind, file.source, file.format) not in documents:
            # the Word file is made for editing (content controls, its originals); the PDF is to read
            documents[file.kind, file.source, file.format] = compose_department(
                plan, file.source, editable=file.format == "docx")
    writers = _writers()
    pages: dict[str, str] | None = None  # the booklet's page labels, from its PDF layout
    with Publication(output) as publication:
        publication.check(f.path for f in files)
        for file in files:
            staged = publication.staging / file.path
            staged.parent.mkdir(parents=True, exist_ok=True)
            key = (file.kind, file.source, file.format) if file.kind == "department" else (file.kind, file.source)
            if file.kind == "booklet" and file.format == "docx":
                if pages is None:  # no PDF asked for: the layout is made all the same, for the Word 目次
                    pages = writers["pdf"](booklet, None, "booklet")
                writers["docx"](booklet, staged, file.kind, pages)
                continue
            made = writers[file.format](documents[key], staged, file.kind)
            if file.kind == "booklet" and file.format == "pdf":
                pages = made
        publication.commit(f.path for f in files)
    return [Path(output) / file.path for file in files]
