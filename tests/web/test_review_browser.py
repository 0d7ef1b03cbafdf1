"""The review page in a real browser: Debian's chromium driven by Playwright.

The app is served by uvicorn on a free port; articles go through the real jobs. With
``CLAIMDESK_SCREENSHOTS=1`` the first test also writes ``docs/review-queue.png`` and
``docs/review-claim.png`` (the README shows them).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rq import Queue, SimpleWorker

from schemas.articles import ArticleCreate
from schemas.sources import SourceCreate
from service.app import create_app
from service.intake import prepare_article
from service.store import articles, claims
from service.store.queue import enqueue_process_article
from service.store.sources import upsert_source
from tests.factories import make_claim_record, store_claims
from tests.support.app_server import serve_app

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'")

CHROMIUM = "/usr/bin/chromium"
ORG = "org_default"
DOCS = Path(__file__).resolve().parents[2] / "docs"
TIMEOUT_MS = 10_000
TITLE = "IBM to pause hiring for roles AI could do"
ARTICLE = (
    "IBM CEO Arvind Krishna said on Tuesday that the company would pause hiring for roles "
    "that could be replaced by artificial intelligence.\n\n"
    "Krishna, who took over the chief executive role in April 2020, added that about 7,800 "
    "jobs could be replaced by AI over five years. Back-office functions such as human "
    "resources would be affected first, he said.\n\n"
    "Unemployment in the United States fell to 3.4% in January, the lowest rate since 1969."
)

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason=f"no chromium at {CHROMIUM}: `make test` installs Debian's chromium when it can "
    "(apt-get as root); install it to run the browser tests")


def store_article(session_factory, *, text: str, title: str) -> str:
    with session_factory() as session:
        new = prepare_article(ArticleCreate(text=text, title=title), languages=["en"])
        row, _ = articles.create_or_get(session, org_id=ORG, article=new, idempotency_key=None)
        session.commit()
        return row.id


def process(session_factory, redis, *, text: str, title: str) -> str:
    """Store the article and run its jobs (extraction, linking) to the end."""
    article_id = store_article(session_factory, text=text, title=title)
    queue = Queue("claimdesk", connection=redis)
    enqueue_process_article(queue, org_id=ORG, article_id=article_id)
    SimpleWorker([queue], connection=redis).work(burst=True)
    return article_id


def add_sources(session_factory) -> None:
    """A fact check and a document the linker can cite, so claims have evidence."""
    with session_factory() as session:
        upsert_source(session, org_id=ORG, source=SourceCreate(
            kind="fact_check", url="https://factcheck.example/ibm-ai-jobs",
            title="Did IBM say AI could replace 7,800 jobs?", publisher="Example Check",
            claim_reviewed="IBM's CEO said about 7,800 jobs could be replaced by AI.",
            claimant="Arvind Krishna", rating_text="True", rating_value=5, best_rating=5,
            worst_rating=1))
        upsert_source(session, org_id=ORG, source=SourceCreate(
            kind="document", url="https://stats.example/unemployment-january",
            title="The Employment Situation, January", publisher="Bureau of Labor Statistics",
            text="The unemployment rate fell to 3.4 percent in January, the lowest since "
            "1969. Total nonfarm payroll employment rose by 517,000."))
        session.commit()


@pytest.fixture
def base_url(settings, session_factory, redis) -> Iterator[str]:
    with serve_app(create_app(settings)) as url:
        yield url


@pytest.fixture
def browser_page() -> Iterator[object]:
    """A fresh page in headless chromium; any dialog (``alert``) fails the test."""
    dialogs: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox"], timeout=TIMEOUT_MS * 3)
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()

        def on_dialog(dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        try:
            yield page
        finally:
            browser.close()
    assert dialogs == [], f"the page opened dialogs: {dialogs}"


def sign_in(page, base_url: str, key: str) -> None:
    page.goto(f"{base_url}/review")
    assert "/review/login" in page.url
    page.fill("#key", key)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base_url}/review")


def test_a_reviewer_verifies_the_top_queued_claim(base_url, browser_page, make_key,
                                                 session_factory, redis) -> None:
    add_sources(session_factory)
    process(session_factory, redis, text=ARTICLE, title=TITLE)
    with session_factory() as session:
        (top,) = claims.list_claims(session, org_id=ORG, state="queued", limit=1).items
    page = browser_page
    expect = sync_api.expect
    sign_in(page, base_url, make_key("reviewer", name="Ana Ruiz"))
    first = page.locator("table.queue tbody tr").first
    expect(first).to_contain_text(top.statement)
    shoot(page, "review-queue.png")

    first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/review/claims/"))
    expect(page.locator("mark.claim")).to_have_text(top.text)
    expect(page.locator("mark.claim .span").first).to_be_visible()
    page.select_option("#verdict", "true")
    page.fill("#rationale", "The primary source says the same; see the evidence below.")
    shoot(page, "review-claim.png", full_page=True)
    page.click("button[value=verify]")
    page.wait_for_url(re.compile(r"saved=verify"))
    expect(page.locator(".notice.ok")).to_contain_text("Verified.")
    expect(page.locator(".history")).to_contain_text("Ana Ruiz (you)")

    page.click(".crumbs a")
    page.wait_for_url(f"{base_url}/review")
    expect(page.locator("table.queue")).not_to_contain_text(top.statement)
    page.select_option("select[name=state]", "verified")
    page.click("button:has-text('Filter')")
    page.wait_for_url(re.compile(r"state=verified"))
    expect(page.locator("table.queue")).to_contain_text(top.statement)


SCRIPT = "<script>window.__pwned=1;alert('script')</script>"
IMG = "<img src=x onerror=\"window.__pwned=1;alert('img')\">"


def test_markup_in_an_article_shows_as_text_and_runs_nothing(
        base_url, browser_page, make_key, session_factory) -> None:
    text = (f"The mayor said {SCRIPT} that the bridge cost $4.2 million {IMG} in 2023.\n"
            "It opened in May.")
    article_id = store_article(session_factory, text=text, title=f"Bridge {IMG}")
    claim_text = text.split("\n")[0]
    with session_factory() as session:
        article = articles.get_article(session, org_id=ORG, article_id=article_id)
        record = make_claim_record(claim_text, 0, score=0.9, types=["quantity"])
        store_claims(session, article, [record])
    page = browser_page
    expect = sync_api.expect
    sign_in(page, base_url, make_key("reviewer"))
    expect(page.locator("table.queue")).to_contain_text(f"Bridge {IMG}")
    expect(page.locator("table.queue")).to_contain_text(SCRIPT)
    ran_nothing(page)
    page.locator("table.queue tbody a").first.click()
    page.wait_for_url(re.compile(r"/review/claims/"))
    expect(page.locator("mark.claim")).to_have_text(claim_text)
    expect(page.locator("h2#article-heading")).to_have_text(f"Bridge {IMG}")
    ran_nothing(page)


def ran_nothing(page) -> None:
    """No element was made from the payloads, and none of their code ran."""
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"

def shoot(page, name: str, *, full_page: bool = False) -> None:
    """Write ``docs/<name>`` when CLAIMDESK_SCREENSHOTS is set (the README's pictures)."""
    if os.environ.get("CLAIMDESK_SCREENSHOTS"):
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / name), full_page=full_page)
