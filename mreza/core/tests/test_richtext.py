"""The rich-text sanitiser: an allow-list over nh3, plain text into paragraphs, links only to
http(s) and mailto with rel="noopener noreferrer nofollow", script conversion of the text only."""

import pytest

from mreza.core.richtext import in_script, plain_text, sanitise
from mreza.text import to_script


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
        ('<p onclick="x()">hi</p>', "<p>hi</p>"),
        ('<img src=x onerror="alert(1)">text', "text"),
        ("<iframe src='https://evil'></iframe>x", "x"),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        ('<a href="/local">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'),
        (
            '<a href="https://example.org" rel="opener" target="_blank">x</a>',
            '<a href="https://example.org" rel="noopener noreferrer nofollow">x</a>',
        ),
        ("<h1>Big</h1><h3>Small</h3>", "Big<h3>Small</h3>"),
        (
            "<ul><li><strong>a</strong> <em>b</em></li></ul>",
            "<ul><li><strong>a</strong> <em>b</em></li></ul>",
        ),
        (
            "<blockquote>q</blockquote><ol><li>1</li></ol>",
            "<blockquote>q</blockquote><ol><li>1</li></ol>",
        ),
        ('<p style="color:red">x</p>', "<p>x</p>"),
    ],
)
def test_only_the_allowed_tags_and_links_remain(typed, stored):
    assert sanitise(typed) == stored


def test_plain_text_becomes_paragraphs_and_is_escaped():
    assert sanitise("First line\nsecond\n\n  Then 1 < 2 & so on  ") == (
        "<p>First line<br>second</p><p>Then 1 &lt; 2 &amp; so on</p>"
    )
    assert sanitise("") == ""


def test_the_text_not_the_tags_is_converted_to_the_readers_script():
    html = sanitise("<p>Odvojeno prikupljanje &amp; <strong>reciklaža</strong></p>")
    assert in_script(html, lambda t: to_script(t, "cyrl")) == (
        "<p>Одвојено прикупљање &amp; <strong>рециклажа</strong></p>"
    )


def test_plain_text_of_sanitised_html():
    assert plain_text("<p>a &amp; b</p><ul><li>c</li></ul>") == "a & b c"


def test_mail_links_stay_and_other_schemes_go():
    assert sanitise('<a href="mailto:info@example.org">mail</a>') == (
        '<a href="mailto:info@example.org" rel="noopener noreferrer nofollow">mail</a>'
    )
    assert (
        sanitise('<a href="data:text/html,x">x</a>')
        == '<a rel="noopener noreferrer nofollow">x</a>'
    )


def test_plain_text_keeps_lines_for_a_calendar():
    assert plain_text("<p>a</p><ul><li>b &amp; c</li></ul>", keep_lines=True) == "a\nb & c"
