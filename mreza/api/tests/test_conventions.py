"""The conventions every endpoint follows: page limits, ETag and 304, JSON errors everywhere
under /api/ (404, 405, 413, 422, 429, 500), bodies that refuse unknown fields, rate limits per
token and per client address, the schema and the docs page."""

import json
import re
from types import SimpleNamespace
from typing import get_args
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.staticfiles import finders
from ninja import NinjaAPI, Router
from ninja.testing import TestClient
from openapi_spec_validator import validate
from pydantic import BaseModel
from pydantic import ValidationError as PydanticError

from mreza.api import conventions
from mreza.api.api import api
from mreza.api.public import registry
from mreza.api.tests.public_fixtures import _fresh_rate_limits, get_json  # noqa: F401

URL = "/api/v1/municipalities"


@pytest.fixture
def places(world):
    for number in range(7):
        world.municipality(f"T-P{number}", f"Place {number}", population=1000 + number)
    return world


# --------------------------------------------------------------------------- pagination


@pytest.mark.parametrize("value", ["0", "-1", "201", "100000000000000000000", "ten", ""])
def test_a_page_size_out_of_range_is_a_422_naming_the_field(places, client, value):
    body = get_json(client, f"{URL}?page_size={value}", status=422)
    assert body["code"] == "validation"
    assert [(e["field"], e["location"]) for e in body["errors"]] == [("page_size", "query")]
    assert "page_size" in body["detail"]


@pytest.mark.parametrize("value", ["0", "-3", "100001"])
def test_a_page_number_out_of_range_is_a_422_naming_the_field(places, client, value):
    body = get_json(client, f"{URL}?page={value}", status=422)
    assert [e["field"] for e in body["errors"]] == ["page"]


def test_pages_have_a_default_size_a_count_and_links(places, client):
    body = get_json(client, URL)
    assert body["page_size"] == conventions.DEFAULT_PAGE_SIZE
    assert body["count"] == 9 and len(body["results"]) == 9
    assert body["next"] is None and body["previous"] is None

    first = get_json(client, f"{URL}?page_size=4&country=BA")
    assert (first["count"], first["pages"], len(first["results"])) == (9, 3, 4)
    assert first["next"] == "http://testserver/api/v1/municipalities?page_size=4&country=BA&page=2"
    last = get_json(client, first["next"].replace("page=2", "page=3"))
    assert len(last["results"]) == 1 and last["next"] is None
    assert last["previous"].endswith("page=2")
    seen = [m["code"] for m in first["results"]] + [m["code"] for m in last["results"]]
    assert len(set(seen)) == 5


def test_a_page_past_the_end_is_empty_and_points_back(places, client):
    body = get_json(client, f"{URL}?page=50&page_size=4")
    assert body["results"] == [] and body["next"] is None
    assert parse_qs(urlsplit(body["previous"]).query) == {"page": ["3"], "page_size": ["4"]}


def test_the_largest_page_size_is_accepted(places, client):
    body = get_json(client, f"{URL}?page_size={conventions.MAX_PAGE_SIZE}")
    assert body["page_size"] == conventions.MAX_PAGE_SIZE


# --------------------------------------------------------------------------- ETag


