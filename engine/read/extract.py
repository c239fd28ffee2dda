"""A document's text as numbered paragraphs: .docx (paragraphs and table rows), text-layer .pdf, .txt.

Every file is measured before it is opened: at most ``MAX_BYTES`` on disk; a .docx (a zip) at most
``MAX_UNZIPPED`` bytes once unpacked and ``MAX_ENTRIES`` members, checked from the zip directory before
python-docx reads a byte of XML (a zip bomb is refused unread); a .pdf at most ``MAX_PAGES`` pages, not
encrypted, with a text layer. A refusal is an ``InputError`` with one Chinese line naming the file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from quanze.engine.model.errors import InputError, Problem, display_path

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 40 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_PAGES = 200
MAX_PARAGRAPHS = 5000
SUFFIXES = (".docx", ".pdf", ".txt")

_END = "。；：！？」）)』】;:!?"


@dataclass(frozen=True)
class Text:
    """A document's paragraphs (1-based 第 N 段 is ``paragraphs[N - 1]``); a table row is one paragraph, cells
    joined by "：" (a label cell) or "　"."""

    name: str  # the file name shown to people (no folder)
    paragraphs: list[str]


def refuse(name: str, message: str) -> InputError:
    return InputError([Problem(name, "", message)])


def read_text(path: Path) -> Text:
    """The paragraphs of a .docx, .pdf or .txt file, or an ``InputError`` saying in Chinese why not."""
    name = display_path(path.name)
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError:
        raise refuse(name, "无法读取此文件") from None
    if suffix not in SUFFIXES:
        if suffix == ".doc":
            raise refuse(name, "旧版 Word 文档（.doc）无法读取，请在 Word 中另存为 .docx 后再读取")
        raise refuse(name, "只能读取 .docx、.pdf（带文字层）和 .txt 文书")
    if size > MAX_BYTES:
        raise refuse(name, f"文件过大（{size // (1024 * 1024)} MB），单份文书最多 {MAX_BYTES // (1024 * 1024)} MB")
    try:
        data = path.read_bytes()
    except OSError:
        raise refuse(name, "无法读取此文件") from None
    return read_bytes(name, data)


def read_bytes(name: str, data: bytes) -> Text:
    """The paragraphs of a document given as bytes (an upload); the kind is told by the bytes, then the name."""
    if len(data) > MAX_BYTES:
        raise refuse(name, f"文件过大，单份文书最多 {MAX_BYTES // (1024 * 1024)} MB")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise refuse(name, "旧版 Word 文档（.doc）或受密码保护的 Word 文档无法读取，请另存为不加密的 .docx 后再读取")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        paragraphs = _docx(name, data)
    elif data.lstrip()[:5] == b"%PDF-":
        paragraphs = _pdf(name, data)
    elif name.lower().endswith(".txt") or not name.lower().endswith((".docx", ".pdf", ".doc")):
        paragraphs = _txt(name, data)
    else:
        raise refuse(name, "文件内容与扩展名不符，无法读取")
    paragraphs = [p for p in (_clean(p) for p in paragraphs) if p]
    if not paragraphs:
        raise refuse(name, "文书中没有文字")
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise refuse(name, f"段落过多（{len(paragraphs)} 段），不像一份行政处罚文书")
    return Text(name, paragraphs)


def _clean(text: str) -> str:
    text = "".join(" " if unicodedata.category(ch) in ("Zl", "Zp") else ch for ch in text)
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\t")
    return re.sub(r"[ \t\u3000]+", " ", text).strip()


def _docx(name: str, data: bytes) -> list[str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse(name, "不是有效的 .docx 文件（压缩包已损坏）") from None
    if len(members) > MAX_ENTRIES:
        raise refuse(name, f"不是正常的 .docx 文件（含 {len(members)} 个成员）")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNZIPPED:
        raise refuse(name, f"解压后过大（{unpacked // (1024 * 1024)} MB），不是正常的 .docx 文件，未读取")
    if "word/document.xml" not in {m.filename for m in members}:
        if "EncryptedPackage" in {m.filename for m in members}:
            raise refuse(name, "文档受密码保护，无法读取，请去除密码后再读取")
        raise refuse(name, "不是 Word 文档（缺少正文 word/document.xml）")
    import docx  # python-docx: imported only when a .docx is read
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds for a damaged package; each means the same to an officer
        raise refuse(name, "不是有效的 .docx 文件（无法打开）") from None
    out: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = list(dict.fromkeys(c.text.strip() for c in row.cells))  # merged cells repeat
                out.append(join_cells([c for c in cells if c]))
    return out


def join_cells(cells: list[str]) -> str:
    """A table row as one paragraph: 「标签：值」 when the first cell is a short label, else cells side by side."""
    if len(cells) >= 2 and len(cells[0]) <= 12 and not cells[0].endswith(("：", ":")):
        return cells[0] + "：" + "　".join(cells[1:])
    return "　".join(cells)


def _pdf(name: str, data: bytes) -> list[str]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about odd PDFs are not the officer's business
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise refuse(name, "PDF 受密码保护或已加密，无法读取，请去除密码后再读取")
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise refuse(name, f"PDF 页数过多（{len(pages)} 页），最多 {MAX_PAGES} 页")
        text = "\n".join(page.extract_text() or "" for page in pages)
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError):
        raise refuse(name, "不是有效的 PDF 文件（无法打开）") from None
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise refuse(name, "PDF 没有文字层（扫描件或图片），无法读取；请使用带文字层的 PDF 或 .docx")
    # a text layer puts a space after each run of digits set in another font: 2026 年4 月16 日, 3 号
    text = re.sub(r"(?<=[0-9])[ ](?=[\u4e00-\u9fff])", "", text)
    return join_lines(text.splitlines())


def _txt(name: str, data: bytes) -> list[str]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise refuse(name, "不是文本文件（无法按 UTF-8 或 GB18030 解码）")
    if "\x00" in text:
        raise refuse(name, "不是文本文件（含二进制内容）")
    return join_lines(text.splitlines())


# labels that open a line of their own in these documents (a 「处罚：」 after a wrapped 「作出如下行政」 is no label)
LABELS = (
    "当事人名称",
    "当事人",
    "被处罚人",
    "被处罚单位",
    "被检查人",
    "被检查单位",
    "受送达人",
    "统一社会信用代码",
    "社会信用代码",
    "信用代码",
    "公民身份号码",
    "身份证号码",
    "身份证号",
    "住所地",
    "住所",
    "住址",
    "地址",
    "经营场所",
    "法定代表人",
    "负责人",
    "联系人",
    "联系电话",
    "电话",
    "检查时间",
    "检查地点",
    "检查情况",
    "执法人员",
    "记录人",
    "案件来源",
    "案由",
    "简要案情",
    "承办人意见",
    "负责人审批意见",
    "立案日期",
    "立案时间",
    "送达文书名称及文号",
    "送达文书名称",
    "送达地点",
    "送达方式",
    "收件人签名",
    "送达人",
    "收款单位",
    "开户银行",
    "账号",
    "附件",
)
_STARTS_NEW = re.compile(r"^(?:[（(]?[0-9０-９一二三四五六七八九十]{1,2}[.、．)）]|附件|(?:" + "|".join(LABELS) + r")(?:[：:]|[ 　]+\S))")
_CONTINUES = "，、。；：）」》"


def join_lines(lines: list[str]) -> list[str]:
    """Paragraphs from lines broken by width (a scan, a PDF). A line that does not end a sentence runs on into the
    next when it is as long as the common wrapped line, or at least 20 characters and followed by a line that is
    neither a numbered entry, a 「标签：」 nor a short line of its own (a title, a signature); a line starting
    with 「，、。」 always continues the one before."""
    lines = [line.strip() for line in lines]
    lengths = Counter(len(line) for line in lines if len(line) >= 20)
    width = max(lengths, key=lambda n: (lengths[n], n)) if lengths else 0  # the most common long line: the wrap width
    if lengths[width] < max(3, sum(lengths.values()) // 5):
        width = 10**6  # no width is common: the lines were not broken by width
    out: list[str] = []
    carry = ""
    for i, line in enumerate(lines):
        if not line:
            if carry:
                out.append(carry)
                carry = ""
            continue
        carry += line
        nxt = next((x for x in lines[i + 1 : i + 2] if x), "")
        opened = carry.count("（") + carry.count("(") > carry.count("）") + carry.count(")")
        if not nxt or (carry.endswith(tuple(_END)) and not opened):
            out.append(carry)
            carry = ""
            continue
        runs_on = (
            nxt[0] in _CONTINUES
            or opened
            or (len(line) >= max(16, width * 0.85) and not _STARTS_NEW.match(nxt))
            or (len(line) >= 20 and not _STARTS_NEW.match(nxt) and (len(nxt) >= 16 or nxt.endswith(tuple(_END))))
        )
        if not runs_on:
            out.append(carry)
            carry = ""
    if carry:
        out.append(carry)
    return out
