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
