"""PDF rendering with WeasyPrint, in chunks of rows so that memory stays bounded.

WeasyPrint keeps the whole layout of a document in memory (a few hundred KB per page), so a
5,000-row table in one HTML document would cost hundreds of MB. ``PdfRenderer`` lays out at most
``chunk_rows`` rows at a time and appends the pages to one PDF with pypdf:

- the intro is in the first chunk only; the table header repeats on every page;
- a chunk that is not the end of its table keeps all its pages but the last one: the rows that
  landed on that last (partly filled) page start the next chunk, so every page of a table is
  full and the page breaks are the ones one big document would have;
- page numbers continue across chunks (``counter-reset: page`` on each chunk's first page).

Memory is one chunk's layout plus the compressed PDF being assembled. Text stays text: the
fonts (Noto Sans CJK) are embedded as subsets with their Unicode maps, so ``pdftotext`` reads
the Chinese back. Fonts come from fontconfig: Debian's ``fonts-noto-cjk``; ``libharfbuzz-subset0``
makes the subsetting fast.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader, PdfWriter

from reports.document import Document, Table
from reports.templating import css_string, render

DEFAULT_CHUNK_ROWS = 400


@dataclass
class PdfRenderer:
    """Iterate to render chunk by chunk (yields rows done, rows total); then ``result()``."""

    document: Document
    chunk_rows: int = DEFAULT_CHUNK_ROWS
    pages: int = 0
    chunks: int = 0
    _writer: PdfWriter = field(default_factory=PdfWriter)
    _fonts: Any = None
    _done: bool = False

    def __post_init__(self) -> None:
        if self.chunk_rows < 1:
            raise ValueError("chunk_rows must be positive")

    def __iter__(self) -> Iterator[tuple[int, int]]:
        from weasyprint.text.fonts import FontConfiguration

        self._fonts = FontConfiguration()
        intro = self._intro()
        total = self.document.row_count
        done = 0
        tables = self.document.tables or (Table("", (), ()),)
        for position, table in enumerate(tables):
            start, n = 0, len(table.rows)
            while True:
                first = position == 0 and start == 0
                end = min(start + self.chunk_rows, n)
                end = self._chunk(table, start, end, intro if first else None, start == 0)
                done += end - start
                start = end
                yield done, total
                if start >= n:
                    break
        self._done = True

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

        html = self._html(table, start, end, intro, heading and bool(table.title))
        rendered = HTML(string=html).render(font_config=self._fonts)
        pages = list(rendered.pages)
        if end < len(table.rows) and len(pages) > 1:
            last = [int(a[1:]) for a in pages[-1].anchors if a.startswith("r") and a[1:].isdigit()]
            carry = min(last) if last else end
            if start < carry < end:
                pages, end = pages[:-1], carry
        data = rendered.copy(pages).write_pdf()
        self._writer.append(PdfReader(io.BytesIO(data)))
        self.pages += len(pages)
        self.chunks += 1
        return end

    def _html(self, table: Table, start: int, end: int, intro: str | None,
              heading: bool) -> str:
        doc = self.document
        total_width = sum(c.width for c in table.columns) or 1
        widths = [round(100 * c.width / total_width, 2) for c in table.columns]
        rows = [(i, [(c.cell_text(table.rows[i]), c.align) for c in table.columns])
                for i in range(start, end)]
        return render("base.html", doc=doc, intro=intro, table=table, rows=rows,
                      heading=heading, widths=widths, page_start=self.pages + 1,
                      css_title=css_string(doc.title),
                      css_generated=css_string(doc.generated_at))


def render_pdf(document: Document, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> bytes:
    return PdfRenderer(document, chunk_rows).result()
