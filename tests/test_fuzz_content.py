"""Generated content never makes the loader raise anything but ContentError."""

from __future__ import annotations

import shutil

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.errors import ContentError
from docgen.load import load

from .conftest import MINI

KEYS = ["事業番号", "基本方針", "項目", "事業名", "重点取組", "所管課", "現状と課題", "取組内容",
        "期待される効果", "達成目標", "実施工程表", "工程", "年度別", "名称", "開始", "終了",
        "計画期間後も継続", "用語", "2024", "x", ""]
TEXT = st.text(alphabet=st.sampled_from("あ漢-・（）【】#*<>&{}%\n 1234上期下期 -abc:|😀"), max_size=30)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=False), TEXT,
                    st.sampled_from(["1-2", "2024上期", "2030下期", "{{ x }}", "{% if %}"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(KEYS), st.integers(2020, 2030)), inner, max_size=5)),
    max_leaves=25)
DOCS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=DOCS)
def test_generated_project_files(tmp_path_factory, doc):
    root = tmp_path_factory.mktemp("fuzz") / "c"
    shutil.copytree(MINI, root)
    (root / "projects" / "1-2.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        load(root)
    except ContentError as exc:
        assert exc.problems


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(max_size=200), which=st.sampled_from(
    ["plan.yaml", "policies.yaml", "glossary.yaml", "chapters.yaml", "figures.yaml", "briefing.yaml",
     "projects/1-1.yaml"]))
def test_generated_raw_text(tmp_path_factory, raw, which):
    root = tmp_path_factory.mktemp("raw") / "c"
    shutil.copytree(MINI, root)
    (root / which).write_text(raw, encoding="utf-8")
    try:
        load(root)
    except ContentError as exc:
        assert exc.problems


FIELD_TEXT = st.lists(st.sampled_from(list("あいう漢字、。（）「」【】・ー…っ") + list("AIOCR-&<>%19 ")
                                      + ["\n", "\n\n- ", "Information&Communication", "あ" * 40]),
                      min_size=1, max_size=120).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(issues=FIELD_TEXT, name=st.lists(st.sampled_from(list("窓口AB-（）・") + ["Communication"]),
                                        min_size=1, max_size=8).map("".join))
def test_generated_text_always_builds(tmp_path_factory, issues, name):
    """Whatever text a valid project holds, the PDF and the Word file are written without an error."""
    from docgen.build import build

    root = tmp_path_factory.mktemp("text") / "c"
    shutil.copytree(MINI, root)
    path = root / "projects" / "1-2.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["現状と課題"] = issues
    doc["事業名"] = name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        build(root, root.parent / "out", ("pdf", "docx"))
    except ContentError as exc:  # text outside the Markdown subset is reported, not crashed on
        assert exc.problems
