"""The seed's contact form end to end: the built Astro site, the Python backend, a real browser.

Builds the site, starts the backend on a free loopback port, and drives Debian's Chromium
through Playwright: a valid inquiry is stored and listed; an empty required field or a tampered
project type is caught by the generated Zod schema in the browser, shown beside the field, and
no request is sent; a request tampered with after that check is refused by the server, whose
errors appear beside the fields, and nothing is stored. Screenshots of each state go to
test-artifacts/.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from contact_form_support import (
    ARTIFACTS,
    CHROMIUM_ARGS,
    backend,
    build_site,
    chromium,
    request,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Route

ADA = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "projectType": "ai_agent",
    "description": "An agent that triages my inbox and drafts replies.",
}


@pytest.fixture(scope="module", autouse=True)
def browser_tools() -> None:
    """Fail before the slow build when the browser or its driver is missing."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.fail("playwright is missing: pip install -e '.[dev]' (make test does it)")
    chromium()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("contact-form-site") / "dist")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("contact-form-db") / "inquiries.sqlite3"


@pytest.fixture(scope="module")
def base_url(site: Path, database: Path) -> Iterator[str]:
    with backend(database, site) as base:
        yield base


@pytest.fixture(scope="module")
def browser_page(base_url: str) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium()), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport={"width": 900, "height": 1000})
            page.set_default_timeout(10_000)
            yield page
        finally:
            browser.close()


def rows(database: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(
            "SELECT name, email, project_type, description FROM inquiries ORDER BY id"
        ).fetchall()


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"contact-form-{name}.png"), full_page=True)


def open_form(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    # Until React hydrates the island, a submit would be the browser's own GET of the form.
    page.wait_for_selector("astro-island:not([ssr]) form.contact-form")


def fill(page: Page, inquiry: dict[str, str]) -> None:
    page.fill("#name", inquiry["name"])
    page.fill("#email", inquiry["email"])
    page.select_option("#projectType", inquiry["projectType"])
    page.fill("#description", inquiry["description"])


def test_the_page_is_served_with_the_form(browser_page: Page, base_url: str) -> None:
    page = browser_page
    open_form(page, base_url)
    assert page.title() == "Start a project"
    options = page.eval_on_selector_all("#projectType option", "els => els.map(e => e.value)")
    assert options == ["saas_mvp", "ai_agent", "automation", "other"]
    assert page.locator(".field-error").count() == 0


def test_a_valid_inquiry_is_stored_and_listed(
    browser_page: Page, base_url: str, database: Path
) -> None:
    page = browser_page
    before = rows(database)
    open_form(page, base_url)
    fill(page, ADA)
    shoot(page, "1-filled")
    page.click("button[type=submit]")
    success = page.locator(".contact-success")
    success.wait_for()
    assert "Thank you, Ada Lovelace!" in success.inner_text()
    assert "AI agent" in success.inner_text()
    shoot(page, "2-sent")
    assert rows(database) == [*before, tuple(ADA.values())]
    status, listing = request(base_url, "GET", "/api/inquiries")
    assert status == 200
    assert len(listing["inquiries"]) == len(before) + 1
    assert {key: listing["inquiries"][-1][key] for key in ADA} == ADA


@contextmanager
def posts(page: Page) -> Iterator[list[str]]:
    """The URLs of every POST the page sends while the block runs."""
    sent: list[str] = []

    def record(request: Request) -> None:
        if request.method == "POST":
            sent.append(request.url)

    page.on("request", record)
    try:
        yield sent
    finally:
        page.remove_listener("request", record)


def test_an_empty_required_field_is_shown_without_a_request(
    browser_page: Page, base_url: str, database: Path
) -> None:
    page = browser_page
    before = rows(database)
    open_form(page, base_url)
    fill(page, {**ADA, "description": "   "})
    with posts(page) as sent:
        page.click("button[type=submit]")
        page.locator("#description-error").wait_for()
        # What the server would say of a missing field, said before anything was sent.
        assert page.inner_text("#description-error") == "Required"
        assert page.get_attribute("#description", "aria-invalid") == "true"
        assert page.locator(".field-error").count() == 1
        shoot(page, "3-empty-description")
        # Give a request that should not exist the time to be sent.
        page.wait_for_timeout(300)
    assert sent == []
    assert page.locator(".contact-success").count() == 0
    assert rows(database) == before


def test_a_tampered_project_type_is_refused_beside_the_field(
    browser_page: Page, base_url: str, database: Path
) -> None:
    page = browser_page
    before = rows(database)
    open_form(page, base_url)
    fill(page, {**ADA, "name": "Grace Hopper", "email": "grace@example.com"})
    # What anyone can do in the developer tools: the <select> now sends a value the schema
    # does not allow, past every TypeScript type.
    page.evaluate(
        """() => {
            const select = document.querySelector("#projectType");
            select.options[select.selectedIndex].value = "compiler";
        }"""
    )
    with posts(page) as sent:
        page.click("button[type=submit]")
        error = page.locator("#projectType-error")
        error.wait_for()
        # What a person reads beside the field: plain words, the server's, not Zod's message.
        assert error.inner_text() == 'Must be one of "saas_mvp", "ai_agent", "automation", "other"'
        assert "compiler" not in error.inner_text()
        assert page.get_attribute("#projectType", "aria-invalid") == "true"
        assert page.get_attribute("#projectType", "aria-describedby") == "projectType-error"
        assert page.locator(".field-error").count() == 1
        assert page.locator(".contact-success").count() == 0
        shoot(page, "4-invalid-project-type")
        page.wait_for_timeout(300)
    # The generated Zod schema refused it in the browser: no request at all.
    assert sent == []
    assert rows(database) == before


def test_server_issues_land_beside_their_fields(
    browser_page: Page, base_url: str, database: Path
) -> None:
    page = browser_page
    before = rows(database)
    open_form(page, base_url)

    def tamper(route: Route) -> None:
        # A client that drops `description`, sends a number for `name` and adds `phone`.
        body = json.loads(route.request.post_data or "{}")
        del body["description"]
        body["name"] = 42
        body["phone"] = "555-0100"
        route.continue_(post_data=json.dumps(body))

    page.route("**/api/inquiries", tamper)
    try:
        fill(page, ADA)
        page.click("button[type=submit]")
        page.locator("#description-error").wait_for()
    finally:
        page.unroute("**/api/inquiries")
    assert page.inner_text("#description-error") == "Required"
    assert page.inner_text("#name-error") == "Expected a string, got a number"
    assert page.locator("#email-error").count() == 0
    assert page.locator("#projectType-error").count() == 0
    # A field the form does not have: the message goes above the button.
    assert page.inner_text(".form-errors") == 'Unknown field "phone"'
    assert "555-0100" not in page.inner_text("body")
    shoot(page, "5-invalid-request")
    assert rows(database) == before


def test_the_server_still_refuses_a_project_type_tampered_after_the_check(
    browser_page: Page, base_url: str, database: Path
) -> None:
    # The browser's check is a convenience: a request changed after it is refused by the
    # server, whose issue lands beside the same field.
    page = browser_page
    before = rows(database)
    open_form(page, base_url)

    def tamper(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        body["projectType"] = "compiler"
        route.continue_(post_data=json.dumps(body))

    page.route("**/api/inquiries", tamper)
    try:
        fill(page, ADA)
        page.click("button[type=submit]")
        page.locator("#projectType-error").wait_for()
    finally:
        page.unroute("**/api/inquiries")
    assert (
        page.inner_text("#projectType-error")
        == 'Must be one of "saas_mvp", "ai_agent", "automation", "other"'
    )
    assert rows(database) == before
