"""A hypothesis strategy for whole plans of any shape: period 1–10 years, each grid unit, one to
three levels with their own names and numbering formats, any set of card fields with labels short
and long, zero to three projects per group.  Used by the tests and by ``make fuzz``."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import strategies as st

LEVEL_NAMES = ["基本方針", "項目", "基本目標", "施策", "取組分野", "政策", "分野", "重点戦略"]
KANJI = "市民窓口電子申請行政手続情報推進計画地域防災教育福祉子育健康観光産業環境交通"
KANA = "デジタルシステムオンラインサービスデータクラウド"
TEXT = st.text(alphabet=KANJI + KANA + "ー、。（）0123456789ABC", min_size=1, max_size=60).map(str.strip).filter(bool)


def _short(max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=KANJI + KANA, min_size=1, max_size=max_size)


@st.composite
def plan_shapes(draw) -> dict:
    """A plan as the files of a content folder: {relative path: YAML data}."""
    start = draw(st.integers(2020, 2030))
    years = draw(st.integers(1, 10))
    end = start + years - 1
    unit = draw(st.sampled_from(["年度", "半期", "四半期"]))
    parts = {"年度": [], "半期": ["上期", "下期"], "四半期": ["第1四半期", "第2四半期", "第3四半期", "第4四半期"]}[unit]
    depth = draw(st.integers(1, 3))
    names = draw(st.permutations(LEVEL_NAMES))[:depth]
    levels = []
    for i, name in enumerate(names):
        options = [f"{name}{{番号}}", "（{番号}）", "第{番号}章", "{番号:英大}", "{番号:丸}"]
        if i:
            options.append(f"{{{names[i - 1]}}}-{{番号}}")
        levels.append({"名前": name, "番号": draw(st.sampled_from(options))})
    number = draw(st.sampled_from([
        "-".join(f"{{{n}}}" for n in names) + "-{連番}",
        f"{{{names[-1]}の通し番号}}-{{連番}}",
        f"{{{names[0]}:英大}}" + "".join(f"{{{n}}}" for n in names[1:]) + "-{連番:02}",
    ]))
    word = draw(st.sampled_from(["事業", "取組", "事務事業"]))
    kinds = draw(st.lists(st.sampled_from(["文章", "短文", "金額", "指標"]), min_size=1, max_size=5))
    card = [{"名前": "所管課", "種類": "所管課"}] if draw(st.booleans()) else []
    for j, kind in enumerate(kinds):
        spec = {"名前": f"項目{j + 1}", "種類": kind, "必須": draw(st.booleans())}
        if draw(st.booleans()):
            spec["見出し"] = draw(_short(30))
        if kind == "金額":
            spec["単位"] = "千円"
        card.append(spec)
    schedule_at = draw(st.integers(0, len(card)))
    card.insert(schedule_at, {"名前": "工程表", "種類": "工程表", "見出し": draw(_short(20))})
    plan = {
        "自治体名": draw(_short(6)) + draw(st.sampled_from(["市", "町", "村", "区", "県"])),
        "計画名": draw(_short(40)), "ファイル名": "shape", "状態": "策定", "発行": {"年": start, "月": 3},
        "計画期間": {"開始年度": start, "終了年度": end, "区切り": unit},
        "体系": {"階層": levels, "事業の呼び名": word, "事業番号": number},
        "カード": card, "奥付": {"発行者": draw(_short(20))},
        "ラベル": {"体系の章": draw(_short(20)), "事業の章": draw(_short(20)), "重点の見出し": draw(_short(12))},
    }

    files: dict[str, object] = {"plan.yaml": plan}
    leaves: list[tuple[tuple[int, ...], int]] = []  # (path, ordinal of the leaf)

    def groups(level: int, path: tuple[int, ...]) -> list[dict]:
        out = []
        for n in range(1, draw(st.integers(1, 3)) + 1):
            entry = {"番号": n, "名称": draw(_short(40))}
            if level == 0 and draw(st.booleans()):
                entry["説明"] = draw(TEXT)
            if level + 1 < depth:
                entry[names[level + 1]] = groups(level + 1, path + (n,))
            else:
                leaves.append((path + (n,), len(leaves) + 1))
            out.append(entry)
        return out

    files["policies.yaml"] = {"基本理念": draw(_short(40)), names[0]: groups(0, ())}
    files["glossary.yaml"] = [{"用語": "デジタル", "読み": "でじたる", "定義": "電子的な方法。"}]
    used_term = False
    for path, ordinal in leaves:
        for seq in range(1, draw(st.integers(0, 3)) + 1):
            values = {n: k for n, k in zip(names, path)}
            values.update({f"{names[-1]}の通し番号": ordinal, "連番": seq})
            from docgen import numbers
            code = numbers.render(number, values)
            project = {"事業番号": code, **{n: k for n, k in zip(names, path)}, "事業名": draw(_short(50)),
                       "重点取組": draw(st.booleans())}
            for spec in card:
                if not spec.get("必須", True) and draw(st.booleans()):
                    continue
                project[spec["名前"]] = draw(_value(spec["種類"], start, end, unit, parts))
            if not used_term:
                project["用語"] = ["デジタル"]
                project["事業名"] += "デジタル"
                used_term = True
            files[f"projects/{code}.yaml"] = project
    if not used_term:
        files["glossary.yaml"] = []
    return files


def _value(kind: str, start: int, end: int, unit: str, parts: list[str]):
    if kind == "所管課":
        return st.lists(_short(20), min_size=1, max_size=4)
    if kind == "文章":
        return TEXT
    if kind == "短文":
        return st.one_of(_short(30), st.lists(_short(15), min_size=1, max_size=3))
    if kind == "金額":
        return st.dictionaries(st.integers(start, end), st.integers(0, 10**7), min_size=1)
    if kind == "指標":
        return st.lists(st.fixed_dictionaries(
            {"指標名": _short(30), "単位": st.sampled_from(["件", "%", "人", ""]),
             "目標値": st.dictionaries(st.integers(start, end + 2), st.integers(0, 10**6), min_size=1)},
            optional={"基準値": st.fixed_dictionaries({"年度": st.just(start - 1), "値": st.integers(0, 1000)}),
                      "最終目標": st.fixed_dictionaries({"年度": st.just(end + 2), "値": st.integers(0, 10**6)}),
                      "算出方法": TEXT}), min_size=1, max_size=3)
    return _schedule(start, end, unit, parts)


@st.composite
def _schedule(draw, start: int, end: int, unit: str, parts: list[str]):
    cells = (end - start + 1) * max(1, len(parts)) + 2  # two cells past the period too

    def written(cell: int):
        per = max(1, len(parts))
        year = start + cell // per
        return year if unit == "年度" else f"{year}{parts[cell % per]}"

    starts = sorted(set(draw(st.lists(st.integers(0, cells - 1), min_size=1, max_size=4))))
    phases = []
    for i, cell in enumerate(starts):
        phase = {"名称": draw(_short(12)), "開始": written(cell)}
        if i == len(starts) - 1 and draw(st.booleans()):
            phase["計画期間後も継続"] = True
        phases.append(phase)
    yearly = draw(st.dictionaries(st.integers(start, end + 1), st.lists(_short(30), min_size=1, max_size=3)))
    return {"工程": phases, "年度別": yearly}


def write(folder: Path, files: dict) -> Path:
    for relative, data in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "projects").mkdir(exist_ok=True)
    return folder
