"""Snippets are cut from the text as written, with the words the folded query matched marked and
everything else escaped."""

from mreza.practices.search import query_terms
from mreza.practices.snippets import best_snippet, highlight, snippet


def test_the_original_words_are_marked_whatever_script_the_query_used():
    terms = query_terms("управљање отпадом")
    assert highlight("Upravljanje otpadom u gradu", terms) == (
        "<mark>Upravljanje</mark> <mark>otpadom</mark> u gradu"
    )
    terms = query_terms("upravljanje otpadom")
    assert highlight("Управљање отпадом", terms) == "<mark>Управљање</mark> <mark>отпадом</mark>"


def test_diacritics_and_the_prefix_of_the_last_word():
    assert highlight("Čišćenje obale", query_terms("cisc")) == "<mark>Čišćenje</mark> obale"
    # an earlier word must match whole
    assert highlight("otpadom otpad", query_terms("otpad sm")) == "otpadom <mark>otpad</mark>"


def test_everything_else_is_escaped():
    marked = highlight('<script>alert("otpad")</script> & otpad', query_terms("otpad"))
    assert "<script>" not in marked
    assert marked == (
        "&lt;script&gt;alert(&quot;<mark>otpad</mark>&quot;)&lt;/script&gt; "
        "&amp; <mark>otpad</mark>"
    )
    assert highlight("<b>x</b>", []) == "&lt;b&gt;x&lt;/b&gt;"


def test_a_long_text_is_cut_around_the_first_match_at_spaces():
    text = " ".join(["riječ"] * 80) + " reciklaža " + " ".join(["kraj"] * 80)
    cut = snippet(text, query_terms("reciklaza"), width=100)
    assert cut.startswith("…") and cut.endswith("…")
    assert "<mark>reciklaža</mark>" in cut
    assert len(cut) < 140
    assert "rije…" not in cut  # whole words only


def test_without_a_match_the_beginning_is_shown():
    text = "Prvi dio. " + "dalje " * 100
    assert snippet(text, query_terms("nema"), width=40).startswith("Prvi dio.")
    assert snippet("kratko", []) == "kratko"


def test_the_text_that_matches_the_most_words_is_chosen():
    texts = ["Samo otpad ovdje.", "Otpad i reciklaža zajedno.", ""]
    assert best_snippet(texts, query_terms("otpad reciklaza")) == (
        "<mark>Otpad</mark> i <mark>reciklaža</mark> zajedno."
    )
