"""Hostile rich text: scripts, handlers, styles and javascript: links are removed before the
description is stored and again when shown; plain text with markup characters shows as text;
Serbian text changes script without its tags or entities being transliterated."""

import pytest
from django.utils import translation

from mreza.core import richtext
from mreza.core.templatetags.mreza import script
from mreza.events.services import events as services
from mreza.events.tests.conftest import make_event

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="steal()">Hello <script>alert(1)</script><b>friends</b>'
    '<a href="javascript:alert(2)">click</a><img src=x onerror=alert(3)>'
    '<a href="https://example.org/">ok</a></p><style>body{display:none}</style>'
    "<iframe src=https://evil.example></iframe>"
)


def test_hostile_markup_is_stripped():
    cleaned = richtext.sanitise(HOSTILE)
    for bad in ("<script", "alert(1)", "onclick", "javascript:", "<img", "onerror", "<style"):
        assert bad not in cleaned
    assert "<iframe" not in cleaned
    assert "<b>friends</b>" in cleaned
    assert '<a href="https://example.org/" rel="noopener noreferrer nofollow">ok</a>' in cleaned


def test_plain_text_is_escaped_into_paragraphs():
    assert richtext.sanitise("a < b & c\n\nnext") == "<p>a &lt; b &amp; c</p><p>next</p>"


def test_the_stored_description_is_clean_and_the_page_runs_nothing(client, world):
    event = make_event(world, description=HOSTILE)
    event.refresh_from_db()
    assert "<script" not in event.description and "onclick" not in event.description
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "alert(1)" not in page and "javascript:alert" not in page and "onerror" not in page
    assert "<b>friends</b>" in page


def test_a_row_changed_in_the_database_is_cleaned_when_shown(client, world):
    event = make_event(world)
    type(event).objects.filter(pk=event.pk).update(description=HOSTILE)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "alert(1)" not in page and "onclick" not in page


def test_a_title_with_markup_shows_as_text(client, world):
    event = make_event(world, title="<script>alert('t')</script>Конференција")
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "<script>alert('t')" not in page and "&lt;script&gt;" in page


def test_the_script_changes_but_not_the_tags_or_entities():
    cleaned = richtext.sanitise(
        '<p>Upravljanje <b>otpadom</b> &amp; <a href="https://a.b/">veza</a></p>'
    )
    with translation.override("sr"):
        shown = richtext.in_script(cleaned, script)
    assert shown == (
        "<p>Управљање <b>отпадом</b> &amp; "
        '<a href="https://a.b/" rel="noopener noreferrer nofollow">веза</a></p>'
    )


def test_an_update_is_cleaned_too(world):
    event = make_event(world)
    services.update_event(event, {"description": HOSTILE}, event.version)
    event.refresh_from_db()
    assert "<script" not in event.description
