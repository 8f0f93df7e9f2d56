"""Issue 7 item 6: lengths limited everywhere, no direction marks in web addresses, no control
characters."""

import datetime

import pytest

from mreza.assessment.forms import (
    ConsensusForm,
    EntryForm,
    ImprovementActionForm,
    StartAssessmentForm,
)
from mreza.core.models import AuditEntry
from mreza.registry.forms import MunicipalityForm
from mreza.registry.models import Municipality


def edit(client, world, **data):
    client.force_login(world.alice)
    world.a.refresh_from_db()
    return client.post(
        f"/municipalities/{world.a.code}/edit/",
        {"website": "", "description": "", "version": world.a.version, **data},
    )


@pytest.mark.parametrize(
    "website, message",
    [
        ("https://example.org/\u202eexe.pdf", "invisible direction marks (U+202E)"),
        ("https://example.org/\u2066x", "U+2066"),
        ("https://exa\u200fmple.org/", "U+200F"),
        ("https://example.org/\u061c", "U+061C"),
        ("javascript:alert(1)", "starts with http:// or https://"),
        ("ftp://example.org/file", "starts with http:// or https://"),
        ("https://example.org/" + "a" * 300, "at most 200 characters"),
    ],
)
def test_website_refuses_bidi_controls_other_schemes_and_length(world, client, website, message):
    response = edit(client, world, website=website)
    body = response.content.decode()
    assert response.status_code == 200 and message in body, body[:3000]
    assert Municipality.objects.get(pk=world.a.pk).website == ""


def test_description_of_a_million_characters_is_refused_and_not_audited(world, client):
    before = AuditEntry.objects.count()
    response = edit(client, world, description="x" * 1_000_000)
    body = response.content.decode()
    assert response.status_code == 200 and "at most 5000 characters" in body
    assert Municipality.objects.get(pk=world.a.pk).description == ""
    assert AuditEntry.objects.count() == before


def test_description_with_a_nul_byte_is_refused_but_line_breaks_are_fine(world, client):
    response = edit(client, world, description="Line one\x00")
    assert "control character (U+0000)" in response.content.decode()
    response = edit(
        client, world, description="Line one\r\nLine two\ttabbed", website="https://example.org/"
    )
    assert response.status_code == 302
    assert Municipality.objects.get(pk=world.a.pk).website == "https://example.org/"


def test_municipality_form_limits():
    form = MunicipalityForm(data={"website": "", "description": "x" * 5001, "version": 1})
    assert not form.is_valid() and "description" in form.errors
    assert form.fields["description"].widget.attrs["maxlength"] == "5000"


def test_assessment_forms_limit_text_and_refuse_control_characters(world, caf):
    from mreza.assessment.models import Subcriterion

    panel = Subcriterion.objects.filter(framework=caf).first().panel_for("classic")
    form = StartAssessmentForm(
        data={
            "framework": caf.pk,
            "method": "classic",
            "title": "CAF\x00 2025",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
        }
    )
    assert not form.is_valid() and "U+0000" in str(form.errors["title"])
    entry = EntryForm(
        data={"score": "50", "strengths": "x" * 5001, "ideas": "bad\x07", "version": 0}, panel=panel
    )
    assert not entry.is_valid()
    assert "strengths" in entry.errors and "U+0007" in str(entry.errors["ideas"])
    consensus = ConsensusForm(
        data={"score": "50", "improvements": "y" * 5001, "version": 0}, panel=panel
    )
    assert not consensus.is_valid() and "improvements" in consensus.errors
    subs = Subcriterion.objects.filter(framework=caf)
    action = ImprovementActionForm(
        data={
            "subcriterion": subs.first().pk,
            "title": "T\x00",
            "description": "d" * 5001,
            "owner": "o" * 201,
            "deadline": datetime.date(2026, 1, 1),
            "expected_result": "r",
            "indicator": "i",
            "impact": 3,
            "feasibility": 3,
            "status": "plan",
        },
        subcriteria=subs,
    )
    assert not action.is_valid()
    assert {"title", "description", "owner"} <= set(action.errors)
