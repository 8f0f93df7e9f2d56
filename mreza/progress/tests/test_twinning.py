"""Twinnings (issue 11 item 6): a municipality's coordinator or management records a twinning with
a registry municipality or a partner abroad and its agreement in one step; the agreement is edited
under optimistic locking; bad input saves nothing."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mreza.accounts.models import MunicipalRole
from mreza.core.audit import AuditEntry
from mreza.progress.models import TwinningAgreement, Workspace, WorkspaceMember
from mreza.progress.services import exchange as services

D = datetime.date


def _new_url(municipality):
    return f"/workspaces/twinnings/new/{municipality.code}/"


def _twinning_data(**changes):
    data = {
        "title": "",
        "partner": "",
        "foreign_name": "Kranj",
        "foreign_country": "Slovenia",
        "foreign_contact": "Mestna občina Kranj, Slovenski trg 1",
        "signed_on": "2025-09-01",
        "starts_on": "2025-10-01",
        "ends_on": "2030-09-30",
        "signatories": "Mayor of Banja Luka\nMayor of Kranj",
        "work_plan": "Study visits in spring; internships in the building office",
        "version": "0",
    }
    data.update(changes)
    return data


def _twinnings():
    return Workspace.objects.filter(kind=Workspace.Kind.TWINNING)


def test_a_coordinator_records_a_twinning_with_a_partner_abroad(ws, client):
    client.force_login(ws.alice)
    before = _twinnings().count()
    response = client.post(_new_url(ws.a), _twinning_data())
    assert response.status_code == 302
    workspace = _twinnings().order_by("-pk").first()
    assert _twinnings().count() == before + 1
    assert response["Location"] == f"/workspaces/{workspace.pk}/exchange/"
    assert workspace.organisation_id is None and workspace.coordinator == ws.alice
    assert workspace.title == "Бања Лука – Kranj"
    assert (workspace.starts_on, workspace.ends_on) == (D(2025, 10, 1), D(2030, 9, 30))
    home, abroad = workspace.members.order_by("id")
    assert (home.municipality, home.role, home.contact_person) == (ws.a, "partner", ws.alice)
    assert abroad.municipality is None and abroad.is_abroad
    assert (abroad.foreign_name, abroad.foreign_country) == ("Kranj", "Slovenia")
    agreement = workspace.agreement
    assert agreement.signed_on == D(2025, 9, 1)
    assert agreement.signatories == "Mayor of Banja Luka\nMayor of Kranj"
    # every row of the new twinning is in its history
    audited = set(
        AuditEntry.objects.filter(container_id=workspace.pk).values_list(
            "content_type__model", flat=True
        )
    )
    assert audited == {"workspace", "workspacemember", "twinningagreement"}
    page = client.get(response["Location"]).content.decode()
    assert "Twinning agreement" in page and "Kranj" in page and "Slovenia" in page


def test_management_twins_two_registry_municipalities(ws, client):
    mara = ws.user("mara")
    MunicipalRole.objects.create(user=mara, municipality=ws.a, role="management")
    client.force_login(mara)
    data = _twinning_data(
        partner=ws.b.code, foreign_name="", foreign_country="", foreign_contact="", title="Friends"
    )
    assert client.post(_new_url(ws.a), data).status_code == 302
    workspace = _twinnings().get(title="Friends")
    assert set(workspace.members.values_list("municipality", flat=True)) == {ws.a.pk, ws.b.pk}
    # the same pair again while the first is in force: refused
    response = client.post(_new_url(ws.a), {**data, "title": "Again"})
    assert "already have a twinning in force" in response.content.decode()
    assert not _twinnings().filter(title="Again").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"foreign_name": ""}, "Give the name of the partner abroad."),
        ({"foreign_country": ""}, "Give the country of the partner abroad."),
        (
            {"foreign_name": "", "foreign_country": "", "foreign_contact": ""},
            "Choose the partner municipality from the registry, or give the name",
        ),
        ({"partner": "T-B"}, "not both"),
        ({"partner": "T-A", "foreign_name": ""}, "A municipality cannot be twinned with itself."),
        ({"partner": "NOWHERE", "foreign_name": ""}, "No municipality in the registry has this"),
        ({"partner_pick": "NOWHERE", "foreign_name": ""}, "Choose a municipality from the list."),
        ({"ends_on": "2025-01-01"}, "The agreement ends before it comes into force."),
        ({"signed_on": "2031-01-01"}, "The agreement is signed after it ended."),
        ({"signatories": ""}, "This field is required."),
        ({"foreign_name": "Kranj\u0007"}, "Remove the control character"),
    ],
)
def test_bad_twinnings_save_nothing(ws, client, changes, message):
    client.force_login(ws.alice)
    before = (
        _twinnings().count(),
        WorkspaceMember.objects.count(),
        TwinningAgreement.objects.count(),
    )
    response = client.post(_new_url(ws.a), _twinning_data(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Study visits in spring" in page  # what was typed is kept
    after = (
        _twinnings().count(),
        WorkspaceMember.objects.count(),
        TwinningAgreement.objects.count(),
    )
    assert after == before


def test_a_failure_half_way_leaves_no_twinning(ws, monkeypatch):
    before = (_twinnings().count(), WorkspaceMember.objects.count())

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(TwinningAgreement.objects, "create", fail)
    agreement = {
        "signed_on": None,
        "starts_on": D(2026, 1, 1),
        "ends_on": None,
        "signatories": "Mayors",
        "work_plan": "",
    }
    with pytest.raises(RuntimeError):
        services.create_twinning(ws.a, ws.alice, agreement, foreign_name="Kranj")
    assert (_twinnings().count(), WorkspaceMember.objects.count()) == before


def test_the_service_refuses_what_the_form_refuses(ws):
    agreement = {"starts_on": D(2026, 1, 1)}
    with pytest.raises(ValueError, match="itself"):
        services.create_twinning(ws.a, ws.alice, agreement, partner=ws.a)
    with pytest.raises(ValueError, match="name"):
        services.create_twinning(ws.a, ws.alice, agreement, foreign_name="  ")


def test_who_may_start_a_twinning(ws, client):
    client.force_login(ws.bob)  # an assessor of A: sees A, may not twin it
    assert client.get(_new_url(ws.a)).status_code == 403
    assert client.post(_new_url(ws.a), _twinning_data()).status_code == 403
    client.force_login(ws.alice)
    assert client.get(_new_url(ws.b)).status_code == 403  # not her municipality
    assert client.get("/workspaces/twinnings/new/NOWHERE/").status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(_new_url(ws.a))["Location"]
    assert _twinnings().count() == 1  # the fixture's


def test_the_new_twinning_link_is_for_whoever_may(ws, client):
    link = _new_url(ws.a)
    client.force_login(ws.alice)
    assert link in client.get(f"/workspaces/{ws.twinning.pk}/exchange/").content.decode()
    client.force_login(ws.bob)
    assert link not in client.get(f"/workspaces/{ws.twinning.pk}/exchange/").content.decode()


# ----------------------------------------------------------------------- the partner search


def _registry_partner(**changes):
    return _twinning_data(foreign_name="", foreign_country="", foreign_contact="", **changes)


def _partners(client, text, municipality=None):
    url = _new_url(municipality or _partners.ws.a) + "partners/"
    response = client.get(url, {"partner": text}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def towns(ws):
    """25 more towns whose names share "Polje", and a second "Laktaši", in Cyrillic."""
    for i in range(25):
        ws.municipality(f"T-P{i:02}", f"Поље {i:02}")
    ws.municipality("T-LAK", "Лакташи")
    _partners.ws = ws
    return ws


def test_the_form_has_a_search_field_not_a_list_of_every_municipality(towns, client):
    client.force_login(towns.alice)
    page = client.get(_new_url(towns.a)).content.decode()
    assert '<select name="partner"' not in page and "<option" not in page.split("<main", 1)[1]
    assert f'hx-get="{_new_url(towns.a)}partners/"' in page
    assert 'id="partner-results"' in page


def test_the_search_finds_across_scripts_leaves_out_the_town_and_shows_twenty(towns, client):
    client.force_login(towns.alice)
    for text in ("lakt", "ЛАКТ", "laktasi"):
        body = _partners(client, text)
        assert 'value="T-D"' in body and 'value="T-LAK"' in body, text
        assert body.count('type="radio" name="partner_pick"') == 2
    assert 'value="T-A"' not in _partners(client, "banja")  # the town itself
    assert "No municipality in the registry matches" in _partners(client, "banja")
    body = _partners(client, "polje")
    assert body.count('name="partner_pick"') == 20 and "Only the first 20 are shown" in body
    assert _partners(client, "p").strip() == ""  # one letter: nothing asked yet


def test_the_search_runs_a_fixed_number_of_queries(towns, client):
    client.force_login(towns.alice)
    _partners(client, "polje")
    with CaptureQueriesContext(connection) as few:
        _partners(client, "lakt")
    with CaptureQueriesContext(connection) as many:
        _partners(client, "polje")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_only_who_may_start_the_twinning_may_search(towns, client):
    url = _new_url(towns.a) + "partners/?partner=lakt"
    client.force_login(towns.bob)  # an assessor of A
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_the_picked_result_is_the_partner(towns, client):
    client.force_login(towns.alice)
    data = _registry_partner(partner="lakt", partner_pick="T-LAK", title="Picked")
    assert client.post(_new_url(towns.a), data).status_code == 302
    workspace = _twinnings().get(title="Picked")
    assert set(workspace.members.values_list("municipality__code", flat=True)) == {"T-A", "T-LAK"}


@pytest.mark.parametrize("typed", ["t-d", "T-D"])
def test_without_javascript_the_typed_code_is_resolved(towns, client, typed):
    client.force_login(towns.alice)
    assert client.post(_new_url(towns.a), _registry_partner(partner=typed)).status_code == 302
    assert _twinnings().filter(members__municipality=towns.d).exists()


def test_without_javascript_an_exact_name_is_resolved_in_either_script(towns, client):
    client.force_login(towns.alice)
    data = _registry_partner(partner="  TUZLA ", title="By name")
    assert client.post(_new_url(towns.a), data).status_code == 302
    assert _twinnings().get(title="By name").members.filter(municipality=towns.b).exists()
    towns.municipality("T-G", "Градачац")
    data = _registry_partner(partner="Gradačac", title="Latin for Cyrillic")
    assert client.post(_new_url(towns.a), data).status_code == 302


def test_an_ambiguous_or_unknown_name_is_refused_with_what_was_typed_kept(towns, client):
    client.force_login(towns.alice)
    response = client.post(_new_url(towns.a), _registry_partner(partner="Laktaši"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Several municipalities are called “Laktaši”" in page and "(T-D, T-LAK)" in page
    assert 'value="Laktaši"' in page and "Study visits in spring" in page
    # the matches are on the page as choices, also without JavaScript
    assert 'name="partner_pick" value="T-D"' in page
    response = client.post(_new_url(towns.a), _registry_partner(partner="Poljana"))
    page = response.content.decode()
    assert "No municipality in the registry has this name or code." in page
    assert 'value="Poljana"' in page
    # a pick kept after another error stays chosen
    data = _registry_partner(partner="lakt", partner_pick="T-D", ends_on="2020-01-01")
    page = client.post(_new_url(towns.a), data).content.decode()
    assert 'value="T-D" checked' in page and 'value="T-LAK">' in page
    assert _twinnings().count() == 1  # the fixture's


def test_the_partner_comes_prefilled_from_a_link(towns, client):
    client.force_login(towns.alice)
    page = client.get(_new_url(towns.a) + "?partner=T-B").content.decode()
    assert 'value="T-B" checked' in page and 'value="Tuzla"' in page
    # the town itself or an unknown code: the empty form
    for code in ("T-A", "NOWHERE"):
        page = client.get(_new_url(towns.a) + f"?partner={code}").content.decode()
        assert "checked" not in page.split('id="partner-results"', 1)[1].split("</div>", 1)[0]


# ------------------------------------------------------------------------------ the agreement


def _agreement_data(**changes):
    data = {
        "signed_on": "2024-05-09",
        "starts_on": "2024-06-01",
        "ends_on": "",
        "signatories": "Mayors of both towns",
        "work_plan": "Exchange of building-permit officers",
        "version": "0",
    }
    data.update(changes)
    return data


def test_the_agreement_is_recorded_then_edited_under_locking(ws, client):
    url = f"/workspaces/{ws.twinning.pk}/twinning/edit/"
    client.force_login(ws.alice)
    assert client.get(url).status_code == 200  # no agreement yet: an empty form
    response = client.post(url, _agreement_data())
    assert response.status_code == 302 and response["Location"].endswith("#agreement")
    agreement = TwinningAgreement.objects.get(workspace=ws.twinning)
    assert agreement.version == 1 and agreement.ends_on is None
    ws.twinning.refresh_from_db()
    assert (ws.twinning.starts_on, ws.twinning.ends_on) == (D(2024, 6, 1), None)

    edit = _agreement_data(ends_on="2029-05-31", version="1")
    assert client.post(url, edit).status_code == 302
    ws.twinning.refresh_from_db()
    assert ws.twinning.ends_on == D(2029, 5, 31)

    stale = _agreement_data(work_plan="My stale plan", version="1")
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "My stale plan" in response.content.decode()
    agreement.refresh_from_db()
    assert (agreement.version, agreement.work_plan) == (2, "Exchange of building-permit officers")
    # a second "first" agreement, typed while the first was being saved, is a conflict too
    assert client.post(url, _agreement_data(version="0")).status_code == 409

    response = client.post(url, _agreement_data(ends_on="2024-01-01", version="2"))
    assert "The agreement ends before it comes into force." in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.version == 2
    changes = AuditEntry.objects.filter(
        content_type__model="twinningagreement", object_id=str(agreement.pk)
    )
    assert changes.count() == 2  # created, then the end date


def test_only_who_runs_the_twinning_edits_its_agreement(ws, client):
    url = f"/workspaces/{ws.twinning.pk}/twinning/edit/"
    client.force_login(ws.bob)  # contributes to the twinning, does not run it
    assert client.post(url, _agreement_data()).status_code == 403
    client.force_login(ws.charlie)
    assert client.get(url).status_code == 404
    assert not TwinningAgreement.objects.exists()
    client.force_login(ws.dana)  # runs the network, which has no agreement
    assert client.get(f"/workspaces/{ws.workspace.pk}/twinning/edit/").status_code == 404
