"""Checks of plan.yaml's shape settings (計画期間, 体系, カード, ラベル) that pydantic cannot make:
names that collide, numbering formats, the grid's part names.  They run before the project files
and policies.yaml are read, because those are validated against models made from these settings.
"""

from __future__ import annotations

from . import fiscal, model, numbers
from .errors import Problems
from .yamlsrc import Node, Seq

PROJECT_KEYS = ("事業番号", "事業名", "重点取組", "用語", "状況", "主担当課")
GROUP_KEYS = ("番号", "名称", "説明", "基本理念")

# label settings that are formats, and the names each may use
LABEL_FORMATS = {"章番号": ["番号"], "参照": ["番号", "事業名"], "金額の単位": ["単位"], "担当分": ["所管課"], "主担当": ["関係課"],
                 "主担当は他課": ["主担当課"]}


def _line(node, *keys) -> int:
    """Line of the value at ``keys`` inside plan.yaml (the nearest existing parent's line)."""
    line = getattr(node, "line", 1)
    for key in keys:
        if isinstance(node, Node) and key in node:
            line = node.value_line(key)
            node = node[key]
        elif isinstance(node, Seq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.item_line(key)
            node = node[key]
        else:
            break
    return line


def check(meta: model.PlanMeta | model.PlanShape, source, problems: Problems) -> bool:
    """Report every problem of the settings; True when projects can be read against them."""
    before = len(problems.items)
    data, path = source.data, source.path

    def add(keys: tuple, field: str, message: str) -> None:
        problems.add(path, _line(data, *keys), field, message)

    period = meta.period
    if period.end < period.start:
        add(("計画期間", "終了年度"), "計画期間.終了年度", f"終了年度 {period.end} が開始年度 {period.start} より前です")
    elif period.end - period.start + 1 > fiscal.MAX_YEARS:
        add(("計画期間", "終了年度"), "計画期間.終了年度",
            f"計画期間は{fiscal.MAX_YEARS}年度までです（いまは{period.end - period.start + 1}年度）")
    parts = fiscal.PARTS[period.unit]
    if period.part_names is not None:
        if period.unit == "年度":
            add(("計画期間", "区分名"), "計画期間.区分名", "区切りが「年度」のときは区分名を書きません")
        elif len(period.part_names) != parts:
            add(("計画期間", "区分名"), "計画期間.区分名",
                f"区切りが「{period.unit}」なので区分名は{parts}つ書いてください（いまは{len(period.part_names)}つ）")
        elif len(set(period.part_names)) != parts:
            add(("計画期間", "区分名"), "計画期間.区分名", "区分名が重複しています")
        elif any(name[0].isdigit() for name in period.part_names):
            add(("計画期間", "区分名"), "計画期間.区分名", "区分名は数字で始めないでください（「2023上期」と続けて書くため）")

    levels = meta.levels
    names = [level.name for level in levels]
    card_names = [spec.name for spec in meta.card]
    for i, level in enumerate(levels):
        keys = ("体系", "階層", i, "名前")
        field = f"体系.階層[{i + 1}].名前"
        if names.index(level.name) != i:
            add(keys, field, f"階層の名前「{level.name}」が重複しています")
        elif level.name in PROJECT_KEYS + GROUP_KEYS or level.name in card_names:
            add(keys, field, f"「{level.name}」は{'カードの項目' if level.name in card_names else 'ほかの項目'}の名前と"
                             "同じなので階層の名前に使えません")
        allowed = ["番号", "通し番号"] + names[:i]
        for message in numbers.problems(level.label, allowed, ("番号",)):
            add(("体系", "階層", i, "番号"), f"体系.階層[{i + 1}].番号", message)
    allowed = names + [f"{n}の通し番号" for n in names] + ["連番"]
    for message in numbers.problems(meta.hierarchy.number, allowed, ("連番",)):
        add(("体系", "事業番号"), "体系.事業番号", message)
    if any(ch in numbers.PLACEHOLDER.sub("", meta.hierarchy.number) for ch in '\\/:*?"<>|'):
        add(("体系", "事業番号"), "体系.事業番号", "事業番号はファイル名にもなるので \\ / : * ? \" < > | は使えません")

    kinds_once = {}
    for j, spec in enumerate(meta.card):
        keys = ("カード", j)
        field = f"カード[{j + 1}]"
        if card_names.index(spec.name) != j:
            add(keys + ("名前",), f"{field}.名前", f"カードの項目名「{spec.name}」が重複しています")
        elif spec.name in PROJECT_KEYS:
            add(keys + ("名前",), f"{field}.名前", f"「{spec.name}」は決まった項目の名前なのでカードの項目名に使えません")
        if spec.kind in ("工程表", "所管課"):
            if spec.kind in kinds_once:
                add(keys + ("種類",), f"{field}.種類", f"種類「{spec.kind}」の項目は1つだけにしてください")
            kinds_once[spec.kind] = j
        if spec.unit is not None and spec.kind != "金額":
            add(keys + ("単位",), f"{field}.単位", "単位は種類「金額」の項目にだけ書けます")

    for key, allowed_names in LABEL_FORMATS.items() if isinstance(meta, model.PlanMeta) else ():
        alias_to_field = {f.alias: n for n, f in model.Labels.model_fields.items()}
        value = getattr(meta.labels, alias_to_field[key])
        for message in numbers.problems(value, allowed_names):
            add(("ラベル", key), f"ラベル.{key}", message)
    return len(problems.items) == before
