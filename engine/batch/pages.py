"""The review's report files, written as the entries come: never all held, whatever the number of drafts.

A worker renders each file's parts (``render_entry``: the JSONL line, the CSV row, the table row and a failing
file's section, and the ``brief`` the summary counts); the parent only merges them (``ReportWriter.add``):
it numbers the failing files, counts, and appends each part to its own unnamed temporary file in the
report's folder (``O_TMPFILE``: a killed review leaves nothing there, and the previous report stays as it
was). When the run ends, ``ReportWriter.write`` builds the report from those parts and writes every file
at once (engine/model/safeio.py ``write_all``: staged, synced, renamed):

- ``<base>.jsonl``, every entry, one JSON line each;
- ``<base>.csv``, the file table's rows as the page's own CSV export gives them (UTF-8 with BOM);
- ``<base>.xlsx``, the same cells as an Excel workbook (engine/batch/xlsx.py), made from the CSV's rows;
- ``<base>.html``: up to ``PAGE_ROWS`` files, the one page it always was (summary, table, failing files;
  the print layout); beyond, a summary page with a list of pages, and ``<base>.pages/NNNN.html`` with
  ``PAGE_ROWS`` rows each, their failing files' sections and the same filters (kept from page to page).
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from pathlib import Path
from typing import IO, Any, NamedTuple
from urllib.parse import quote

from quanze.engine.batch.review import Tally, brief, entry_json, report_paths
from quanze.engine.load.scoring import Scoring, load_scoring, score_of
from quanze.engine.model.ruleset import RuleSet
from quanze.engine.present.report import row_parts, section_parts

# the JSONL line of an entry: json.dumps(entry, ensure_ascii=False, default=str), with one encoder made once (an entry,
# a dump of the result, holds no cycle to look for): the C encoder json.dumps itself makes for each call, where there is one
_JSONL = json.JSONEncoder(ensure_ascii=False, default=str, check_circular=False)
_C_JSONL = c_make_encoder and c_make_encoder(None, str, encode_basestring, None, ": ", ", ", False, False, True)


def jsonl_line(entry: dict[str, Any]) -> bytes:
    """An entry's JSONL line (UTF-8, its newline included)."""
    if _C_JSONL is None:  # pragma: no cover - a Python without json's C accelerator
        return (_JSONL.encode(entry) + "\n").encode("utf-8", "replace")
    return "".join([*_C_JSONL(entry, 0), "\n"]).encode("utf-8", "replace")


PAGE_ROWS = 1000  # files on one page; a review of at most this many files is one page, as it always was


class Done(NamedTuple):
    """One file of a review as the parent takes it: the summary's ``brief`` and, for ``--out``, its report parts
    (a tuple: it crosses from the worker to the parent for every file)."""

    brief: dict[str, Any]
    score: float | None = None
    line: bytes = b""  # the JSONL line
    csv: bytes = b""  # the CSV row
    row: tuple[bytes, ...] = ()  # the table row (UTF-8), cut where a failing file's anchor number goes
    widths: tuple[float, float, float] = (0.0, 0.0, 0.0)
    section: tuple[bytes, ...] = ()  # a failing file's section, cut the same way


def scoring_of(rules: Any) -> Scoring | None:
    """The rules' scoring table, read once per RuleSet (kept in ``rules.cache``; None without rules or table)."""
    if rules is None:
        return None
    cache = rules.cache
    if ("scoring",) not in cache:
        cache[("scoring",)] = load_scoring(rules)
    return cache[("scoring",)]


def render_brief(entry: dict[str, Any], rules: Any) -> Done:
    """What the summary needs of one entry (a review without ``--out``)."""
    table = scoring_of(rules)
    return Done(brief(entry), score_of(entry, table) if table is not None and entry["checked"] else None)


def render_entry(entry: dict[str, Any], rules: Any) -> Done:
    """Every part of one entry in the report (run in the worker that checked it)."""
    table = scoring_of(rules)
    score = score_of(entry, table) if table is not None and entry["checked"] else None
    summed = brief(entry)
    who = summed.get("handler")  # a checked file's handler as the summary counts it: the rows' filter takes the same
    row, widths, texts = row_parts(entry, rules, table is not None, score, who)
    failing = entry["checked"] and entry["verdict"] == "fail"
    return Done(
        summed,
        score,
        jsonl_line(entry_json(entry)),
        csv_line(texts),
        tuple(part.encode("utf-8", "replace") for part in row),
        widths,
        tuple(part.encode("utf-8", "replace") for part in section_parts(entry, rules, who)) if failing else (),
    )


