import io

from django.core.management import call_command
from django.db.models import F

from mreza.progress.models import Activity, Meeting, Workspace, WorkspaceMember


def _generate(*extra):
    out = io.StringIO()
    call_command(
        "generate_scale_data",
        "--municipalities",
        "40",
        "--seed",
        "12",
        "--assessment-share",
        "0",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_scale_data_gives_every_municipality_a_network_with_plan_and_meetings(db):
    out = _generate()
    assert "Created 5 network workspaces with 100 activities, 60 meetings" in out
    assert WorkspaceMember.objects.count() == 40
    assert Workspace.objects.filter(kind="network", organisation__code="SYN12-ASSOC").count() == 5
    # every activity's responsible member is in its own workspace
    assert not Activity.objects.exclude(responsible_member__workspace=F("workspace")).exists()


def test_scale_data_can_be_replaced_although_members_protect_municipalities(db):
    _generate()
    _generate("--replace")
    assert Workspace.objects.count() == 5
    assert Meeting.objects.count() == 60
