"""Chinese typesetting of officer-facing text: full-width punctuation, OS messages, CJK-aware wrapping.

``zh`` turns the half-width ``, ; : ( ) "`` of a Chinese sentence into ，；：（）“”, leaving codes,
dates, file names and English-only runs alone. ``wrap`` breaks lines at an 80-column terminal at
word boundaries, counting a Chinese character as two columns, never inside an amount, a date, a
file name or a citation such as 行政处罚法 第七十六条第一款.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2014\u2026\u201c\u201d「」『』〔〕【】"
_IS_CJK = re.compile(f"[{_CJK}]")

# OS and library messages that reach users (strerror texts)
OS_MESSAGES = {
    "No such file or directory": "文件或目录不存在",
    "Permission denied": "没有访问权限",  # read or write: the caller says which (safeio.os_reason)
    "Is a directory": "这是一个目录，不是文件",
    "Not a directory": "不是目录",
    "File exists": "文件已存在",
    "Read-only file system": "文件系统只读",
    "No space left on device": "磁盘空间不足",
    "File name too long": "文件名过长",
    "Too many levels of symbolic links": "符号链接层数过多",
    "Input/output error": "读写错误",
    "Address already in use": "端口已被占用（另一个程序正在监听）",
    "Cannot assign requested address": "本机没有这个地址",
    "Name or service not known": "无法解析此主机名",
    "Temporary failure in name resolution": "暂时无法解析此主机名",
}


def os_words(text: str) -> str:
    """OS messages (strerror) in Chinese, the rest of the text as it is."""
    for en, cn in OS_MESSAGES.items():
        text = text.replace(en, cn)
    return text


# Characters a text from a file may carry that a terminal would obey or hide: controls (C0, DEL, C1:
# ESC starts CSI and OSC sequences that clear the screen, set the title or write the clipboard), bidi
# overrides and isolates, zero-width and other format characters, line and paragraph separators,
# unassigned and private-use code points, and the default-ignorable ones outside those categories
# (Hangul fillers, variation selectors, the combining grapheme joiner, Mongolian selectors, tags), and
# the printable characters that render as blank (U+2800 braille pattern blank, U+1D159 musical null
# notehead, U+16FE4 Khitan filler). This is the one table: ``shown`` escapes them and ``identity``
# (engine/model/drafts.py) drops them with whitespace, so 执法证号 "A1" and "A1\u2800" are one officer.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u2800\u3164\ufe00-\ufe0f\uffa0\U000e0000-\U000e0fff\U00016fe4\U0001d159]"
)


def hidden(ch: str) -> bool:
    """Whether a character is invisible or acted on by a terminal (a control, format or ignorable character)."""
    return unicodedata.category(ch) in _HIDDEN_CATEGORIES or bool(_IGNORABLE.match(ch))


def shown(text: str, keep: str = "") -> str:
    """Untrusted text (from a draft, a file name, a rules file) safe to print: every hidden character as ``\\uXXXX``.

    ``keep`` lists characters left as they are (``"\\n"`` at the boundary of a whole report, whose
    own lines must stay lines). Printable text, Chinese and spaces included, is unchanged.
    """
    if (text.isprintable() and not _IGNORABLE.search(text)) or not any(hidden(c) and c not in keep for c in text):
        return text
    return "".join(_escape(c) if hidden(c) and c not in keep else c for c in text)


def _escape(ch: str) -> str:
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def has_hidden(text: str) -> bool:
    """Whether a text holds a hidden character (see ``hidden``)."""
    return (not text.isprintable() or bool(_IGNORABLE.search(text))) and any(hidden(c) for c in text)


def _cjk(ch: str) -> bool:
    return bool(ch) and bool(_IS_CJK.match(ch))


def _paren(m: re.Match[str]) -> str:
    inner = m.group(1)
    before = m.string[: m.start()].rstrip()[-1:]
    if _IS_CJK.search(inner) or _cjk(before) or before in "）」”":
        return f"（{inner.strip()}）"
    return m.group(0)


# what zh can change: ASCII ( ) , ; : ", whitespace, a doubled "（（" (every OS_MESSAGES text has a space); a text
# with none of them (a 文号, a name, a file name) is its own zh
_ZH_TOUCHES = re.compile(r'[(),;:"\s]|（（')
_CLOSE_SPACE = re.compile(r"）\s")


def zh(text: str) -> str:
    """Full-width punctuation in the Chinese sentences of a text; English-only runs stay as they are."""
    return _zh(text) if _ZH_TOUCHES.search(text) else text


def _zh(text: str) -> str:
    for en, cn in OS_MESSAGES.items():
        text = text.replace(en, cn)
    out = []
    for line in text.split("\n"):
        out.append(_zh_line(line))
    return "\n".join(out)


def _zh_line(line: str) -> str:
    if not _IS_CJK.search(line) or (line.lstrip().startswith("|") and "---" in line):
        return line
    indent = line[: len(line) - len(line.lstrip(" "))]
    body = line[len(indent) :]
    # each substitution runs only when the text holds what its pattern cannot match without (the same text
    # otherwise): most lines of a report hold none of them, and each pattern's Chinese character class takes
    # ~1 ms to compile
    # (…) with Chinese inside or after a Chinese character, innermost first
    if "(" in body:
        for _ in range(3):
            body = re.sub(r"\(([^()\n]*)\)", _paren, body)
    # "…" around Chinese
    if '"' in body:
        body = re.sub(r'"([^"\n]*[' + _CJK + r'][^"\n]*)"', r"“\1”", body)
    # , ; : next to a Chinese character (not inside numbers or times)
    if "," in body:
        body = re.sub(r"(?<=\S)\s*,\s+(?=\S)", _sep("，"), body)
    if ";" in body:
        body = re.sub(r"(?<=\S)\s*;\s*(?=\S)", _sep("；"), body)
    if ":" in body:
        body = re.sub(r"(?<=[" + _CJK + r"）」”])\s*:\s*(?=\S|$)", "：", body)
        body = re.sub(r"(?<=[" + _CJK + r"）」”])\s*:$", "：", body)
    if "," in body:
        body = re.sub(r"(?<=[" + _CJK + r"]),(?=[" + _CJK + r"])", "，", body)  # "形式,不一次" (a published text's comma)
    if ")" in body:
        body = re.sub(r"(?<=[" + _CJK + r"])\)", _half_close, body)  # "（行政公署)": closes a full-width parenthesis
    body = re.sub(r"\s+([，；：）」”])", r"\1", body)
    body = re.sub(r"(?<=\S) （", "（", body)
    body = re.sub(r"([，；：（「“])\s+", r"\1", body)
    if _CLOSE_SPACE.search(body):
        body = re.sub(r"）\s+(?=[" + _CJK + r"])", "）", body)
    return indent + _undouble(body)


def _half_close(m: re.Match[str]) -> str:
    before = m.string[: m.start()]
    return "）" if before.count("（") > before.count("）") else m.group(0)


def _undouble(body: str) -> str:
    """One pair of a doubled wrapper "（（…））" removed; nested parentheses ("（第（二）项）") kept."""
    if "（（" not in body:  # nothing doubled: the walk below would give the text back
        return body
    out, i = [], 0
    while i < len(body):
        if body.startswith("（（", i):
            inner_end = _close(body, i + 1)
            if inner_end is not None and inner_end + 1 < len(body) and body[inner_end + 1] == "）" and _close(body, i) == inner_end + 1:
                out.append(_undouble(body[i + 1 : inner_end + 1]))
                i = inner_end + 2
                continue
        out.append(body[i])
        i += 1
    return "".join(out)


def _close(body: str, start: int) -> int | None:
    """The index of the "）" closing the "（" at ``start``, or None."""
    depth = 0
    for j in range(start, len(body)):
        depth += {"（": 1, "）": -1}.get(body[j], 0)
        if depth == 0:
            return j
    return None


def _sep(full: str):
    def repl(m: re.Match[str]) -> str:
        s = m.string
        before = s[: m.start()].rstrip()[-1:]
        after = s[m.end() : m.end() + 1]
        if _cjk(before) or _cjk(after) or before in "）」”" or after in "（「“":
            return full
        return m.group(0)

    return repl


def officer_note(note: str, file: str) -> str:
    """A rules note as officers read it: a note written in English for maintainers points to its file."""
    if len(re.findall(r"[A-Za-z]{3,}", note)) > 3:
        return f"（维护说明，见 {file}）"
    return note


def width(text: str) -> int:
    """Columns a text takes on a terminal (wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


_NUM = r"[0-9][0-9,.]*(?:[–~-][0-9][0-9,.]*)?"
_ARTICLE_NO = r"第[一二三四五六七八九十百零〇0-9]+[条款项目章节]"
_ATOM_PATTERN = (  # compiled on first use (``_atom``): only a line too long for the terminal is cut into atoms
    # a citation: 行政处罚法 第七十六条第一款第（二）项
    r"[\u4e00-\u9fff]{2,20}(?:法|条例|规定|办法|细则|决定)\s" + _ARTICLE_NO + r"(?:" + _ARTICLE_NO + r"|第（[一二三四五六七八九十]+）项)*"
    r"|" + _ARTICLE_NO + r"(?:" + _ARTICLE_NO + r"|第（[一二三四五六七八九十]+）项)*"
    # a date, an amount or a count with its unit
    r"|\d{4}-\d{2}-\d{2}(?:\s?(?:起|至|前|后))?"
    r"|" + _NUM + r"\s?(?:万元|元|个工作日|工作日|日|年|项|人|条|个|次|平方米)?(?![A-Za-z0-9])"  # not the head of a hash (22cd…)
    # any other run of ASCII (codes, paths, dates)
    r"|[!-~]+"
    r"|\s+"
    r"|."
)
_NO_LINE_START = "，。；：）」”、！？％…—"
_NO_LINE_END = "（「“"


@functools.cache
def _atom() -> re.Pattern[str]:
    return re.compile(_ATOM_PATTERN)


def _atoms(text: str) -> list[str]:
    atoms: list[str] = []
    for m in _atom().finditer(text):
        a = m.group(0)
        if atoms and (a[0] in _NO_LINE_START or atoms[-1][-1:] in _NO_LINE_END) and not a.isspace():
            atoms[-1] += a
        else:
            atoms.append(a)
    return atoms


def wrap(text: str, columns: int = 80) -> str:
    """Wrap every line of a text at ``columns`` (hanging indent: the line's own indent + 2)."""
    out = []
    for line in text.split("\n"):
        if width(line) <= columns or line.lstrip().startswith("|"):
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        hang = indent + "  "
        current, used = indent, width(indent)
        for atom in _atoms(line[len(indent) :]):
            w = width(atom)
            if used + w > columns and current.strip():
                out.append(current.rstrip())
                if atom.isspace():
                    current, used = hang, width(hang)
                    continue
                current, used = hang, width(hang)
            current += atom
            used += w
        out.append(current.rstrip())
    return "\n".join(out)


def encodable(text: str) -> bool:
    """Whether a text is valid UTF-8 (no lone surrogates)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
