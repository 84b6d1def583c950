"""Catalogues of hostile values.  Each entry is ``(label, value)``; the label names the entry in a
reproducer.  Values that ``yaml.safe_dump`` can write are Python values; what it cannot express
(escapes in double-quoted scalars, ``.nan``, aliases, integers over 4,300 digits, deep nesting, whole
documents) is raw YAML text spliced into the file."""

from __future__ import annotations

import datetime

# ---- text fragments (inserted into, or replacing, string values) ---------------------------------

CONTROL = [
    ("NUL", "\x00"), ("SOH", "\x01"), ("BEL", "\x07"), ("BS", "\x08"), ("VT", "\x0b"), ("FF", "\x0c"),
    ("ESC-seq", "\x1b[31m赤\x1b[0m"), ("DEL", "\x7f"), ("C1-80", "\x80"), ("C1-9F", "\x9f"), ("NEL", "\x85"),
    ("NUL-mid", "前\x00後"),
]
WHITESPACE = [
    ("TAB", "\t"), ("TAB-mid", "項目\t説明"), ("CR", "\r"), ("CR-mid", "前\r後"), ("CRLF", "前\r\n後"),
    ("LF", "\n"), ("LF2", "\n\n"), ("spaces", "   "), ("ideographic-space", "\u3000"), ("NBSP", "\u00a0"),
    ("LSEP", "前\u2028後"), ("PSEP", "前\u2029後"), ("NEL-mid", "前\u0085後"), ("thin-space", "\u2009"),
    ("narrow-nbsp", "\u202f"), ("only-spaces", " \u3000 "), ("trailing-LF", "文末\n"),
]
ZERO_WIDTH = [
    ("ZWSP", "\u200b"), ("ZWNJ", "\u200c"), ("ZWJ", "\u200d"), ("WJ", "\u2060"), ("BOM-mid", "\ufeff"),
    ("SHY", "\u00ad"), ("MVS", "\u180e"), ("CGJ", "\u034f"), ("ZWSP-word", "電子\u200b申請"),
]
BIDI = [
    ("LRM", "\u200e"), ("RLM", "\u200f"), ("LRE", "\u202a"), ("RLE", "\u202b"), ("PDF", "\u202c"),
    ("LRO", "\u202d"), ("RLO", "\u202e"), ("RLO-text", "\u202eアイウ\u202c"), ("LRI", "\u2066"),
    ("RLI", "\u2067"), ("FSI", "\u2068"), ("PDI", "\u2069"), ("ALM", "\u061c"),
]
OUTSIDE_FONTS = [
    ("emoji", "😀"), ("emoji-zwj", "👨\u200d👩\u200d👧\u200d👦"), ("flag", "🇯🇵"), ("keycap", "1\ufe0f\u20e3"),
    ("emoji-vs16", "❤\ufe0f"), ("tsuchiyoshi", "𠮷野家"), ("hokke", "𩸽"), ("ivs", "葛\U000e0100"),
    ("nfd-kana", "か\u3099"), ("nfd-latin", "e\u0301"), ("halfwidth-kana", "ｶﾞｷﾞｸﾞ"), ("hangul", "한국어"),
    ("arabic", "مرحبا"), ("hebrew", "עברית"), ("devanagari", "हिन्दी"), ("thai", "ไทย"),
    ("math-bold", "\U0001d400\U0001d401"), ("replacement", "\ufffd"), ("nonchar-FFFF", "\uffff"),
    ("nonchar-FFFE", "\ufffe"), ("max-cp", "\U0010ffff"), ("private-use", "\ue000"), ("plane15", "\U000f0000"),
    ("old-forms", "髙﨑㈱Ⅻ①⑳㉑"), ("fraktur", "𝔘𝔫𝔦"), ("combining-stack", "あ\u0301\u0302\u0303\u0304"),
]
CHAR_REFS = [
    ("ref-hex-20BB7", "&#x20BB7;"), ("ref-dec-20BB7", "&#134071;"), ("ref-amp", "&amp;"), ("ref-lt", "&lt;"),
    ("ref-gt", "&gt;"), ("ref-quot", "&quot;"), ("ref-copy", "&copy;"), ("ref-nbsp", "&nbsp;"),
    ("ref-zero", "&#0;"), ("ref-surrogate", "&#xD800;"), ("ref-too-big", "&#x110000;"),
    ("ref-huge", "&#9999999999;"), ("ref-unknown", "&unknown;"), ("amp", "&"), ("amp2", "A&&B"),
    ("amp-hash", "&#"), ("ref-amp-amp", "&amp;amp;"), ("ref-tag", "&lt;b&gt;"), ("ref-A", "&#x41;"),
    ("ref-a-kana", "&#12354;"), ("ref-hellip", "&hellip;"), ("ref-lsep", "&#x2028;"), ("ref-zwsp", "&#x200B;"),
    ("ref-rlo", "&#8238;"), ("ref-nocolon", "&copy"), ("ref-ctrl", "&#x1;"), ("amp-text", "R&D&amp;A"),
]
BACKSLASH = [
    ("bs", "\\"), ("bs2", "\\\\"), ("bs-n", "\\n"), ("bs-t", "\\t"), ("bs-star", "\\*"), ("bs-hash", "\\#"),
    ("bs-bracket", "\\[\\["), ("bs-amp", "\\&amp;"), ("win-path", "C:\\Users\\計画\\"), ("bs-eol", "末尾\\"),
    ("bs-u", "\\u3042"), ("bs-x", "\\x41"), ("bs-eol-mid", "行\\\n次の行"),
]
MARKDOWN = [
    ("md-h1", "# 見出し"), ("md-h2", "## 小見出し"), ("md-h4", "#### 深い見出し"), ("md-strong", "**太字**"),
    ("md-em", "*斜体*"), ("md-em-u", "_斜体_"), ("md-code", "`code`"), ("md-fence", "```\ncode\n```"),
    ("md-quote", "> 引用"), ("md-link", "[リンク](http://example.com)"), ("md-html", "<b>太字</b>"),
    ("md-comment", "<!-- 注 -->"), ("md-script", "<script>alert(1)</script>"), ("md-hr", "---"),
    ("md-hr-star", "***"), ("md-bullet", "- 箇条"), ("md-bullet-lf", "\n\n- 箇条一\n- 箇条二"),
    ("md-ordered", "1. 番号"), ("md-ordered-lf", "\n\n1. 第一\n2. 第二"), ("md-ordered-paren", "10) 番号"),
    ("md-ordered-big", "\n\n2024. 年度"), ("md-nested", "\n\n- 親\n  - 子"),
    ("md-table", "\n\n| 列A | 列B |\n|---|---:|\n| 1 | 2 |"), ("md-ref", "[[1-1]]"),
    ("md-ref-missing", "[[存在しない事業]]"), ("md-ref-open", "[["), ("md-ref-close", "]]"),
    ("md-nakaguro", "\n・項目"), ("md-image", "![画像](x.png)"), ("md-indent", "\n\n    字下げ"),
    ("md-autolink", "<https://example.com>"), ("md-hardbreak", "行  \n次の行"), ("md-setext", "題\n==="),
    ("md-label", "（現状）"), ("md-label-bracket", "【①交付】"), ("md-strike", "~~取消~~"),
    ("md-footnote", "[^1]"), ("md-linkref", "[a]: http://x"), ("md-bullet-plus", "+ 項目"),
    ("md-escape-run", "\\*\\_\\`\\#\\>"), ("md-pipe", "A | B | C"),
]
JINJA = [
    ("jinja-count", "{{ 事業数 }}"), ("jinja-undefined", "{{ 未定義 }}"), ("jinja-open", "{{"),
    ("jinja-close", "}}"), ("jinja-block-open", "{%"), ("jinja-comment", "{# 注 #}"),
    ("jinja-for", "{% for i in range(3) %}ア{% endfor %}"),
    ("jinja-if-false", "{% if false %}隠{% endif %}見"),
    ("jinja-huge-range", "{% for i in range(100000000) %}x{% endfor %}"),
    ("jinja-nested-loop", "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}"),
    ("jinja-range-list", "{{ range(10**9)|list }}"), ("jinja-str-mul", "{{ 'x' * 10**9 }}"),
    ("jinja-str-mul-mid", "{{ 'あ' * 3000000 }}"), ("jinja-pow", "{{ 10**4400 }}"),
    ("jinja-pow-tower", "{{ 9**9**9 }}"), ("jinja-lipsum", "{{ lipsum(100000) }}"),
    ("jinja-join", "{{ range(100000)|join(',') }}"), ("jinja-dunder", "{{ ''.__class__.__mro__ }}"),
    ("jinja-globals", "{{ self.__init__.__globals__ }}"),
    ("jinja-recursive-macro", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"),
    ("jinja-raw", "{% raw %}{{ 事業数 }}{% endraw %}"), ("jinja-div0", "{{ 1 // 0 }}"),
    ("jinja-filter-bad", "{{ 開始年度 | 存在しない }}"), ("jinja-filter-nendo", "{{ 開始年度 | 年度 }}"),
    ("jinja-filter-wareki-bad", "{{ '文字' | 和暦 }}"), ("jinja-filter-neg", "{{ -5 | 年度 }}"),
    ("jinja-cycler", "{{ cycler(1,2).next() }}"), ("jinja-dict", "{{ dict(a=1) }}"),
    ("jinja-set", "{% set x = 1 %}{{ x }}"), ("jinja-extends", "{% extends 'x' %}"),
    ("jinja-include", "{% include '/etc/passwd' %}"), ("jinja-import", "{% import 'x' as y %}"),
    ("jinja-top", "{{ 基本方針[0].名称 }}"), ("jinja-top-oob", "{{ 基本方針[99] }}"),
    ("jinja-format", "{{ '%s' % 事業数 }}"), ("jinja-escape-emoji", "{{ '\\U0001F600' }}"),
    ("jinja-escape-nul", "{{ '前\\x00後' }}"), ("jinja-chr", "{{ '%c' % 134071 }}"), ("jinja-tab", "{{ '\\t' }}"),
    ("jinja-loop-const", "{% for c in 計画名 %}{{ c }}{% endfor %}"),
]
LONG = [
    ("long-120", "長" * 120), ("long-121", "長" * 121), ("long-200", "字" * 200), ("long-2000", "あ" * 2000),
    ("long-10k", "漢" * 10_000), ("long-100k-latin", "a" * 100_000), ("long-words", "word " * 5000),
    ("long-no-break", "x" * 5000), ("long-lines", "行\n" * 3000), ("long-paras", "段落\n\n" * 2000),
    ("long-1M", "本" * 1_000_000),
]
MISC = [
    ("shell", "${HOME}$(id)`id`"), ("printf", "%s%d%n%x"), ("sql", "'; DROP TABLE x; --"),
    ("traversal", "../../../etc/passwd"), ("yaml-null", "null"), ("yaml-true", "true"), ("yaml-tilde", "~"),
    ("yaml-dash", "- "), ("yaml-colon", ": "), ("hash", "#"), ("squote", "'"), ("dquote", '"'),
    ("backtick", "`"), ("pipe", "|"), ("gt", ">"), ("bang", "!tag"), ("star", "*alias"), ("anchor", "&anchor"),
    ("directive", "%YAML 1.2"), ("doc-start", "---"), ("doc-end", "..."), ("question", "? "), ("at", "@"),
    ("brace", "{"), ("bracket", "["), ("fullwidth-digits", "０１２３"), ("kanji-digits", "一二三"),
    ("empty", ""), ("space", " "), ("format-brace", "{番号}"), ("format-open", "{"), ("format-close", "}"),
    ("percent", "100%"), ("url", "https://example.com/?a=1&b=2"), ("email", "dx@example.jp"),
    ("nakaguro-only", "・"), ("kakko-open", "（"), ("kakko-close", "）"), ("bracket-label", "【】"),
    ("fullwidth-colon", "名前：値"), ("smart-quotes", "“引用”‘x’"), ("ellipsis", "……"),
    ("wave-dash", "〜～"), ("minus-variants", "−―‐－"), ("yen", "¥\\￥"),
]

TEXT_CATEGORIES: list[tuple[str, float, list[tuple[str, str]]]] = [
    ("control", 8, CONTROL), ("whitespace", 10, WHITESPACE), ("zero-width", 6, ZERO_WIDTH), ("bidi", 4, BIDI),
    ("outside-fonts", 8, OUTSIDE_FONTS), ("char-refs", 10, CHAR_REFS), ("backslash", 6, BACKSLASH),
    ("markdown", 12, MARKDOWN), ("jinja", 10, JINJA), ("long", 3, LONG), ("misc", 8, MISC),
]

# entries that hang or eat memory in C code a signal cannot interrupt: rarer than the rest
EXPENSIVE = {"jinja-pow-tower", "jinja-str-mul", "jinja-nested-loop", "jinja-huge-range", "long-1M",
             "jinja-lipsum", "jinja-range-list"}

# carriers: visible words around a fragment, so that a fragment that swallows its neighbours shows
CARRIER_HEAD = "検試験照査確認"
CARRIER_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"

# ---- numbers ------------------------------------------------------------------------------------------

NUMBERS: list[tuple[str, object]] = [
    ("zero", 0), ("minus-one", -1), ("negative", -2024), ("big", 10**6), ("bigger", 10**9), ("i32", 2**31),
    ("i64", 2**63), ("i64-neg", -(2**63)), ("1e18", 10**18), ("1e100", 10**100), ("1e300", 10**300),
    ("float", 1.5), ("float-year", 2024.0), ("float-tiny", 1e-300), ("float-huge", 1e308), ("neg-zero", -0.0),
    ("true", True), ("false", False), ("none", None), ("str-num", "12"), ("str-year", "2024"),
    ("fullwidth-year", "２０２４"), ("date", datetime.date(2024, 3, 31)),
    ("datetime", datetime.datetime(2024, 3, 31, 12, 0)), ("year-2201", 2201), ("year-1867", 1867),
    ("year-9999", 9999), ("year-0", 0), ("month-13", 13), ("str-month", "3月"), ("year-1868", 1868),
    ("year-1912", 1912), ("year-1926", 1926), ("year-1979", 1979), ("year-1989", 1989), ("year-2019", 2019),
    ("year-2107", 2107), ("year-2108", 2108), ("year-2200", 2200),
]

# raw YAML for a scalar's place (spliced over its source text)
RAW_SCALARS: list[tuple[str, str]] = [
    ("esc-surrogate", '"\\ud800"'), ("esc-low-surrogate", '"前\\udfff後"'), ("esc-pair", '"\\ud842\\udfb7"'),
    ("esc-U20BB7", '"\\U00020BB7"'), ("esc-nul", '"前\\x00後"'), ("esc-0", '"\\0"'), ("esc-e", '"\\e"'),
    ("esc-bell", '"\\a"'), ("esc-N", '"前\\N後"'), ("esc-L", '"前\\L後"'), ("esc-P", '"前\\P後"'),
    ("esc-nbsp", '"\\_"'), ("esc-tab", '"前\\t後"'), ("esc-cr", '"前\\r後"'), ("esc-bad", '"\\q"'),
    ("esc-U-bad", '"\\U99999999"'), ("sq", "'it''s'"), ("nan", ".nan"), ("NaN", ".NaN"), ("inf", ".inf"),
    ("neg-inf", "-.inf"), ("pos-inf", "+.inf"), ("float-overflow", "1.0e+400"), ("float-neg-overflow", "-1.0e+400"),
    ("hex", "0x7fffffffffffffff"), ("octal", "0o777"), ("binary", "0b1010"), ("underscore", "1_000_000"),
    ("sexagesimal", "190:20:30"), ("date", "2024-03-31"), ("timestamp", "2024-03-31T12:00:00Z"),
    ("bad-date", "2024-02-30"), ("yes", "yes"), ("no", "no"), ("on", "on"), ("Off", "Off"), ("True", "True"),
    ("NULL", "NULL"), ("tilde", "~"), ("nothing", ""), ("binary-tag", "!!binary aGVsbG8="),
    ("set-tag", "!!set {a, b}"), ("omap-tag", "!!omap [a: 1, b: 2]"), ("pairs-tag", "!!pairs [a: 1]"),
    ("python-tag", '!!python/object/apply:os.system ["echo pwned"]'), ("python-name", "!!python/name:os.system"),
    ("str-tag-int", "!!str 123"), ("int-tag-str", '!!int "12"'), ("float-tag-nan", '!!float "nan"'),
    ("bool-tag", '!!bool "maybe"'), ("custom-tag", "!custom x"), ("verbatim-tag", "!<tag:x> y"),
    ("anchor", "&a x"), ("undefined-alias", "*undefined"), ("recursive-seq", "&a [*a]"),
    ("recursive-map", "&a {k: *a}"), ("empty-seq", "[]"), ("empty-map", "{}"), ("nested-empty", "[[[]]]"),
    ("complex-key", "{? [a, b] : c}"), ("unclosed-dq", '"開いたまま'), ("unclosed-sq", "'開いたまま"),
    ("unclosed-seq", "[a, b"), ("unclosed-map", "{a: 1"), ("block-literal", "|\n  ブロック"),
    ("folded", ">-\n  折り返し"), ("comment-after", "値 # 注"), ("colon-space", "キー: 値"),
    ("dash-item", "- 項目"), ("reserved-at", "@予約"), ("reserved-backtick", "`予約"), ("percent", "%"),
    ("huge-int-4301", "1" + "0" * 4300), ("huge-int-5000", "1" + "0" * 5000), ("huge-neg-int", "-" + "9" * 5000),
    ("huge-int-100k", "7" * 100_000), ("tiny-float-long", "0." + "0" * 5000 + "1"),
    ("deep-flow-seq", "[" * 5000 + "]" * 5000), ("deep-flow-map", "{a: " * 3000 + "1" + "}" * 3000),
    ("deep-flow-seq-200", "[" * 200 + "]" * 200), ("dq-multiline", '"一行目\n\n  二行目"'),
    ("dq-escaped-lf", '"前\\\n  後"'), ("bom-in-value", "\ufeff値"), ("tab-before", "\t値"),
    ("long-dq", '"' + "あ" * 50_000 + '"'), ("merge", "{<<: {a: 1}, b: 2}"),
]

# ---- names that are not file names (所管課: one Word file each) -----------------------------------------

DEPARTMENT_NAMES: list[tuple[str, str]] = [
    ("dot-suffix", "総務課."), ("dotdot", ".."), ("dot", "."), ("CON", "CON"), ("con-ext", "con.txt"),
    ("NUL", "NUL"), ("COM1", "COM1"), ("LPT1", "LPT1"), ("PRN", "PRN"), ("AUX", "AUX"), ("slash", "総務/課"),
    ("backslash", "総務\\課"), ("colon", "総務:課"), ("trailing-space", "総務課 "), ("leading-space", " 総務課"),
    ("120-kanji", "課" * 120), ("86-kanji", "課" * 86), ("zwsp", "総務\u200b課"), ("question", "総務課?"),
    ("star", "*"), ("quotes", '"総務課"'), ("pipe", "総務|課"), ("lt-gt", "<総務課>"), ("tab", "総務\t課"),
    ("nfd", "か\u3099いこ\u3099課"), ("fullwidth-slash", "総務／課"), ("dash", "-"), ("dotfile", ".総務課"),
    ("tilde", "~総務課"), ("only-spaces", "\u3000"),
]
# a second name that collides with the first once made a file name
DEPARTMENT_PAIRS: list[tuple[str, tuple[str, str]]] = [
    ("dot-collide", ("総務課", "総務課.")), ("slash-colon", ("総務/課", "総務:課")),
    ("space-collide", ("総務課", "総務課 ")), ("case-collide", ("Soumu", "SOUMU")),
    ("nfc-nfd", ("がいこく課", "か\u3099いこく課")), ("dots", ("..", ".")),
]

FIGURE_SIZES: list[tuple[str, int]] = [
    ("1000", 1000), ("5000", 5000), ("1e6", 10**6), ("1e9", 10**9), ("i32", 2**31), ("i64", 2**63),
    ("1e18", 10**18), ("1e100", 10**100), ("1e300", 10**300),
]

# format strings where plan.yaml takes a {…} format (体系.階層.番号, 事業番号, ラベル)
FORMATS: list[tuple[str, str]] = [
    ("open", "{番号"), ("close", "番号}"), ("empty", "{}"), ("positional", "{0}"), ("colon", "{番号:}"),
    ("pad", "{番号:02}"), ("pad-99", "{番号:99}"), ("bad-spec", "{番号:x}"), ("conversion", "{番号!r}"),
    ("attr", "{番号.real}"), ("index", "{番号[0]}"), ("escaped", "{{番号}}"), ("twice", "{連番}{連番}"),
    ("kanji", "{基本方針:漢数字}"), ("jinja", "{{ 計画名 }}"), ("percent", "%(x)s"), ("many-open", "{" * 50),
    ("huge-pad", "{番号:" + "0" * 500 + "}"), ("unknown", "{不明}"), ("nested", "{番号:{連番}}"),
    ("roman", "{番号:ローマ}"), ("circled", "{連番:丸}"), ("alpha", "{連番:英大}"),
]

# keys inserted into mappings
KEYS: list[tuple[str, object]] = [
    ("int", 1), ("year", 2024), ("neg", -1), ("float", 1.5), ("true", True), ("none", None), ("empty", ""),
    ("space", " "), ("trailing-space", "事業名 "), ("zwsp", "事業名\u200b"), ("nfd", "ファイルメ\u3099"),
    ("fullwidth", "事業名："), ("unknown", "未知の項目"), ("date", datetime.date(2024, 4, 1)),
    ("emoji", "😀"), ("long", "鍵" * 300), ("md", "# 見出し"), ("jinja", "{{ 事業数 }}"),
]