def review_into(
    writer: ReportWriter,
    paths: Sequence[Path | str],
    skipped: list[dict[str, Any]],
    rules: Any,
    jobs: int = 1,
    timeout: float = 30.0,
    wrap: Callable[[Iterator[Done]], Iterator[Done]] | None = None,
    names: dict[str, str] | None = None,
) -> ReportWriter:
    """Review ``paths`` into ``writer`` (rendered in the workers; ``wrap`` may watch the stream, e.g. a progress
    bar), then the entries of the files ``walk`` skipped. A bug in the run itself ends it with the files not
    reached as ``internal_error`` entries: every file seen has an entry."""
    from quanze.engine.batch.review import not_checked, review

    done = render_entry if writer.spools else render_brief
    try:
        stream: Iterator[Done] = review(paths, rules, jobs, rules.root, timeout, render=done, names=names)
        for d in wrap(stream) if wrap else stream:
            writer.add(d)
    except Exception as exc:
        for p in paths[writer.count :]:
            writer.add(done(not_checked(p, "internal_error", f"评查中断，未检查：{type(exc).__name__}: {exc}"), rules))
    for e in skipped:
        writer.add(done(e, rules))
    return writer


_FORMULA = ("=", "+", "-", "@")  # a cell's start a spreadsheet reads as a formula (a tab or CR is collapsed away before)


def csv_cells(texts: list[str]) -> list[str]:
    """The cells of a table row as the CSV and the xlsx hold them: spaces collapsed, a leading = + - @ quoted off as text."""
    cells = []
    for t in texts:
        t = " ".join(t.split())
        cells.append("'" + t if t.startswith(_FORMULA) else t)
    return cells


def csv_line(texts: list[str]) -> bytes:
    """A CSV row as the page's export writes it (``csv_cells``, every cell quoted)."""
    return ('"' + '","'.join([t.replace('"', '""') for t in csv_cells(texts)]) + '"\r\n').encode("utf-8", "replace")


_PAGE_NAME = re.compile(r"^\d{4}\.html$")


def _drop_stale_pages(folder: Path, pages: int) -> None:
    """Remove the pages an earlier, larger review left beyond the ``pages`` this one wrote (only our own regular files
    named as pages are; a folder left empty is removed)."""
    import contextlib
    import os
    import stat

    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if _PAGE_NAME.match(entry.name) and int(entry.name[:4]) > pages:
            with contextlib.suppress(OSError):
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and (not hasattr(os, "getuid") or info.st_uid == os.getuid()):
                    os.unlink(entry.path)
    if not pages:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty


SPOOL_BUFFER = 1 << 16  # bytes a spool gathers before it writes: a JSONL line is ~4 KB, and a write per line costs a system call


def _spool(folder: Path) -> IO[bytes]:
    """An unnamed temporary file in the report's folder (gone with the process, however it ends)."""
    return tempfile.TemporaryFile(dir=folder, buffering=SPOOL_BUFFER)


