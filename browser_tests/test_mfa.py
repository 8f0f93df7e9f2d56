import re

import pytest
from playwright.sync_api import expect

from browser_tests.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.browser


def test_coordinator_is_made_to_set_up_totp(page, settings):
    from allauth.mfa.totp.internal.auth import hotp_value

    settings.MREZA_MFA_REQUIRED = True
    sign_in(page, "alice")
    # allauth asks for the password once more before a security change.
    if "/accounts/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
    expect(page).to_have_url(re.compile("/accounts/2fa/totp/activate/"))
    secret = page.locator("#authenticator_secret, input[readonly]").first.input_value()
    import time

    code = str(hotp_value(secret, int(time.time() // 30))).zfill(6)
    page.fill("input[name=code]", code)
    page.locator("form button[type=submit]").last.click()
    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile("/dashboard/$"))


CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(
    e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile
  );
});
"""


def _violations(page):
    return page.evaluate("window.__cspViolations || []")


def test_pages_work_under_the_content_security_policy(page):
    """The CSP is active: nothing on these pages is blocked, and the former inline onchange
    handlers (map country, language) still work from core/mreza.js."""
    page.add_init_script(CSP_WATCH)
    seen = []
    page.on(
        "console",
        lambda msg: seen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    response = page.goto("/municipalities/map/?country=BA")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "camera=()" in response.headers["permissions-policy"]
    options = page.locator("#map-country option")
    other = next(
        options.nth(i).get_attribute("value")
        for i in range(options.count())
        if options.nth(i).get_attribute("value") != "BA"
    )
    page.select_option("#map-country", other)
    expect(page).to_have_url(re.compile(rf"country={other}"))
    assert _violations(page) == []
    page.goto("/municipalities/")
    page.fill("input[name=q]", "tuzla")  # htmx swaps the results in
    expect(page.locator("#directory-results")).to_contain_text("Tuzla")
    assert _violations(page) == []
    sign_in(page, "alice")
    page.goto("/accounts/2fa/")
    assert _violations(page) == []
    page.goto("/dashboard/")
    page.select_option("#language-select", "bs")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "bs")
    expect(page).to_have_url(re.compile("/dashboard/$"))
    assert _violations(page) == []
    assert seen == []
