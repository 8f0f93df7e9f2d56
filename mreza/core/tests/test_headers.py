"""Issue 7 item 5: Content-Security-Policy, Permissions-Policy, no-store on private responses."""

import re
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from mreza.assessment.tests.conftest import assessment  # noqa: F401  (fixture)
from mreza.core.headers import SecurityHeadersMiddleware

REPO = Path(settings.BASE_DIR)


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def assert_protected(response):
    csp = directives(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"][:2] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_public_page_has_the_policies_and_may_be_cached(world, client):
    response = client.get("/municipalities/")
    assert response.status_code == 200
    assert_protected(response)
    assert "no-store" not in response.get("Cache-Control", "")


def test_sign_in_page_is_not_stored(db, client):
    response = client.get("/accounts/login/")
    assert_protected(response)
    assert "no-store" in response["Cache-Control"]


def test_private_page_is_not_stored(world, client):
    client.force_login(world.bob)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    assert_protected(response)
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "core/mreza.js" in page and 'data-autosubmit="keep-location"' in page
    # Even a page anyone may see is not stored once it carries a signed-in user's header.
    assert "no-store" in client.get("/municipalities/")["Cache-Control"]


def test_download_is_not_stored(world, assessment, client):  # noqa: F811
    client.force_login(world.bob)
    response = client.get(f"/assessments/{assessment.pk}/workbook.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert "Content-Security-Policy" in response


def test_a_download_is_not_stored_even_without_a_session():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/some/export.csv")
    request.user = AnonymousUser()

    def view(_request):
        response = HttpResponse("a,b\n", content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="x.csv"'
        response["Cache-Control"] = "max-age=3600"
        return response

    response = SecurityHeadersMiddleware(view)(request)
    assert "no-store" in response["Cache-Control"] and "max-age" not in response["Cache-Control"]


def test_map_tile_origin_is_allowed_for_images():
    from mreza.settings import _tile_origin

    assert _tile_origin("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://*.tile.openstreetmap.org"
    )
    assert _tile_origin("") is None


# --- no inline code in any template the site serves -------------------------------------------

INLINE_HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.S)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
STYLE_ATTR = re.compile(r"<[a-zA-Z][^>]*?\sstyle\s*=", re.S)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def served_templates():
    roots = [REPO / "mreza" / "templates", *sorted((REPO / "mreza").glob("*/templates"))]
    for root in roots:
        yield from sorted(root.rglob("*.html"))


def test_templates_have_no_inline_scripts_handlers_or_styles():
    problems = []
    templates = list(served_templates())
    assert len(templates) > 20  # the walk found the site's templates
    for path in templates:
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(REPO)
        if INLINE_HANDLER.search(text):
            problems.append(f"{name}: inline on...= handler")
        if JS_URL.search(text):
            problems.append(f"{name}: javascript: URL")
        for match in SCRIPT_TAG.finditer(text):
            attrs = match.group(1)
            if "src=" not in attrs and 'type="application/json"' not in attrs:
                problems.append(f"{name}: inline <script>")
        # PDF templates are WeasyPrint input, never sent to a browser: they may carry <style>.
        if not path.name.endswith("_pdf.html"):
            if STYLE_ATTR.search(text):
                problems.append(f"{name}: style= attribute")
            if re.search(r"<style\b", text):
                problems.append(f"{name}: inline <style>")
    assert problems == []


def test_the_checks_catch_inline_code():
    assert INLINE_HANDLER.search('<select id="x" onchange="this.form.submit()">')
    assert not INLINE_HANDLER.search('<select data-autosubmit name="country">')
    assert STYLE_ATTR.search('<div class="a" style="display:none">')
    assert SCRIPT_TAG.search("<script>alert(1)</script>").group(1) == ""
