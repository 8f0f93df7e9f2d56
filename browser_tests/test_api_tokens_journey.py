"""API tokens in the browser: Banja Luka's coordinator (alice) opens /account/api-tokens/, makes a
read-only token that expires in a month, sees its secret once (not on the list, nor with the back
button, nor after a reload — which must not make a second token either), reads her workspaces
through the private API with it (200, the workspaces her pages show), revokes it on the page, and
the same request is then refused: 401 with a JSON error.
"""

import contextlib
import datetime
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from browser_tests.conftest import english_page
from mreza.accounts.models import User
from mreza.api.models import ApiToken
from mreza.core.access import workspaces_visible_to
from mreza.progress.models import Workspace

pytestmark = pytest.mark.browser

NAME = "Ministry reporting"
ENDPOINT = "/api/v1/private/workspaces"
REFUSED = "This token is not valid: it is unknown, revoked or expired."


def coordinator(browser, live_server):
    return english_page(browser, live_server, "alice")


def make_token(alice, last_day):
    alice.goto("/account/api-tokens/")
    expect(alice.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(alice.get_by_text("You have no API tokens.")).to_be_visible()
    alice.get_by_role("link", name="New token").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("New API token")
    alice.get_by_label("Name").fill(NAME)
    alice.get_by_label("Expires on").fill(last_day.isoformat())
    expect(alice.get_by_label("Read only")).to_be_checked()
    alice.get_by_role("button", name="Make the token").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("Your new API token")
    expect(alice.get_by_role("status")).to_contain_text(
        "Copy the token now. It is shown only this once"
    )
    with override("en"):
        shown_day = date_format(last_day, "SHORT_DATE_FORMAT")
    expect(alice.locator(".card")).to_contain_text("Read only: it may read, but change nothing.")
    expect(alice.locator(".card")).to_contain_text(f"It works until {shown_day}.")
    secret = alice.get_by_label(f"Token “{NAME}”").input_value()
    assert re.fullmatch(r"mrz_[0-9a-z]+_\S{20,}", secret), secret
    return secret


def _settled_content(page):
    """The page's HTML once the back navigation has finished (it may still be on its way, or
    redirect, when content() is first asked for)."""
    for _attempt in range(20):
        page.wait_for_load_state()
        try:
            return page.content()
        except PlaywrightError:
            page.wait_for_timeout(250)
    return page.content()


def the_secret_is_gone(alice, secret):
    """Once the user leaves the page that showed it, neither the list nor the back button shows
    the secret again."""
    alice.get_by_role("link", name="I have copied it").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("API tokens")
    assert secret not in alice.content()
    row = alice.locator("tbody tr", has_text=NAME)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("read only")
    expect(row).to_contain_text("_".join(secret.split("_")[:2]) + "_…")  # the prefix only
    expect(row).to_contain_text("never")  # not used yet
    # Chromium does not post the form again (the page is not cached): "Confirm resubmission"
    with contextlib.suppress(PlaywrightError):
        alice.go_back()
    assert secret not in _settled_content(alice)
    assert ApiToken.objects.filter(user__email="alice@mreza.demo").count() == 1


def read_workspaces(alice, secret):
    return alice.request.get(
        ENDPOINT, headers={"Authorization": f"Bearer {secret}", "Accept": "application/json"}
    )


def test_a_token_made_used_and_revoked(browser, live_server, demo):
    alice = coordinator(browser, live_server)
    last_day = timezone.localdate() + datetime.timedelta(days=30)
    secret = make_token(alice, last_day)
    the_secret_is_gone(alice, secret)

    response = read_workspaces(alice, secret)
    assert response.status == 200
    body = response.json()
    user = User.objects.get(email="alice@mreza.demo")
    expected = set(
        workspaces_visible_to(user, Workspace.objects.all()).values_list("title", flat=True)
    )
    assert body["count"] == len(expected) > 0
    assert {w["title"] for w in body["results"]} <= expected and body["results"]
    alice.goto("/account/api-tokens/")
    expect(alice.locator("tbody tr", has_text=NAME)).not_to_contain_text("never")  # used now

    alice.locator("tbody tr", has_text=NAME).get_by_role("link", name="Revoke").click()
    expect(alice.get_by_role("heading", level=1)).to_have_text("Revoke the token")
    alice.get_by_role("button", name="Revoke").click()
    expect(alice.locator(".messages")).to_contain_text(
        f"The token “{NAME}” is revoked: it no longer works."
    )
    expect(alice.locator("tbody tr", has_text=NAME)).to_contain_text("revoked on")

    refused = read_workspaces(alice, secret)
    assert refused.status == 401
    assert refused.headers["content-type"].startswith("application/json")
    assert refused.json()["detail"] == REFUSED


def test_reloading_the_page_of_a_new_token_makes_no_second_token(browser, live_server, demo):
    """The page that shows the secret answers a POST: a reload (the browser asks "resubmit?",
    the user says yes) must neither show the secret again nor leave a second live token behind
    whose secret nobody copied."""
    alice = coordinator(browser, live_server)
    secret = make_token(alice, timezone.localdate() + datetime.timedelta(days=30))
    alice.reload()
    assert secret not in alice.content()
    usable = ApiToken.objects.filter(user__email="alice@mreza.demo").usable()
    assert usable.count() == 1, [t.name for t in usable]
