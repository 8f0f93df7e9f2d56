"""Visits, staff exchanges and internships, mentoring pairs and their meetings, transferred
practices (issue 11 item 5 and 6): the exchange page, each form's rules, optimistic locking, the
audit trail, and a query count that stays constant as rows grow."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mreza.core.audit import AuditEntry
from mreza.progress.models import (
    MentoringPair,
    MentoringSession,
    StaffExchange,
    TransferredPractice,
    Visit,
    WorkspaceMember,
)

D = datetime.date


def _url(ws, tail=""):
    return f"/workspaces/{ws.workspace.pk}/{tail}"


def _visit(ws, **extra):
    visit = Visit.objects.create(
        workspace=ws.workspace,
        host=extra.pop("host", ws.member_a),
        starts_on=extra.pop("starts_on", D(2026, 3, 10)),
        ends_on=extra.pop("ends_on", D(2026, 3, 11)),
        learned=extra.pop("learned", "Шалтер-сала на једном мјесту"),
        **extra,
    )
    visit.visitors.set([ws.member_c, ws.member_d])
    return visit


def _visit_data(ws, **changes):
    data = {
        "kind": "peer",
        "host": ws.member_a.pk,
        "visitors": [ws.member_c.pk, ws.member_d.pk],
        "starts_on": "2026-03-10",
        "ends_on": "2026-03-11",
        "participants": "Cora, Dino",
        "learned": "One-stop shop for citizens",
        "to_adopt": "Queue tickets by SMS",
        "version": "0",
    }
    data.update(changes)
    return data


def _rows(ws, n, offset=0):
    """n rows of every kind, each naming other members (the page must not query per row)."""
    extra_members = [
        WorkspaceMember.objects.create(
            workspace=ws.workspace,
            municipality=ws.municipality(f"T-X{offset + i}", f"Мјесто {offset + i}"),
        )
        for i in range(n)
    ]
    for i, member in enumerate(extra_members):
        visit = _visit(ws, host=member, starts_on=D(2026, 1, 1 + i), ends_on=D(2026, 1, 2 + i))
        visit.visitors.add(ws.member_a)
        StaffExchange.objects.create(
            workspace=ws.workspace,
            kind="internship",
            person_name=f"Intern {i}",
            home=member,
            host=ws.member_a,
            starts_on=D(2026, 2, 1),
            ends_on=D(2026, 2, 10 + i),
        )
        pair = MentoringPair.objects.create(
            workspace=ws.workspace,
            mentor_name=f"Mentor {i}",
            mentor_member=ws.member_a,
            mentee_name=f"Mentee {i}",
            mentee_member=member,
            topic="HR strategy",
            starts_on=D(2026, 1, 5),
        )
        MentoringSession.objects.create(pair=pair, held_on=D(2026, 2, 1), notes="First talk")
        MentoringSession.objects.create(pair=pair, held_on=D(2026, 3, 1), notes="Second talk")
        TransferredPractice.objects.create(
            workspace=ws.workspace,
            title=f"Practice {i}",
            description="Annual staff appraisal",
            source=ws.member_a,
            adopter=member,
            adopted_on=D(2026, 4, 1),
        )


# ------------------------------------------------------------------------------ the page


def test_members_see_every_part_and_strangers_nothing(ws, client):
    _visit(ws, participants="Cora Ilić, HR")
    _rows(ws, 1)
    client.force_login(ws.dino)  # staff of a member: sees and contributes
    response = client.get(_url(ws, "exchange/"))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Peer and study visits",
        "Šalter-sala na jednom mjestu",  # an English reader reads Serbian in Latin
        "Cora Ilić, HR",
        "Intern 0",
        "Mentor 0 mentors Mentee 0",
        "First talk",
        "Practice 0",
        "offered to the practice library",
        f"/workspaces/{ws.workspace.pk}/visits/new/",
        f"/workspaces/{ws.workspace.pk}/exchanges/new/",
    ):
        assert text in page, text
    assert "/workspaces/twinnings/new/" not in page  # dino manages no municipality
    assert "Twinning agreement" not in page  # a network has none
    client.force_login(ws.charlie)
    assert client.get(_url(ws, "exchange/")).status_code == 404
    assert client.get(_url(ws, "visits/new/")).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(_url(ws, "exchange/"))["Location"]


def test_the_page_shows_names_in_the_readers_script(ws, client):
    _visit(ws)
    ws.alice.language = "sr-ijekavsk"
    ws.alice.save()
    client.force_login(ws.alice)
    page = client.get(_url(ws, "exchange/")).content.decode()
    assert "Шалтер-сала на једном мјесту" in page
    ws.alice.language = "sr-latn-ijekavsk"
    ws.alice.save()
    page = client.get(_url(ws, "exchange/")).content.decode()
    assert "Šalter-sala na jednom mjestu" in page and "Шалтер-сала" not in page


def test_the_page_runs_a_constant_number_of_queries(ws, client):
    client.force_login(ws.alice)
    _rows(ws, 2)
    url = _url(ws, "exchange/")
    client.get(url)  # the first request after signing in also writes the session
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _rows(ws, 12, offset=100)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card exchange-record"') == 14 * 3
    assert len(large.captured_queries) == len(small.captured_queries)


# ------------------------------------------------------------------------------ visits


def test_a_member_records_a_visit_and_it_is_audited(ws, client):
    client.force_login(ws.dino)
    response = client.post(_url(ws, "visits/new/"), _visit_data(ws))
    assert response.status_code == 302
    assert response["Location"].endswith("/exchange/#visits")
    visit = Visit.objects.get(workspace=ws.workspace)
    assert set(visit.visitors.all()) == {ws.member_c, ws.member_d}
    assert visit.learned == "One-stop shop for citizens"
    entries = AuditEntry.objects.filter(content_type__model="visit", object_id=str(visit.pk))
    created = entries.get(action="create")
    assert created.container_id == ws.workspace.pk and created.actor == ws.dino
    # the visiting members (a many-to-many list) are recorded too
    visitors = entries.get(action="update")
    assert visitors.changes["visitors"][0] == [] and visitors.actor == ws.dino


def test_visit_rules_save_nothing(ws, client):
    client.force_login(ws.alice)
    cases = [
        ({"ends_on": "2026-03-09"}, "The end date is before the start date."),
        ({"visitors": [ws.member_a.pk, ws.member_c.pk]}, "The host cannot also be one of"),
        ({"host": ws.twin_abroad.pk}, "Choose a member of this workspace."),
        ({"visitors": [ws.twin_a.pk]}, "Choose a member of this workspace."),
        ({"visitors": []}, "This field is required."),
    ]
    for changes, message in cases:
        response = client.post(_url(ws, "visits/new/"), _visit_data(ws, **changes))
        assert response.status_code == 200, changes
        page = response.content.decode()
        assert message in page, changes
        assert "One-stop shop for citizens" in page  # what was typed is kept
    assert not Visit.objects.exists()


def test_two_people_editing_a_visit_get_a_conflict(ws, client):
    visit = _visit(ws)
    client.force_login(ws.alice)
    url = _url(ws, f"visits/{visit.pk}/edit/")
    assert client.get(url).status_code == 200
    first = _visit_data(ws, learned="First edit", version=str(visit.version))
    assert client.post(url, first).status_code == 302
    stale = _visit_data(ws, learned="My stale text", version=str(visit.version))
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "My stale text" in response.content.decode()
    visit.refresh_from_db()
    assert visit.learned == "First edit" and visit.version == 2


def test_a_visit_of_another_workspace_is_not_found_here(ws, client):
    visit = Visit.objects.create(
        workspace=ws.twinning, host=ws.twin_a, starts_on=D(2026, 1, 1), ends_on=D(2026, 1, 2)
    )
    client.force_login(ws.alice)
    assert client.get(_url(ws, f"visits/{visit.pk}/edit/")).status_code == 404


def test_a_stranger_may_not_record_a_visit(ws, client):
    client.force_login(ws.charlie)
    assert client.post(_url(ws, "visits/new/"), _visit_data(ws)).status_code == 404
    assert not Visit.objects.exists()


# ------------------------------------------------------------------------ staff exchanges


def _exchange_data(ws, **changes):
    data = {
        "kind": "internship",
        "person_name": "",
        "person": ws.dino.pk,
        "home": ws.member_d.pk,
        "host": ws.member_a.pk,
        "starts_on": "2026-05-04",
        "ends_on": "2026-05-29",
        "results": "Learned the e-archive",
        "version": "0",
    }
    data.update(changes)
    return data


def test_an_internship_takes_the_name_of_the_chosen_person(ws, client):
    client.force_login(ws.cora)
    response = client.post(_url(ws, "exchanges/new/"), _exchange_data(ws))
    assert response.status_code == 302
    row = StaffExchange.objects.get()
    assert (row.person, row.person_name, row.kind) == (ws.dino, "Dino", "internship")
    page = client.get(_url(ws, "exchange/")).content.decode()
    assert "26 days" in page and "Learned the e-archive" in page


def test_staff_exchange_rules_save_nothing(ws, client):
    client.force_login(ws.cora)
    cases = [
        ({"ends_on": "2026-05-01"}, "The end date is before the start date."),
        ({"host": ws.member_d.pk}, "The person goes to another member than their own."),
        ({"home": ws.member_c.pk}, "This person does not work in the municipality they come"),
        ({"person": ""}, "Give the person&#x27;s name or choose their user account."),
        ({"person": ws.charlie.pk}, "Choose a person of a member municipality."),
        ({"host": ws.twin_abroad.pk}, "Choose a member of this workspace."),
    ]
    for changes, message in cases:
        response = client.post(_url(ws, "exchanges/new/"), _exchange_data(ws, **changes))
        assert response.status_code == 200, changes
        assert message in response.content.decode(), changes
    assert not StaffExchange.objects.exists()


# ------------------------------------------------------------------------------ mentoring


def _pair_data(ws, **changes):
    data = {
        "mentor_name": "",
        "mentor": ws.alice.pk,
        "mentor_member": ws.member_a.pk,
        "mentee_name": "Ana Anić",
        "mentee": "",
        "mentee_member": ws.member_c.pk,
        "topic": "Staff appraisal",
        "starts_on": "2026-01-15",
        "ends_on": "",
        "status": "active",
        "outcome": "",
        "version": "0",
    }
    data.update(changes)
    return data


def test_a_mentoring_pair_with_its_meetings(ws, client):
    client.force_login(ws.bob)
    assert client.post(_url(ws, "mentoring/new/"), _pair_data(ws)).status_code == 302
    pair = MentoringPair.objects.get()
    assert (pair.mentor, pair.mentor_name, pair.mentee_name) == (ws.alice, "Alice", "Ana Anić")
    url = _url(ws, f"mentoring/{pair.pk}/meetings/new/")
    response = client.post(url, {"held_on": "2026-02-03", "notes": "Went through the forms"})
    assert response.status_code == 302 and response["Location"].endswith(f"#pair-{pair.pk}")
    response = client.post(url, {"held_on": "2026-01-03", "notes": "Too early"})
    assert "The meeting is before the mentoring started." in response.content.decode()
    assert list(pair.sessions.values_list("notes", flat=True)) == ["Went through the forms"]
    session = pair.sessions.get()
    entry = AuditEntry.objects.get(
        content_type__model="mentoringsession", object_id=str(session.pk)
    )
    assert entry.container_id == ws.workspace.pk


def test_mentoring_rules_save_nothing(ws, client):
    client.force_login(ws.bob)
    cases = [
        ({"ends_on": "2026-01-01"}, "The end date is before the start date."),
        ({"mentee_member": ws.member_a.pk}, "come from two different members"),
        ({"mentor": ws.cora.pk}, "The mentor does not work in the municipality chosen for them."),
        ({"mentor": "", "mentee_name": ""}, "Give the mentor&#x27;s name"),
        ({"mentor_name": "Ana Anić", "mentor": ""}, "The mentor and the mentee are two people."),
        ({"status": "completed"}, "Give the date the mentoring ended."),
        ({"mentee_member": ws.twin_abroad.pk}, "Choose a member of this workspace."),
    ]
    for changes, message in cases:
        response = client.post(_url(ws, "mentoring/new/"), _pair_data(ws, **changes))
        assert response.status_code == 200, changes
        assert message in response.content.decode(), changes
    assert not MentoringPair.objects.exists()


def test_a_meeting_after_the_mentoring_ended_is_refused(ws, client):
    pair = MentoringPair.objects.create(
        workspace=ws.workspace,
        mentor_name="M",
        mentor_member=ws.member_a,
        mentee_name="N",
        mentee_member=ws.member_c,
        topic="T",
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 3, 1),
        status="completed",
    )
    client.force_login(ws.alice)
    response = client.post(
        _url(ws, f"mentoring/{pair.pk}/meetings/new/"), {"held_on": "2026-03-02"}
    )
    assert "The meeting is after the mentoring ended." in response.content.decode()
    assert not pair.sessions.exists()


def _session(ws, **extra):
    pair = MentoringPair.objects.create(
        workspace=ws.workspace,
        mentor_name="M",
        mentor_member=ws.member_a,
        mentee_name="N",
        mentee_member=ws.member_c,
        topic="T",
        starts_on=D(2026, 1, 1),
    )
    return MentoringSession.objects.create(pair=pair, held_on=D(2026, 2, 3), notes="First notes")


def test_a_mentoring_meeting_is_edited_and_the_change_audited(ws, client):
    session = _session(ws)
    pair = session.pair
    client.force_login(ws.bob)
    page = client.get(_url(ws, "exchange/")).content.decode()
    edit = f"/workspaces/{ws.workspace.pk}/mentoring/{pair.pk}/meetings/{session.pk}/edit/"
    assert f'href="{edit}"' in page
    form = client.get(edit).content.decode()
    assert "First notes" in form and 'name="version" value="1"' in form
    data = {"held_on": "2026-02-04", "notes": "Went through the forms", "version": "1"}
    response = client.post(edit, data)
    assert response.status_code == 302 and response["Location"].endswith(f"#pair-{pair.pk}")
    session.refresh_from_db()
    assert (session.held_on, session.notes, session.version) == (D(2026, 2, 4), data["notes"], 2)
    change = AuditEntry.objects.filter(
        content_type__model="mentoringsession", object_id=str(session.pk), action="update"
    ).get()
    assert change.container_id == ws.workspace.pk and change.actor == ws.bob
    assert change.changes["notes"] == ["First notes", "Went through the forms"]
    # the rules of a new meeting hold for an edit, and nothing is saved
    response = client.post(edit, {**data, "held_on": "2025-12-31", "version": "2"})
    assert "The meeting is before the mentoring started." in response.content.decode()
    session.refresh_from_db()
    assert session.held_on == D(2026, 2, 4)


def test_two_people_editing_a_mentoring_meeting_get_a_conflict(ws, client):
    session = _session(ws)
    edit = _url(ws, f"mentoring/{session.pair_id}/meetings/{session.pk}/edit/")
    client.force_login(ws.alice)
    first = {"held_on": "2026-02-03", "notes": "Alice's notes", "version": "1"}
    assert client.post(edit, first).status_code == 302
    client.force_login(ws.bob)
    response = client.post(edit, {**first, "notes": "Bob's stale notes"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Bob&#x27;s stale notes" in body and 'name="version" value="2"' in body
    session.refresh_from_db()
    assert session.notes == "Alice's notes" and session.version == 2


def test_a_mentoring_meeting_is_edited_only_under_its_pair_by_contributors(ws, client):
    session = _session(ws)
    other = MentoringPair.objects.create(
        workspace=ws.workspace,
        mentor_name="O",
        mentor_member=ws.member_c,
        mentee_name="P",
        mentee_member=ws.member_d,
        topic="Other",
        starts_on=D(2026, 1, 1),
    )
    client.force_login(ws.bob)
    assert (
        client.get(_url(ws, f"mentoring/{other.pk}/meetings/{session.pk}/edit/")).status_code == 404
    )
    twinning = (
        f"/workspaces/{ws.twinning.pk}/mentoring/{session.pair_id}/meetings/{session.pk}/edit/"
    )
    assert client.get(twinning).status_code == 404
    client.force_login(ws.charlie)  # B is not in the network
    edit = _url(ws, f"mentoring/{session.pair_id}/meetings/{session.pk}/edit/")
    assert client.post(edit, {"held_on": "2026-02-05", "version": "1"}).status_code == 404
    session.refresh_from_db()
    assert session.version == 1


# ------------------------------------------------------------------- transferred practices


def _practice_data(ws, **changes):
    data = {
        "title": "Annual staff appraisal",
        "description": "The appraisal form and the interview guide, adapted to our sizes",
        "source": ws.member_a.pk,
        "adopter": ws.member_c.pk,
        "adopted_on": "2026-04-01",
        "responsible": "HR office",
        "result": "All 120 staff appraised in 2026",
        "version": "0",
    }
    data.update(changes)
    return data


def test_a_transferred_practice_is_recorded_for_the_library(ws, client):
    client.force_login(ws.cora)
    page = client.get(_url(ws, "transfers/new/")).content.decode()
    assert "offered to the practice library" in page
    assert client.post(_url(ws, "transfers/new/"), _practice_data(ws)).status_code == 302
    practice = TransferredPractice.objects.get()
    assert (practice.source, practice.adopter) == (ws.member_a, ws.member_c)
    assert practice.result == "All 120 staff appraised in 2026"
    page = client.get(_url(ws, "exchange/")).content.decode()
    assert "took it over from" in page and "HR office" in page


def test_transferred_practice_rules_save_nothing(ws, client):
    client.force_login(ws.cora)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    cases = [
        ({"adopter": ws.member_a.pk}, "taken over from another member than its own"),
        ({"adopted_on": tomorrow}, "the date is in the future"),
        ({"description": ""}, "This field is required."),
        ({"source": ws.twin_abroad.pk}, "Choose a member of this workspace."),
    ]
    for changes, message in cases:
        response = client.post(_url(ws, "transfers/new/"), _practice_data(ws, **changes))
        assert response.status_code == 200, changes
        assert message in response.content.decode(), changes
    assert not TransferredPractice.objects.exists()


def test_a_member_that_left_stays_on_its_old_records(ws, client):
    practice = TransferredPractice.objects.create(
        workspace=ws.workspace,
        title="P",
        description="D",
        source=ws.member_d,
        adopter=ws.member_c,
        adopted_on=D(2026, 1, 1),
    )
    ws.member_d.left_on = D(2026, 6, 1)
    ws.member_d.save()
    client.force_login(ws.cora)
    new = client.get(_url(ws, "transfers/new/")).content.decode()
    assert f'value="{ws.member_d.pk}"' not in new
    edit_url = _url(ws, f"transfers/{practice.pk}/edit/")
    data = _practice_data(ws, source=ws.member_d.pk, version=str(practice.version))
    assert client.post(edit_url, data).status_code == 302
    practice.refresh_from_db()
    assert practice.source == ws.member_d and practice.version == 2