def test_every_successful_get_has_an_etag_and_a_match_is_304(places, client):
    first = client.get(URL)
    etag = first["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert "Accept-Language" in first["Vary"]
    again = client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    listed = client.get(URL, headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304
    assert client.get(URL, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_the_etag_changes_with_the_data(places, client):
    etag = client.get(URL)["ETag"]
    places.municipality("T-NEW", "Novi Grad")
    response = client.get(URL, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


def test_errors_have_no_etag(client, db):
    response = client.get("/api/v1/municipalities/NOPE", headers={"If-None-Match": "*"})
    assert response.status_code == 404 and not response.has_header("ETag")


# --------------------------------------------------------------------------- JSON errors


@pytest.mark.parametrize(
    "url", ["/api/v1/nothing", "/api/v1/", "/api/", "/api", "/api/v2/countries", URL + "/"]
)
def test_a_path_under_api_that_matches_nothing_is_a_json_404(client, db, url):
    body = get_json(client, url, status=404)
    assert body["code"] == "not_found" and body["detail"]


def test_a_post_to_an_unknown_path_is_a_json_404_not_the_csrf_page(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/api/v1/nothing", data="{}", content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_an_unknown_municipality_is_a_json_404(client, db):
    assert get_json(client, "/api/v1/municipalities/NOPE", status=404)["code"] == "not_found"


def test_a_wrong_method_is_a_json_405_with_allow(client, db):
    response = client.post(URL, data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"
    assert client.delete("/api/v1/countries").json()["code"] == "method_not_allowed"


def test_a_body_over_the_limit_is_a_json_413(client, db, settings):
    settings.MREZA_API_MAX_BODY = 100
    response = client.post(URL, data="x" * 101, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_an_exception_in_an_endpoint_is_a_json_500(client, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(registry, "country_out", broken)
    registry.Country.objects.create(code="HR", name="Hrvatska")
    response = client.get("/api/v1/countries")
    assert response.status_code == 500
    body = response.json()
    assert body["code"] == "server_error" and "boom" not in json.dumps(body)


def test_a_wrong_type_in_the_path_is_a_422_naming_it(client, db):
    body = get_json(client, "/api/v1/workspaces/abc/progress", status=422)
    assert [(e["field"], e["location"]) for e in body["errors"]] == [("workspace_id", "path")]


def test_errors_speak_the_request_language(client, db):
    english = get_json(client, "/api/v1/nothing", status=404)["detail"]
    assert english == "There is no such address in the API."


# --------------------------------------------------------------------------- bodies


class Thing(conventions.BodySchema):
    name: str
    size: int


def _body_api():
    """A small API with the conventions and one write, as the token API's writes are built."""
    api = NinjaAPI(urls_namespace="body-test")
    conventions.install_error_handlers(api)
    router = Router()

    @router.post("/things")
    def make(request, thing: Thing):
        return {"name": thing.name}

    api.add_router("", router)
    return TestClient(api)


def test_a_body_schema_refuses_unknown_fields():
    with pytest.raises(PydanticError, match="extra"):
        Thing.model_validate({"name": "a", "size": 1, "colour": "red"})


def test_unknown_fields_wrong_types_and_bad_json_name_the_field(db):
    client = _body_api()
    unknown = client.post("/things", json={"name": "a", "size": 1, "colour": "red"})
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["thing.colour"]
    wrong = client.post("/things", json={"name": "a", "size": "big"})
    assert wrong.status_code == 422
    assert [(e["field"], e["location"]) for e in wrong.json()["errors"]] == [("thing.size", "body")]
    malformed = client.post("/things", data=b"{not json", content_type="application/json")
    assert malformed.status_code == 400 and malformed.json()["code"] == "bad_request"
    assert client.post("/things", json={"name": "a", "size": 2}).json() == {"name": "a"}


# --------------------------------------------------------------------------- rate limits


def test_an_anonymous_client_over_its_limit_gets_429_with_retry_after(client, db, settings):
    settings.MREZA_API_RATE_LIMITS = {"anonymous": (3, 60)}
    for _ in range(3):
        assert client.get("/api/v1/countries").status_code == 200
    response = client.get("/api/v1/countries")
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_requests"
    assert 1 <= int(response["Retry-After"]) <= 60
    # another client address has its own allowance
    assert client.get("/api/v1/countries", REMOTE_ADDR="192.0.2.77").status_code == 200


def test_a_token_has_its_own_allowance_whatever_the_address(db, settings, rf):
    settings.MREZA_API_RATE_LIMITS = {"token": (2, 60), "anonymous": (100, 60)}
    limit = conventions.ApiRateLimit()
    first, second = SimpleNamespace(pk=1), SimpleNamespace(pk=2)

    def asks(token, address="198.51.100.1"):
        request = rf.get("/api/v1/x", REMOTE_ADDR=address)
        request.api_token = token
        return limit.allow_request(request)

    assert asks(first) and asks(first, "203.0.113.9")
    assert not asks(first)  # two from two addresses: the token's allowance is spent
    assert 0 < limit.wait() <= 60
    assert asks(second)  # another token counts apart
    assert limit.allow_request(rf.get("/api/v1/x", REMOTE_ADDR="198.51.100.1"))


# --------------------------------------------------------------------------- schema and docs


def _no_twins(pairs):
    keys = [key for key, _value in pairs]
    assert len(keys) == len(set(keys)), keys  # a JSON object with a key twice
    return dict(pairs)


def test_the_served_schema_is_valid_openapi(client, db):
    schema = json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=_no_twins)
    validate(schema)
    assert schema["info"]["version"] == "1"
    operation = schema["paths"]["/api/v1/municipalities"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"page", "page_size", "q", "country", "region", "type", "order"} <= names
    assert {"304", "422", "429", "500"} <= set(operation["responses"])
    assert "Error" in schema["components"]["schemas"]


def test_the_docs_page_loads_only_local_files_and_runs_no_inline_script(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    for tag in re.findall(r"<script\b[^>]*>", page):
        # a script is a local file, or a JSON data block that no browser runs
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert len(assets) >= 3 and "//" not in "".join(a[1:] for a in assets)
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    assert " style=" not in page
    assert '"validatorUrl": null' in page


def _models_in(annotation, found):
    """Every pydantic model an annotation names, nested ones included."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.setdefault(annotation.__name__, set()).add(annotation)
        for field in annotation.model_fields.values():
            for inner in (field.annotation, *get_args(field.annotation)):
                if inner is not annotation and not any(inner in s for s in found.values()):
                    _models_in(inner, found)
    for inner in get_args(annotation):
        _models_in(inner, found)


def test_no_two_schemas_share_a_name():
    """The schema's components are keyed by class name: two response classes of one name
    (in two routers) would silently document one of them for both (schemathesis found it)."""
    found: dict[str, set] = {}
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                for model in operation.response_models.values():
                    if isinstance(model, type):
                        _models_in(model.model_fields["response"].annotation, found)
    shared = {name: classes for name, classes in found.items() if len(classes) > 1}
    assert not shared, shared
    assert {"EvaluationMember", "PublicWorkspaceMember", "Error"} <= set(found)


@pytest.mark.urls("mreza.api.tests.urls_with_handlers")
def test_what_fails_before_the_api_is_json_under_api_and_html_elsewhere(db):
    from django.test import Client

    client = Client(raise_request_exception=False)
    refused = client.get("/api/v1/municipalities?q=a%00b")  # the NUL-byte middleware
    assert refused.status_code == 400 and refused.json()["code"] == "bad_request"
    page = client.get("/municipalities/?q=a%00b")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
