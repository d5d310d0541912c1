"""Long PDF tables laid out in parallel by the warm pool (reports/pdf.py, reports/layout_pool.py):
the runs are planned from placeholder rows, and whatever happens (a row wraps, a layout process
dies) the PDF is the one a single document would be."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import reports.pdf
from reports import Column, Document, Table, layout_pool
from reports.pdf import PdfRenderer, plan_runs
from tests.test_reports import pdf_text


def _rows(n: int, long_name_at: int | None = None) -> Document:
    def unit(i: int) -> str:
        if i == long_name_at:  # wraps onto several lines: a taller row than the placeholders'
            return "第二科（含下属事业单位、派出机构及其他各类临时工作专班）" * 2
        return "第一科" if i % 3 else "第二科（含下属）"

    rows = [(i, f"测试人员{i:04d}", unit(i)) for i in range(1, n + 1)]
    columns = (Column("序号", lambda r: r[0], width=4), Column("姓名", lambda r: r[1]),
               Column("部门", lambda r: r[2], width=12))
    return Document(title="分块测试", template="", context={},
                    tables=(Table("名单", columns, rows), Table("第二张表", columns, rows[:5])),
                    summary=(("人数", str(n)),))


def _same_as_one_document(document: Document, rendered: PdfRenderer, n: int,
                          tmp_path: Path) -> None:
    whole = PdfRenderer(document, chunk_rows=10**6, processes=1)
    whole_text = pdf_text(whole.result(), tmp_path)
    text = pdf_text(rendered.result(), tmp_path)
    expected = [f"{i:04d}" for i in range(1, n + 1)] + [f"{i:04d}" for i in range(1, 6)]
    assert re.findall(r"测试人员(\d{4})", text) == expected
    assert re.findall(r"测试人员(\d{4})", whole_text) == expected
    assert rendered.pages == whole.pages
    pages = [int(p) for p in re.findall(r"第\s*(\d+)\s*页", text)]
    assert pages == list(range(1, rendered.pages + 1))
    # Same page breaks: each page holds the same rows in both.
    assert [re.findall(r"测试人员(\d{4})", p) for p in text.split("\f")] == [
        re.findall(r"测试人员(\d{4})", p) for p in whole_text.split("\f")]


def test_parallel_runs_have_the_same_rows_and_pages_as_one_document(tmp_path: Path) -> None:
    document = _rows(400)
    chunked = PdfRenderer(document, chunk_rows=60, processes=2)
    _same_as_one_document(document, chunked, 400, tmp_path)
    assert chunked.parallel_chunks >= 2, "laid out in the pool"
    assert chunked.chunks == chunked.parallel_chunks + 1, "all but the short second table"


def test_too_few_placeholders_are_laid_out_again_more_of_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reports.pdf, "PROBE_ROWS", 30)  # not three pages: four times as many
    document = _rows(400)
    chunked = PdfRenderer(document, chunk_rows=100, processes=2)
    _same_as_one_document(document, chunked, 400, tmp_path)
    assert chunked.parallel_chunks >= 2, "planned from the second probe"


def test_a_row_taller_than_planned_is_laid_out_again_in_order(tmp_path: Path) -> None:
    document = _rows(400, long_name_at=250)
    chunked = PdfRenderer(document, chunk_rows=100, processes=2)
    _same_as_one_document(document, chunked, 400, tmp_path)
    assert 1 <= chunked.parallel_chunks < chunked.chunks - 1, "the runs up to the tall row only"


def test_a_dead_layout_process_costs_time_not_the_report(tmp_path: Path) -> None:
    pids = {ready.result() for ready in layout_pool.warm(2)}
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    document = _rows(300)
    alone = PdfRenderer(document, chunk_rows=100, processes=2)
    _same_as_one_document(document, alone, 300, tmp_path)
    assert alone.parallel_chunks == 0
    # The next report gets a new pool.
    again = PdfRenderer(document, chunk_rows=100, processes=2)
    _same_as_one_document(document, again, 300, tmp_path)
    assert again.parallel_chunks >= 2
    assert not pids & {ready.result() for ready in layout_pool.warm(2)}


def test_layout_processes_end_when_their_process_is_killed() -> None:
    script = ("import os; from reports import layout_pool; "
              "print(*[f.result() for f in layout_pool.warm(2)], flush=True); "
              "os.kill(os.getpid(), 9)")
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                          cwd=Path(__file__).parents[1]) as parent:
        assert parent.stdout is not None
        pids = [int(pid) for pid in parent.stdout.readline().split()]
        assert parent.wait() == -signal.SIGKILL
    assert len(pids) == 2
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()], "orphaned"


@given(n=st.integers(1, 5000), head=st.lists(st.integers(0, 40), max_size=2),
       per_page=st.integers(1, 60), processes=st.integers(2, 4),
       chunk_rows=st.integers(1, 800), first_page=st.integers(1, 9))
def test_runs_cover_the_table_in_whole_pages(n: int, head: list[int], per_page: int,
                                             processes: int, chunk_rows: int,
                                             first_page: int) -> None:
    runs = plan_runs(n, tuple(head), per_page, processes, chunk_rows, first_page)
    assert runs[0].start == 0
    assert runs[-1].end == n
    assert [r.last for r in runs] == [False] * (len(runs) - 1) + [True]
    page = first_page
    for i, run in enumerate(runs):
        assert run.start < run.end
        assert run.first_page == page
        page += len(run.expected)
        if i:
            assert run.start == runs[i - 1].end
            assert set(run.expected) == {per_page}
        else:
            assert run.expected[:len(head)] == tuple(head)
            assert set(run.expected[len(head):]) == {per_page}
        if not run.last:
            assert run.end - run.start == sum(run.expected)
        # Side by side: no run longer than its share of the pages, nor (memory) than a chunk
        # when a page fits in one.
        pages = len(head) + -(-max(0, n - sum(head)) // per_page)
        assert len(run.expected) <= max(len(head) + 1, -(-pages // processes))
        if per_page <= chunk_rows:
            assert len(run.expected) <= max(len(head) + 1, chunk_rows // per_page)
