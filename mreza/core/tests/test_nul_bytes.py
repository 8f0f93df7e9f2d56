"""A NUL byte in the address is refused with a readable 400, on SQLite and PostgreSQL alike
(PostgreSQL cannot store or even compare a NUL in a text column)."""

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/municipalities/?q=ba%00nja",
        "/municipalities/%00/",
        "/municipalities/?country=BA%00",
        "/audit/?kind=%00",
    ],
)
def test_nul_in_the_address_is_a_bad_request(client, db, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


def test_nul_in_a_form_field_is_a_form_error_not_a_server_error(client, db):
    response = client.post("/accounts/login/", {"login": "a\x00@example.org", "password": "x"})
    assert response.status_code == 200 and response.context["form"].errors


def test_ordinary_requests_pass(client, db):
    assert client.get("/municipalities/?q=banja").status_code == 200
