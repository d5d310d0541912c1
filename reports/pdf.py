"""PDF rendering with WeasyPrint, in chunks of rows so that memory stays bounded.

WeasyPrint keeps the whole layout of a document in memory (a few hundred KB per page), so a
5,000-row table in one HTML document would cost hundreds of MB. ``PdfRenderer`` lays out at most
``chunk_rows`` rows at a time and appends the pages to one PDF with pypdf:

- the intro is in the first chunk only; the table header repeats on every page;
- a chunk that is not the end of its table keeps all its pages but the last one: the rows that
  landed on that last (partly filled) page start the next chunk, so every page of a table is
  full and the page breaks are the ones one big document would have;
- page numbers continue across chunks (``counter-reset: page`` on each chunk's first page).

Long tables are laid out in parallel (``processes`` > 1) by the process's warm pool
(``reports.layout_pool``). A quick layout of the table's first rows as placeholders (one cell a
row, one line high) shows how many rows the first page and a full page hold; the table
is then cut into runs of whole pages, at least one per process, each laid out and written by
the pool with its page numbers known in advance, and the pages are appended in order. A run
that does not come out as exactly the pages expected (a row wrapped onto two lines) and
everything after it are laid out one chunk after the other as above, so the result is the same
either way.

Memory is one chunk's layout per process plus the compressed PDF being assembled. Text stays
text: the fonts (Noto Sans CJK) are embedded as subsets with their Unicode maps, so
``pdftotext`` reads the Chinese back. Fonts come from fontconfig: Debian's ``fonts-noto-cjk``;
``libharfbuzz-subset0`` makes the subsetting fast.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from concurrent.futures import BrokenExecutor, CancelledError, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import takewhile
from typing import Any

from pypdf import PdfReader, PdfWriter

from reports.document import Document, Table
from reports.layout_pool import discard, lay_out, layout_pool, rows_on
from reports.templating import css_string, render

DEFAULT_CHUNK_ROWS = 400
# Tables shorter than this are laid out in the job's process: the pool's round trips (the HTML
# and the PDF pickled, the pages appended) cost more than they save.
PARALLEL_MIN_ROWS = 150
# The placeholder rows laid out to see how many rows a page holds: enough for a first page and
# two more of a portrait A4 (44 rows); four times as many when that is not enough (a long
# intro, landscape). 110 rows take 0.13 s, 150 took 0.34 s.
PROBE_ROWS = 110


def default_processes() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class Run:
    """Rows [start, end) of a table laid out by the pool as pages of ``expected`` rows each
    (the last run: whatever its rows need), numbered from ``first_page``."""

    start: int
    end: int
    expected: tuple[int, ...]
    first_page: int
    last: bool


def plan_runs(n: int, head: tuple[int, ...], per_page: int, processes: int, chunk_rows: int,
              first_page: int) -> list[Run]:
    """Cuts a table of ``n`` rows into runs of whole pages: the first run starts with the pages
    ``head`` (the intro's page), every page after holds ``per_page`` rows; at least one run per
    process, at most ``chunk_rows`` rows a run (memory)."""
    rest = max(0, n - sum(head))
    pages = len(head) + -(-rest // per_page)
    run_pages = max(len(head) + 1, 1, min(chunk_rows // per_page, -(-pages // processes)))
    runs, start, page = [], 0, first_page
    while start < n:
        expected = (head + (per_page,) * (run_pages - len(head)) if start == 0
                    else (per_page,) * run_pages)
        end = min(n, start + sum(expected))
        runs.append(Run(start, end, expected, page, end >= n))
        start, page = end, page + run_pages
    return runs


@dataclass
class PdfRenderer:
    """Iterate to render chunk by chunk (yields rows done, rows total); then ``result()``."""

    document: Document
    chunk_rows: int = DEFAULT_CHUNK_ROWS
    # Processes laying out runs of pages side by side (1: none, all in this process).
    processes: int = 1
    pages: int = 0
    chunks: int = 0
    # Runs laid out by the pool (the rest: in this process).
    parallel_chunks: int = 0
    _writer: PdfWriter = field(default_factory=PdfWriter)
    _fonts: Any = None
    # The pool's processes: pid -> (CPU seconds of their runs, peak RSS in MB).
    pool_usage: dict[int, tuple[float, float]] = field(default_factory=dict)
    _done: bool = False

    def __post_init__(self) -> None:
        if self.chunk_rows < 1 or self.processes < 1:
            raise ValueError("chunk_rows and processes must be positive")

    def __iter__(self) -> Iterator[tuple[int, int]]:
        from weasyprint.text.fonts import FontConfiguration

        self._fonts = FontConfiguration()
        intro = self._intro()
        total = self.document.row_count
        done = 0
        for position, table in enumerate(self.document.tables or (Table("", (), ()),)):
            start, n = 0, len(table.rows)
            table_intro = intro if position == 0 else None
            heading = bool(table.title)
            if self.processes > 1 and n >= PARALLEL_MIN_ROWS:
                pool = layout_pool(self.processes)
                for end in self._in_parallel(pool, table, table_intro, heading):
                    done += end - start
                    start = end
                    yield done, total
            # The table (or what the pool left of it) one chunk after the other; an empty
            # table is one chunk saying so.
            pending = start < n or n == 0
            while pending:
                end = min(start + self.chunk_rows, n)
                end = self._chunk(table, start, end, table_intro if start == 0 else None,
                                  heading and start == 0)
                done += end - start
                start = end
                yield done, total
                pending = start < n
        self._done = True

    def _probe(self, table: Table, intro: str | None,
               heading: bool) -> tuple[tuple[int, ...], int] | None:
        """How many rows the pages before the first full one hold (the intro's) and how many a
        full page holds, from the table's first rows laid out as one-line placeholders. None
        when the placeholders do not reach a full page and the one after."""
        from weasyprint import HTML

        counts: list[int] = []
        for rows in (PROBE_ROWS, 4 * PROBE_ROWS):
            end = min(rows, len(table.rows))
            html = self._html(table, 0, end, intro, heading, 1, placeholders=True)
            counts = [len(rows_on(page)) for page in HTML(string=html).render(
                font_config=self._fonts).pages]
            if len(counts) >= 3 or end == len(table.rows):
                break
        if len(counts) < 3 or counts[-2] < 1:
            return None
        per_page = counts[-2]  # the last page is the partly filled one
        head = tuple(takewhile(lambda c: c != per_page, counts[:-2]))
        return head, per_page

    def _in_parallel(self, pool: ProcessPoolExecutor, table: Table, intro: str | None,
                     heading: bool) -> Iterator[int]:
        """Lays the table out in runs of whole pages in the pool; yields where each appended
        run ends. Stops early at a run that came out otherwise than expected."""
        plan = self._probe(table, intro, heading)
        if plan is None:
            return
        head, per_page = plan
        runs = plan_runs(len(table.rows), head, per_page, self.processes, self.chunk_rows,
                         self.pages + 1)
        futures: list[Future[tuple[bytes, list[int], tuple[int, float, float]]]] = []
        try:
            for run in runs:
                futures.append(pool.submit(lay_out, self._html(
                    table, run.start, run.end, intro if run.start == 0 else None,
                    heading and run.start == 0, run.first_page)))
            for run, future in zip(runs, futures, strict=True):
                data, rows, (pid, cpu, rss) = future.result()
                spent = self.pool_usage.get(pid, (0.0, 0.0))[0]
                self.pool_usage[pid] = (spent + cpu, rss)
                if sum(rows) != run.end - run.start or (
                        not run.last and tuple(rows) != run.expected):
                    return  # not the pages expected: laid out again one chunk after the other
                self._writer.append(PdfReader(io.BytesIO(data)))
                self.pages += len(rows)
                self.chunks += 1
                self.parallel_chunks += 1
                yield run.end
        except BrokenExecutor:  # a layout process died: this process goes on alone
            discard(pool)
        except CancelledError:  # the pool was stopped meanwhile: the same
            pass
        finally:
            for future in futures:
                future.cancel()

    def result(self) -> bytes:
        if not self._done:
            for _ in self:
                pass
        self._writer.add_metadata({"/Title": self.document.title, "/Creator": "jixiao"})
        out = io.BytesIO()
        self._writer.write(out)
        return out.getvalue()

    def _intro(self) -> str:
        doc = self.document
        return render(doc.template, doc=doc, **doc.context) if doc.template else ""

    def _chunk(self, table: Table, start: int, end: int, intro: str | None,
               heading: bool) -> int:
        """Lays out rows [start, end) and appends the pages; returns where the next chunk
        starts (``end``, or earlier when the rows of the last page are carried over)."""
        from weasyprint import HTML

        html = self._html(table, start, end, intro, heading and bool(table.title),
                          self.pages + 1)
        rendered = HTML(string=html).render(font_config=self._fonts)
        pages = list(rendered.pages)
        if end < len(table.rows) and len(pages) > 1:
            last = rows_on(pages[-1])
            carry = min(last) if last else end
            if start < carry < end:
                pages, end = pages[:-1], carry
        data = rendered.copy(pages).write_pdf()
        self._writer.append(PdfReader(io.BytesIO(data)))
        self.pages += len(pages)
        self.chunks += 1
        return end

    def _html(self, table: Table, start: int, end: int, intro: str | None,
              heading: bool, page_start: int, placeholders: bool = False) -> str:
        """The HTML of rows [start, end); ``placeholders``: each row one cell across the
        table holding one line of text, laid out as high as a row of one-line cells."""
        doc = self.document
        total_width = sum(c.width for c in table.columns) or 1
        widths = [round(100 * c.width / total_width, 2) for c in table.columns]
        rows = [(i, [("占位", "left")] if placeholders else
                 [(c.cell_text(table.rows[i]), c.align) for c in table.columns])
                for i in range(start, end)]
        return render("base.html", doc=doc, intro=intro, table=table, rows=rows,
                      span=len(table.columns) if placeholders else 1,
                      heading=heading, widths=widths, page_start=page_start,
                      css_title=css_string(doc.title),
                      css_generated=css_string(doc.generated_at))


def render_pdf(document: Document, chunk_rows: int = DEFAULT_CHUNK_ROWS,
               processes: int = 1) -> bytes:
    return PdfRenderer(document, chunk_rows, processes).result()
