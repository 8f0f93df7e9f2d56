"""The page chrome (navigation, language choices, footer) is rendered once per language and role
flags and reused (core/chrome.py): the reuse must never show one reader another's links or
language."""

import pytest

from mreza.core import chrome


def _nav(body):
    return body[body.index('<nav aria-label="') : body.index("</nav>")]


@pytest.fixture(autouse=True)
def _fresh_chrome():
    chrome._rendered.cache_clear()


def test_navigation_follows_the_reader_roles(world, client):
    anonymous = _nav(client.get("/").content.decode())
    assert "/dashboard/" not in anonymous and "/municipalities/" in anonymous
    client.force_login(world.bob)
    bob = _nav(client.get("/").content.decode())
    assert "/dashboard/" in bob and "/networks/rounds/" not in bob
    client.force_login(world.dana)
    dana = _nav(client.get("/").content.decode())
    assert "/networks/rounds/" in dana and "/practices/review/" in dana
    assert "Audit trail" not in dana
    client.force_login(world.admin)
    assert "Audit trail" in _nav(client.get("/").content.decode())
    client.logout()
    assert _nav(client.get("/").content.decode()) == anonymous  # nobody's links stay behind


def test_each_language_and_script_gets_its_own_chrome(world, client):
    cyrillic = client.get("/", HTTP_ACCEPT_LANGUAGE="sr").content.decode()
    latin = client.get("/", HTTP_ACCEPT_LANGUAGE="sr-latn").content.decode()
    assert "Општине" in _nav(cyrillic) and "Opštine" in _nav(latin)
    assert '<option value="sr" lang="sr" selected>' in cyrillic
    assert '<option value="sr-latn" lang="sr-latn" selected>' in latin
    assert "Отворени подаци" in cyrillic.split('<footer class="site-footer">')[1]


def test_a_repeat_view_reuses_the_rendered_chrome(world, client, rendered_pages):
    client.get("/")
    before = chrome._rendered.cache_info()
    client.get("/")
    after = chrome._rendered.cache_info()
    assert after.misses == before.misses  # nothing rendered again
    assert after.hits == before.hits + 3  # navigation, language choices, footer
