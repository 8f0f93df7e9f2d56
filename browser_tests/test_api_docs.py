"""The browsable docs at /api/v1/docs work in a real browser under the site's
Content-Security-Policy: Swagger UI from ninja's packaged static files renders every operation,
nothing is blocked, nothing is loaded from elsewhere."""

import pytest

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_every_operation_under_the_csp(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    problems, elsewhere = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else elsewhere.append(r.url),
    )
    response = page.goto("/api/v1/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() >= 10
    assert page.locator(".opblock-summary-path", has_text="/api/v1/municipalities").count()
    assert problems == [] and elsewhere == []
    context.close()
