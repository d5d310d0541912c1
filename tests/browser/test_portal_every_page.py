"""Every page of every role's menu, opened in Chromium on the demo (issue 15: "no page logs a
console error or a failed request; every page's text is Chinese").

Read-only: each account opens each page of its menu in 金牛区西华街道 (the city's in 成都市委组织部)
and waits for it to settle; the ``page`` fixture fails the test on any console error, failed
request or response >= 400, and the visible text may hold no English words but the few a
Chinese office uses as they are (file formats, abbreviations).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from demo.catalog import ACCOUNT_USERNAMES, OVERSEER_USERNAMES, pilot_tenants
from tests.browser.conftest import log_in, log_out, menu_titles, open_menu, settle

# Latin words a Chinese page may show as they are.
ALLOWED = {"PDF", "XLSX", "XLS", "CSV", "Excel", "API", "URL", "GraphQL", "GraphiQL", "TOTP",
           "ID", "OK", "Bearer", "JSON", "Word", "WPS", "ECharts",
           # the e-mail and group-robot channels' settings name what the unit's IT configures
           "SMTP", "SSL", "TLS", "STARTTLS", "Webhook"}
# Unit codes and usernames (e.g. xhjd, kezhang) are what a person types to log in: 单位管理,
# 账号与角色 and 审计日志 show them as they are.
UPPER_ALLOWED = ({w.upper() for w in ALLOWED} | {t.code.upper() for t in pilot_tenants()}
                 | {u.upper() for u, _ in ACCOUNT_USERNAMES + OVERSEER_USERNAMES})
WORD = re.compile(r"[A-Za-z]{3,}")

ACCOUNTS = [("xhjd", "ganbu"), ("xhjd", "kezhang"), ("xhjd", "bangong"), ("xhjd", "leader"),
            ("xhjd", "fenguan"), ("xhjd", "admin"), ("cdzzb", "shiwei")]


def english_words(text: str) -> set[str]:
    """Latin words that are not employee numbers, codes or usernames mixed with digits."""
    words: set[str] = set()
    for token in re.findall(r"[A-Za-z0-9_.@-]+", text):
        if any(ch.isdigit() for ch in token) or "@" in token or "_" in token:
            continue  # employee numbers (XH0012), codes, addresses
        words.update(w for w in WORD.findall(token) if w.upper() not in UPPER_ALLOWED)
    return words


def test_english_words_are_found_but_codes_are_not() -> None:
    assert english_words("工号 XH0012 导出 PDF 与 Excel，文件 指标体系.xlsx") == set()
    assert english_words("No Data 暂无数据") == {"Data"}


@pytest.mark.parametrize(("tenant", "username"), ACCOUNTS,
                         ids=[f"{t}-{u}" for t, u in ACCOUNTS])
def test_every_page_of_the_menu_opens_cleanly_in_chinese(page: Page, portal_url: str,
                                                          demo_year: None, tenant: str,
                                                          username: str) -> None:
    log_in(page, portal_url, tenant, username)
    expect(page).to_have_url(f"{portal_url}/")
    titles = menu_titles(page)
    assert len(titles) >= 2, titles
    found: dict[str, set[str]] = {}
    for title in titles:
        settle(page)  # leaving would abort the page's requests
        open_menu(page, title)
        settle(page)
        expect(page.locator("main, .el-main").first).to_be_visible()
        text = page.locator("body").inner_text()
        if words := english_words(text):
            found[title] = words
    settle(page)
    assert not found, f"English words on {username}'s pages: {found}"
    log_out(page, portal_url)
