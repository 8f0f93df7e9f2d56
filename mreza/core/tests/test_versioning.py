"""One way to save under optimistic locking (`save_versioned`, with an extra condition), one way
to show a refused stale save (`core.conflicts`: the user's text kept, a message, 409)."""

import ast
import datetime
import pathlib
import re

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db.models import Q
from django.test import RequestFactory

from mreza.assessment import services as assessment_services
from mreza.assessment.models import Assessment, ImprovementAction, LearningProfile, Subcriterion
from mreza.core.conflicts import CONFLICT, conflict_response, stale_form
from mreza.core.models import AuditEntry
from mreza.core.versioning import EditConflict, save_versioned
from mreza.registry.forms import MunicipalityForm
from mreza.registry.models import Municipality

ROOT = pathlib.Path(__file__).resolve().parents[3]  # the project: mreza/ is below it


def test_save_versioned_refuses_a_stale_version_and_saves_nothing(world):
    first = Municipality.objects.get(pk=world.a.pk)
    second = Municipality.objects.get(pk=world.a.pk)
    first.website = "https://first.example.org"
    save_versioned(first, ["website"], first.version)
    second.website = "https://second.example.org"
    with pytest.raises(EditConflict):
        save_versioned(second, ["website"], second.version)
    fresh = Municipality.objects.get(pk=world.a.pk)
    assert fresh.website == "https://first.example.org"
    assert fresh.version == first.version == second.version + 1


def test_save_versioned_with_a_condition_refuses_when_the_row_left_it(world):
    municipality = Municipality.objects.get(pk=world.a.pk)
    version = municipality.version
    municipality.description = "Changed"
    with pytest.raises(EditConflict):
        save_versioned(municipality, ["description"], version, condition=Q(population__lt=10))
    fresh = Municipality.objects.get(pk=world.a.pk)
    assert fresh.description != "Changed" and fresh.version == version
    save_versioned(municipality, ["description"], version, condition=Q(population__gt=10))
    fresh = Municipality.objects.get(pk=world.a.pk)
    assert fresh.description == "Changed" and fresh.version == version + 1
    assert AuditEntry.objects.filter(content_type__model="municipality").exists()


def test_stale_form_keeps_the_users_text_and_carries_the_current_version(world):
    current = Municipality.objects.get(pk=world.a.pk)
    current.version = 7
    request = RequestFactory().post(
        "/", {"website": "https://mine.example.org", "description": "My text", "version": "3"}
    )
    request.session = {}
    request._messages = FallbackStorage(request)
    form = stale_form(
        request, lambda data: MunicipalityForm(data, instance=current), current, "Changed."
    )
    assert form.data["description"] == "My text" and form.data["version"] == 7
    assert [str(m) for m in request._messages] == ["Changed."]
    request.user = world.alice
    response = conflict_response(
        request, "registry/edit.html", {"municipality": current, "form": form, "conflict": True}
    )
    assert response.status_code == CONFLICT == 409
    assert "My text" in response.content.decode()


@pytest.fixture
def accepted(world, caf):
    assessment = Assessment.objects.create(
        municipality=world.a,
        framework=caf,
        method="classic",
        title="CAF 2024",
        status="accepted",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
    )
    profile = LearningProfile.objects.create(
        assessment=assessment, municipality=world.a, needs={"1.1": 0.5}, strengths={}
    )
    return assessment, profile


def test_profile_save_is_a_service_under_optimistic_locking(accepted):
    _assessment, profile = accepted
    stale = LearningProfile.objects.get(pk=profile.pk)
    assessment_services.save_profile(profile, {"1.1": 0.9}, {}, "public", profile.version)
    with pytest.raises(EditConflict):
        assessment_services.save_profile(stale, {"2.1": 0.1}, {}, "private", stale.version)
    profile.refresh_from_db()
    assert profile.needs == {"1.1": 0.9} and profile.sharing == "public"


def test_stale_profile_form_is_409_with_the_users_choices_kept(world, accepted, client):
    assessment, profile = accepted
    assessment_services.save_profile(profile, {"1.1": 0.7}, {}, "private", profile.version)
    client.force_login(world.alice)
    response = client.post(
        f"/assessments/{assessment.pk}/profile/",
        {"sharing": "public", "version": profile.version - 1, "need_2.1": "0.6"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed the profile meanwhile" in body
    assert re.search(r'name="need_2\.1"[^>]*value="0\.6"|value="0\.6"[^>]*name="need_2\.1"', body)
    assert re.search(rf'name="version"[^>]*value="{profile.version}"', body) or (
        f'value="{profile.version}"' in body
    )
    profile.refresh_from_db()
    assert profile.needs == {"1.1": 0.7} and profile.sharing == "private"


def test_stale_action_form_is_409_with_the_users_text_kept(world, accepted, client):
    assessment, _profile = accepted
    sub = Subcriterion.objects.get(framework=assessment.framework, code="6.1")
    action = ImprovementAction.objects.create(
        assessment=assessment,
        subcriterion=sub,
        title="Survey",
        owner="Mayor's office",
        deadline=datetime.date(2026, 6, 30),
        expected_result="Known",
        indicator="Done",
        impact=3,
        feasibility=3,
    )
    data = {
        "subcriterion": sub.pk,
        "title": "Survey",
        "owner": "Mayor's office",
        "deadline": "2026-06-30",
        "expected_result": "Known",
        "indicator": "Done",
        "impact": 3,
        "feasibility": 3,
        "status": "plan",
        "version": action.version,
    }
    client.force_login(world.alice)
    url = f"/assessments/{assessment.pk}/plan/{action.pk}/"
    assert client.post(url, {**data, "title": "Survey in spring"}).status_code == 302
    response = client.post(url, {**data, "title": "Survey from the old window"})
    assert response.status_code == 409
    assert "Survey from the old window" in response.content.decode()
    action.refresh_from_db()
    assert action.title == "Survey in spring"


def _python_sources():
    sources = []
    for path in sorted((ROOT / "mreza").rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts)
        if "tests" not in parts and "migrations" not in parts:
            sources.append(path)
    # the checks below read these files: an empty list (a wrong ROOT) would let them pass vacuously
    assert ROOT / "mreza" / "core" / "versioning.py" in sources
    return sources


def test_no_hand_rolled_version_update_or_409_outside_the_helpers():
    """The rule stays: a version is bumped only in core/versioning.py, a 409 only in
    core/conflicts.py."""
    bump = re.compile(r"version\s*=\s*F\(\s*[\"']version[\"']\s*\)\s*\+")
    conflict_status = re.compile(r"status\s*=\s*409|HTTPStatus\.CONFLICT")
    offenders = []
    for path in _python_sources():
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT).as_posix()
        if bump.search(text) and name != "mreza/core/versioning.py":
            offenders.append(name)
        if conflict_status.search(text) and name != "mreza/core/conflicts.py":
            offenders.append(name)
    assert offenders == []


def test_versioned_saves_are_made_in_services_only():
    """State changes live in services.py (docs/ARCHITECTURE.md); a view hands the form's version
    to a service and shows the refusal, it does not save under the lock itself."""
    savers = {"save_versioned", "save_or_create_versioned"}
    offenders = []
    for path in _python_sources():
        name = path.relative_to(ROOT).as_posix()
        in_services = path.name == "services.py" or "services" in path.parent.parts[-1:]
        if in_services or name == "mreza/core/versioning.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders.extend(
            f"{name}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id in savers)
                or (isinstance(node.func, ast.Attribute) and node.func.attr in savers)
            )
        )
    assert offenders == []