class ReportWriter:
    """Takes each file's ``Done`` in review order, keeps the summary's counts, and spools the report's parts."""

    def __init__(self, base: Path | None, rules: Any, keep_failing: int = 10) -> None:
        self.rules = rules
        self.table = scoring_of(rules)
        self.tally = Tally(keep_failing, self.table)
        self.base = base
        self.count = 0
        self.failing = 0
        self.widest = [0.0, 0.0, 0.0]
        self.sha = hashlib.sha256()
        self.marks: list[tuple[int, int, int]] = []  # per page: offsets of its first row and section, failing files before it
        self.spools: dict[str, IO[bytes]] = {}
        if base is not None:
            folder = report_paths(base)[0].parent
            folder.mkdir(parents=True, exist_ok=True)
            self.spools = {name: _spool(folder) for name in ("jsonl", "csv", "rows", "sections")}

    def add(self, done: Done) -> None:
        self.tally.add(done.brief, done.score)  # its counts give the filters' choices (``_table_start``)
        if self.spools:
            if self.count % PAGE_ROWS == 0:
                self.marks.append((self.spools["rows"].tell(), self.spools["sections"].tell(), self.failing))
            self.spools["jsonl"].write(done.line)
            self.sha.update(done.line)
            self.spools["csv"].write(done.csv)
            self.widest = list(map(max, self.widest, done.widths))
            anchor = str(self.failing).encode()
            self.spools["rows"].write(anchor.join(done.row))
            if done.section:
                self.spools["sections"].write(anchor.join(done.section))
                self.failing += 1
        self.count += 1

    def summary(self) -> dict[str, Any]:
        """The review's summary (with its scores when the rules have a scoring table)."""
        return self.tally.summary()

    def close(self) -> None:
        for spool in self.spools.values():
            spool.close()
        self.spools = {}
        self.tally.close()

    def write(self, summary: dict[str, Any], meta: dict[str, Any] | None = None) -> list[Path]:
        """Write the report files (every one staged first, then renamed); the JSONL and the summary page first."""
        from quanze.engine.model.safeio import write_all

        assert self.base is not None and self.spools, "a writer without --out has nothing to write"
        jsonl, page = report_paths(self.base)
        csv, xlsx = jsonl.with_suffix(".csv"), jsonl.with_suffix(".xlsx")
        # the page names its JSONL (SHA-256 and count of lines): a reader can tell the two belong to one run
        meta = {**(meta or {}), "jsonl_sha256": self.sha.hexdigest(), "jsonl_lines": self.count}
        meta["tables"] = (quote(csv.name), quote(xlsx.name))
        targets: list[tuple[Path, Any]] = [(jsonl, self._copy("jsonl")), (csv, self._csv), (xlsx, self._xlsx)]
        if self.count <= PAGE_ROWS:
            targets.append((page, self._single_page(summary, meta)))
        else:
            folder = page.with_suffix(".pages")
            n = len(self.marks)
            targets.append((page, self._summary_page(summary, meta, folder.name, n)))
            targets += [(folder / f"{k + 1:04d}.html", self._table_page(k, n, meta, page.name)) for k in range(n)]
        try:
            written = write_all(targets)
        finally:
            self.close()
        _drop_stale_pages(page.with_suffix(".pages"), len(self.marks) if self.count > PAGE_ROWS else 0)
        return [jsonl, csv, xlsx, page] if written else []

    # --- the parts -------------------------------------------------------------------------------

    def _copy(self, name: str, start: int = 0, end: int | None = None):
        def write(out: IO[bytes]) -> None:
            spool = self.spools[name]
            spool.seek(start)
            left = (spool.seek(0, 2) if end is None else end) - start
            spool.seek(start)
            while left > 0:
                chunk = spool.read(min(left, 1 << 20))
                if not chunk:
                    break
                out.write(chunk)
                left -= len(chunk)

        return write

    def _csv(self, out: IO[bytes]) -> None:
        from quanze.engine.present.report import csv_headers

        out.write(b"\xef\xbb\xbf" + csv_line(csv_headers(self.table is not None)))
        self._copy("csv")(out)

    def _xlsx(self, out: IO[bytes]) -> None:
        """The workbook of the CSV's cells, read back from its spool row by row."""
        import csv

        from quanze.engine.batch.xlsx import write_xlsx
        from quanze.engine.present.report import csv_headers

        spool = self.spools["csv"]
        spool.seek(0)
        write_xlsx(out, csv_cells(csv_headers(self.table is not None)), csv.reader(line.decode("utf-8") for line in spool))

    def _table_start(self) -> str:
        from quanze.engine.present.report import filters, table_open

        """The filters (the items, handlers and finding codes of the files checked) and the file table's head."""
        t = self.tally
        verdicts = [*t.verdicts, *(["unchecked"] if t.unreadable else [])]
        items = [item for item in t.per_item if item]
        return filters(items, t.per_handler, t.codes, self.rules) + table_open(self.widest, verdicts, self.table is not None)

    def _single_page(self, summary: dict[str, Any], meta: dict[str, Any]):
        """The one page a review of at most PAGE_ROWS files always had (engine/present/report.py html_page)."""
        from quanze.engine.present import report as r

        def write(out: IO[bytes]) -> None:
            top = [*r.report_head(summary, meta), r.contents(self.failing, bool(summary["problems"]))]
            top += r.summary_sections(summary, self.rules)
            top += ['<h2 id="all">全部文件</h2>', r.tables_line(meta.get("tables")), self._table_start()]
            out.write((r.page_open(meta) + "".join(top)).encode("utf-8", "replace"))
            self._copy("rows")(out)
            out.write(r.TABLE_CLOSE.encode())
            if self.failing:
                out.write(r.failing_open(self.failing).encode())
                self._copy("sections")(out)
                out.write(b"</div>")
            self._problems(out, summary)
            out.write(r.page_close(meta).encode("utf-8", "replace"))

        return write

    def _problems(self, out: IO[bytes], summary: dict[str, Any]) -> None:
        """The table of every file not checked (the summary lists the first; the tally has them all), row by row."""
        from quanze.engine.present.report import problems_parts

        for part in problems_parts(self.tally.every_problem()) if summary["problems"] else ():
            out.write(part.encode("utf-8", "replace"))

    def _bounds(self, k: int) -> tuple[int, int, int, int, int, int]:
        """Page k's rows and sections (spool offsets) and its failing files (first anchor, count)."""
        rows, sections, failing = self.marks[k]
        if k + 1 < len(self.marks):
            rows_end, sections_end, failing_end = self.marks[k + 1]
        else:
            rows_end, sections_end, failing_end = self.spools["rows"].seek(0, 2), self.spools["sections"].seek(0, 2), self.failing
        return rows, rows_end, sections, sections_end, failing, failing_end - failing

    def _summary_page(self, summary: dict[str, Any], meta: dict[str, Any], folder: str, n: int):
        from quanze.engine.present import report as r

        def write(out: IO[bytes]) -> None:
            rows = []
            for k in range(n):
                first, last = k * PAGE_ROWS + 1, min((k + 1) * PAGE_ROWS, self.count)
                rows.append((f"{quote(folder)}/{k + 1:04d}.html", k + 1, first, last, self._bounds(k)[5]))
            parts = r.report_head(summary, meta) + [r.paged_toc(bool(summary["problems"]))] + r.summary_sections(summary, self.rules)
            parts += [r.page_index(rows, PAGE_ROWS, meta["tables"])]
            out.write((r.page_open(meta) + "".join(parts)).encode("utf-8", "replace"))
            self._problems(out, summary)
            out.write(r.page_close(meta).encode("utf-8", "replace"))

        return write

    def _table_page(self, k: int, n: int, meta: dict[str, Any], summary_name: str):
        from quanze.engine.present.report import PAGE_SCRIPT, TABLE_CLOSE, failing_open, page_close, page_nav, page_open

        def write(out: IO[bytes]) -> None:
            rows, rows_end, sections, sections_end, _first, failing = self._bounds(k)
            first, last = k * PAGE_ROWS + 1, min((k + 1) * PAGE_ROWS, self.count)
            nav = page_nav(k + 1, n, f"../{quote(summary_name)}")
            page_meta = {key: v for key, v in meta.items() if not key.startswith("jsonl_")}
            head = (
                page_open(page_meta, f"（第 {k + 1} / {n} 页）")
                + f"<h1>案卷评查报告：第 {k + 1} / {n} 页</h1>{nav}"
                + f'<h2 id="all">全部文件（第 {first}–{last} 个，共 {self.count} 个）</h2>'
                + self._table_start()
            )
            out.write(head.encode("utf-8", "replace"))
            self._copy("rows", rows, rows_end)(out)
            out.write(TABLE_CLOSE.encode())
            if failing:
                out.write(failing_open(failing).encode())
                self._copy("sections", sections, sections_end)(out)
                out.write(b"</div>")
            out.write((nav + page_close(page_meta, PAGE_SCRIPT)).encode("utf-8", "replace"))

        return write


def write_reports(
    base: Path, entries: list[dict[str, Any]], summary: dict[str, Any], meta: dict[str, Any] | None = None, rules: RuleSet | None = None
) -> tuple[Path, Path]:
    """Write the report files of entries held in memory (as a streaming review does); return
    the JSONL's and the HTML page's paths."""
    writer = ReportWriter(base, rules)
    try:
        for e in entries:
            writer.add(render_entry(e, rules))
        jsonl, *_tables, page = writer.write(summary, meta)
    finally:
        writer.close()
    return jsonl, page
