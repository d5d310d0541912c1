"""PDF rendering with WeasyPrint, in chunks of rows so that memory stays bounded.

WeasyPrint keeps the whole layout of a document in memory (a few hundred KB per page), so a
5,000-row table in one HTML document would cost hundreds of MB. ``PdfRenderer`` lays out at most
``chunk_rows`` rows at a time and appends the pages to one PDF with pypdf:

- the intro is in the first chunk only; the table header repeats on every page;
- a chunk that is not the end of its table keeps all its pages but the last one: the rows that
  landed on that last (partly filled) page start the next chunk, so every page of a table is
  full and the page breaks are the ones one big document would have;
- page numbers continue across chunks (``counter-reset: page`` on each chunk's first page).

Long tables are laid out in parallel (``processes`` > 1): once the first chunk has shown how
many rows fill a page, the rest of the table is cut into runs of whole pages, each laid out and
written by a process of a pool (``spawn``ed, each with its own fonts) with its page numbers known
in advance; the pages are appended in order. A run that does not come out as exactly the pages
expected (a row wrapped onto two lines) and everything after it are laid out one chunk after the
other as above, so the result is the same either way.

Memory is one chunk's layout per process plus the compressed PDF being assembled. Text stays
text: the fonts (Noto Sans CJK) are embedded as subsets with their Unicode maps, so
``pdftotext`` reads the Chinese back. Fonts come from fontconfig: Debian's ``fonts-noto-cjk``;
``libharfbuzz-subset0`` makes the subsetting fast.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import resource
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader, PdfWriter

from reports.document import Document, Table
from reports.templating import css_string, render

DEFAULT_CHUNK_ROWS = 400
# The first chunk of a table laid out in parallel: enough rows to fill a couple of pages.
PROBE_ROWS = 120


def default_processes() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def _rows_on(page: Any) -> list[int]:
    """The table rows (``id="r<index>"``) laid out on a page."""
    return [int(a[1:]) for a in page.anchors if a.startswith("r") and a[1:].isdigit()]


_POOL_FONTS: Any = None


def _pool_context() -> multiprocessing.context.BaseContext:
    """Spawned processes: not forked from the job's process, which runs threads and an event
    loop. (Forked from a fork server that preloaded WeasyPrint, they laid out slower than one
    process alone: 37 s against 22 s for 2,000 rows.)"""
    return multiprocessing.get_context("spawn")


def _warm_up() -> None:
    """In a pool process, while the first chunk is laid out: WeasyPrint imported, fonts ready."""
    from weasyprint.text.fonts import FontConfiguration

    global _POOL_FONTS
    if _POOL_FONTS is None:
        _POOL_FONTS = FontConfiguration()


def _lay_out(html: str) -> tuple[bytes, list[int], tuple[int, float, float]]:
    """In a pool process: one run of pages as PDF, how many table rows each page holds, and
    the process's (pid, CPU seconds so far, peak RSS in MB) for the benchmark."""
    from weasyprint import HTML

    _warm_up()
    rendered = HTML(string=html).render(font_config=_POOL_FONTS)
    data, rows = rendered.write_pdf(), [len(_rows_on(page)) for page in rendered.pages]
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return data, rows, (os.getpid(), usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


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
    _pool: Executor | None = None
    # The pool's processes: pid -> (CPU seconds, peak RSS in MB), as last reported.
    pool_usage: dict[int, tuple[float, float]] = field(default_factory=dict)
    # Rows on a full page of the current table (known after its first chunk).
    _per_page: int = 0
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
        tables = self.document.tables or (Table("", (), ()),)
        # Worth it for long tables only: the pool's processes cost about a second each to
        # start (bench.report_pdf: 500 rows are laid out as fast in one process).
        if self.processes > 1 and max(len(t.rows) for t in tables) > 2 * self.chunk_rows:
            self._pool = ProcessPoolExecutor(self.processes, mp_context=_pool_context())
            for _ in range(self.processes):
                self._pool.submit(_warm_up)
        try:
            for position, table in enumerate(tables):
                start, n = 0, len(table.rows)
                self._per_page = 0
                while True:
                    if start > 0 and self._pool is not None and self._per_page:
                        for end in self._in_parallel(table, start):
                            done += end - start
                            start = end
                            yield done, total
                        self._per_page = 0  # done, or the rest one chunk after the other
                        if start >= n:
                            break
                    first = position == 0 and start == 0
                    # With a pool, the first chunk only shows how many rows fill a page.
                    size = (min(self.chunk_rows, PROBE_ROWS)
                            if self._pool is not None and start == 0 else self.chunk_rows)
                    end = min(start + size, n)
                    end = self._chunk(table, start, end, intro if first else None, start == 0)
                    done += end - start
                    start = end
                    yield done, total
                    if start >= n:
                        break
        finally:
            if self._pool is not None:
                self._pool.shutdown(cancel_futures=True)
                self._pool = None
        self._done = True

    def _in_parallel(self, table: Table, start: int) -> Iterator[int]:
        """Lays out rows [start, end of table) in runs of whole pages in the pool; yields where
        each appended run ends. Stops early at a run that came out otherwise than expected."""
        assert self._pool is not None
        per_page, n = self._per_page, len(table.rows)
        # Runs of at most chunk_rows, and at least one per process.
        run_pages = max(1, min(self.chunk_rows // per_page,
                               -(-(n - start) // (self.processes * per_page))))
        size = run_pages * per_page
        runs = [(s, min(s + size, n)) for s in range(start, n, size)]
        futures: list[Future[tuple[bytes, list[int], tuple[int, float, float]]]] = [
            self._pool.submit(_lay_out, self._html(table, s, e, None, False,
                                                   self.pages + 1 + i * run_pages))
            for i, (s, e) in enumerate(runs)]
        try:
            for (s, e), future in zip(runs, futures, strict=True):
                data, rows, (pid, cpu, rss) = future.result()
                self.pool_usage[pid] = (cpu, rss)
                if e < n and rows != [per_page] * run_pages:
                    return  # not whole pages as expected: this run is laid out again in order
                if sum(rows) != e - s:
                    return
                self._writer.append(PdfReader(io.BytesIO(data)))
                self.pages += len(rows)
                self.chunks += 1
                self.parallel_chunks += 1
                yield e
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
            last = _rows_on(pages[-1])
            carry = min(last) if last else end
            if start < carry < end:
                pages, end = pages[:-1], carry
                # Whole pages of rows only (the first may hold the intro or the heading).
                full = pages if intro is None and not heading else pages[1:]
                self._per_page = max((len(_rows_on(p)) for p in full), default=0)
        data = rendered.copy(pages).write_pdf()
        self._writer.append(PdfReader(io.BytesIO(data)))
        self.pages += len(pages)
        self.chunks += 1
        return end

    def _html(self, table: Table, start: int, end: int, intro: str | None,
              heading: bool, page_start: int) -> str:
        doc = self.document
        total_width = sum(c.width for c in table.columns) or 1
        widths = [round(100 * c.width / total_width, 2) for c in table.columns]
        rows = [(i, [(c.cell_text(table.rows[i]), c.align) for c in table.columns])
                for i in range(start, end)]
        return render("base.html", doc=doc, intro=intro, table=table, rows=rows,
                      heading=heading, widths=widths, page_start=page_start,
                      css_title=css_string(doc.title),
                      css_generated=css_string(doc.generated_at))


def render_pdf(document: Document, chunk_rows: int = DEFAULT_CHUNK_ROWS,
               processes: int = 1) -> bytes:
    return PdfRenderer(document, chunk_rows, processes).result()
