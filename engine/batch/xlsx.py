"""The review's file table as an Excel workbook (``<base>.xlsx``), written as a stream with zipfile and XML:
no dependency, memory flat in the number of rows.

Each cell holds the text of the CSV's cell (engine/batch/pages.py ``csv_cells``: spaces collapsed, a leading
= + - @ tab or CR quoted off with '), stored as an inline string (``t="inlineStr"``): never a formula, never a
number. Characters XML 1.0 cannot carry become U+FFFD, an ``_xHHHH_`` a spreadsheet would decode is kept as
written (its ``_`` escaped as ``_x005F_``), and a cell is cut at Excel's 32 767 characters (ending in ``…``).
A sheet holds at most ``MAX_ROWS`` rows (Excel's limit) or ``MAX_SHEET_BYTES`` of XML; the table goes on in
the next sheet, its header repeated.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO

SHEET = "评查文件表"
MAX_ROWS = 1_048_576  # rows of one Excel sheet, its header included
MAX_SHEET_BYTES = 1 << 30  # well under the 2 GiB a zip entry holds without ZIP64 (which some Excel versions refuse)
MAX_CELL = 32_767  # characters (UTF-16 units) of one Excel cell
_WIDTHS = {"文号": 24, "事项": 9, "承办人": 10, "结论": 8, "得分": 7, "发现": 60, "文件": 40}

_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPE_LIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# any character cell_xml changes: one XML cannot carry, one it escapes (& < >), an _xHHHH_ a spreadsheet would decode
_ATTENTION = re.compile("[^\t\n\r\x20-\x25\x27-\x3b\x3d\x3f-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|_x[0-9A-Fa-f]{4}_")


def cell_xml(text: str) -> str:
    """The XML text of a cell's string: safe for XML, read back by a spreadsheet as written."""
    if len(text) <= MAX_CELL // 2 and not _ATTENTION.search(text):  # most cells: nothing to change
        return text
    if len(text) > MAX_CELL // 2 and len(units := text.encode("utf-16-le", "surrogatepass")) > 2 * MAX_CELL:
        text = units[: 2 * (MAX_CELL - 1)].decode("utf-16-le", "ignore") + "…"  # Excel counts UTF-16 units
    text = _ESCAPE_LIKE.sub("_x005F_", _ILLEGAL.sub("\ufffd", text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@functools.cache  # a handful of columns, asked for in every row
def _column(k: int) -> str:
    """The letters of the k-th column (0 → A, 26 → AA)."""
    name = ""
    k += 1
    while k:
        k, r = divmod(k - 1, 26)
        name = chr(65 + r) + name
    return name


def _row(n: int, cells: Sequence[str], style: str = "") -> bytes:
    # one search for the whole row: a tab between cells neither needs attention nor lets a match run across two
    whole = "\t".join(cells)
    if len(whole) > MAX_CELL // 2 or _ATTENTION.search(whole):  # a cell to change (rare): each as cell_xml has it
        cells = [cell_xml(text) for text in cells]
    at = f'{n}"{style} t="inlineStr"><is><t xml:space="preserve">'
    xml = "".join([f'<c r="{_column(k)}{at}{text}</t></is></c>' for k, text in enumerate(cells)])
    return f'<row r="{n}">{xml}</row>'.encode("utf-8", "replace")


def _sheet_open(header: Sequence[str]) -> bytes:
    cols = "".join(f'<col min="{k + 1}" max="{k + 1}" width="{_WIDTHS.get(h, 16)}" customWidth="1"/>' for k, h in enumerate(header))
    pane = '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    view = f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
    return (f"{_HEAD}<worksheet {_NS}>{view}<cols>{cols}</cols><sheetData>").encode() + _row(1, header, ' s="1"')


def _sheet_name(k: int) -> str:
    return SHEET if k == 0 else f"{SHEET}（{k + 1}）"


def write_xlsx(out: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write the workbook of ``header`` and ``rows`` (each a list of cell texts) to ``out``; return the rows written."""
    last = _column(len(header) - 1)
    sheets: list[int] = []  # rows of each sheet, header included
    count = size = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        sheet = None
        for cells in rows:
            if sheet is None or sheets[-1] >= MAX_ROWS or size >= MAX_SHEET_BYTES:
                if sheet is not None:
                    _sheet_close(sheet, last, sheets[-1])
                sheet = _sheet(z, f"xl/worksheets/sheet{len(sheets) + 1}.xml")
                sheets.append(1)
                size = sheet.write(_sheet_open(header))
            sheets[-1] += 1
            size += sheet.write(_row(sheets[-1], cells))
            count += 1
        if sheet is None:
            sheet = _sheet(z, "xl/worksheets/sheet1.xml")
            sheets.append(1)
            sheet.write(_sheet_open(header))
        _sheet_close(sheet, last, sheets[-1])
        _package(z, sheets, last)
    return count


def _sheet(z: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A sheet's entry, written 64 KiB at a time (not a compression call per row)."""
    return io.BufferedWriter(z.open(name, "w"), 1 << 16)  # type: ignore[arg-type]  # a zip entry is a raw stream


def _sheet_close(sheet: IO[bytes], last: str, rows: int) -> None:
    sheet.write(f'</sheetData><autoFilter ref="A1:{last}{rows}"/></worksheet>'.encode())
    sheet.close()


def _package(z: zipfile.ZipFile, sheets: list[int], last: str) -> None:
    """The workbook's parts around its sheets: content types, relationships, the workbook and its styles."""
    n = len(sheets)
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{k}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for k in range(1, n + 1)
    )
    z.writestr(
        "[Content_Types].xml",
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheet_types}</Types>",
    )
    z.writestr(
        "_rels/.rels",
        f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    links = "".join(f'<Relationship Id="rId{k}" Type="{_REL}/worksheet" Target="worksheets/sheet{k}.xml"/>' for k in range(1, n + 1))
    z.writestr(
        "xl/_rels/workbook.xml.rels",
        f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{links}<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/></Relationships>',
    )
    listed = "".join(f'<sheet name="{_sheet_name(k)}" sheetId="{k + 1}" r:id="rId{k + 1}"/>' for k in range(n))
    names = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{k}" hidden="1">'
        f"'{_sheet_name(k)}'!$A$1:${last}${rows}</definedName>"
        for k, rows in enumerate(sheets)
    )
    z.writestr(
        "xl/workbook.xml",
        f'{_HEAD}<workbook {_NS} xmlns:r="{_REL}"><sheets>{listed}</sheets><definedNames>{names}</definedNames></workbook>',
    )
    z.writestr(
        "xl/styles.xml",
        f"{_HEAD}<styleSheet {_NS}>"
        '<fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    )
