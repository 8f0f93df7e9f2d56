"""A workspace's home (members, theme, baseline, phases; what is next, late and owed), its settings,
members' contact people and phases, its history, and "my networks" across all of them."""

from collections import namedtuple
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mreza.assessment.models import Consensus, LearningProfile
from mreza.core.access import (
    Perm,
    managed_municipalities,
    may,
    organisations_coordinated_by,
    require,
    roles_of,
    workspace_history,
    workspaces_visible_to,
)
from mreza.core.conflicts import conflict_response, stale_form
from mreza.core.templatetags.mreza import script
from mreza.core.versioning import EditConflict
from mreza.networks.models import NetworkMembership, Partnership, Response
from mreza.progress import caching, charts
from mreza.progress.forms.workspace import (
    ContactForm,
    NewNetworkForm,
    PhaseForm,
    WorkspaceSettingsForm,
    people_of_members,
)
from mreza.progress.models import (
    Activity,
    Meeting,
    Phase,
    Registration,
    Workspace,
    WorkspaceMember,
)
from mreza.progress.services import workspace_edit
from mreza.progress.services.plan import owed_by
from mreza.progress.views.common import counted_page, render_workspace, workspace_view
from mreza.progress.views.progress import (
    OPEN,
    area_name,
    chart_date,
    figure_rows,
    figures,
    plan_chart,
)
from mreza.registry.models import Municipality, Organisation

SHARED = (LearningProfile.Sharing.COORDINATORS, LearningProfile.Sharing.PUBLIC)
MY_PAGE_SIZE = 20
SHOWN_PER_WORKSPACE = 5


def page_flags(request, workspace, tab):
    user = request.user
    return {
        "workspace": workspace,
        "tab": tab,
        "may_view": may(user, Perm.VIEW, workspace),
        "may_manage": may(user, Perm.MANAGE_WORKSPACE, workspace),
        "may_contribute": may(user, Perm.CONTRIBUTE, workspace),
    }


# what the pages show of a member, a member's municipality and contact person
MEMBER_FIELDS = ("workspace_id", "municipality", "foreign_name", "foreign_country", "role")
MEMBER_FIELDS += ("foreign_contact", "contact_person", "left_on", "municipality__code")
MEMBER_FIELDS += ("municipality__name", "contact_person__full_name", "contact_person__email")
# a member named by another row (an activity's responsible member, a meeting's host), as a name
NAMED = ("municipality", "municipality__name", "foreign_name")


def _named(relation):
    return (relation, *(f"{relation}__{name}" for name in NAMED))


def _baseline(workspace, members):
    """{municipality id: (score, assessment period end)}: each member's consensus score in the
    workspace's area from its newest self-assessment whose learning profile it shares (cached:
    it changes with assessments and members, not with the plan)."""
    if not workspace.framework_id or not workspace.area:
        return {}
    ids = [m.municipality_id for m in members if m.municipality_id]

    def build():
        rows = (
            Consensus.objects.filter(
                assessment__municipality_id__in=ids,
                assessment__framework_id=workspace.framework_id,
                assessment__profile__sharing__in=SHARED,
                subcriterion__code=workspace.area,
                score__isnull=False,
            )
            .order_by("assessment__period_end", "assessment_id")
            .values_list("assessment__municipality_id", "score", "assessment__period_end")
        )
        return {municipality: (score, period) for municipality, score, period in rows}

    return caching.baseline(workspace, build)


def _upcoming_meetings(user, workspace_ids, now, with_host=False):
    meetings = (
        Meeting.objects.filter(
            workspace_id__in=workspace_ids, status=Meeting.Status.SCHEDULED, starts_at__gte=now
        )
        .annotate(
            registered=Exists(
                Registration.objects.filter(meeting_id=OuterRef("pk"), user_id=user.pk)
            )
        )
        .order_by("starts_at", "id")
    )
    if with_host:
        fields = ("workspace_id", "title", "starts_at", *_named("host"))
        return meetings.select_related("host__municipality").only(*fields)
    return meetings.only("workspace_id", "title", "starts_at")


PhaseRow = namedtuple("PhaseRow", "name starts_on ends_on")


def _phases(workspace, today):
    """([PhaseRow], time line SVG) of the workspace (cached: they change with the phases)."""

    def build():
        rows = [
            PhaseRow(*row)
            for row in workspace.phases.order_by("starts_on", "order", "id").values_list(
                "name", "starts_on", "ends_on"
            )
        ]
        return rows, _timeline(workspace, rows, today)

    return caching.phases(workspace, today, build)


def _timeline(workspace, phases, today):
    if not phases:
        return None
    starts = workspace.starts_on or min(p.starts_on for p in phases)
    ends = workspace.ends_on or max(p.ends_on for p in phases)
    starts, ends = (
        min(starts, *(p.starts_on for p in phases)),
        max(ends, *(p.ends_on for p in phases)),
    )
    return charts.timeline_svg(
        [charts.Phase(p.name, p.starts_on, p.ends_on) for p in phases],
        starts_on=starts,
        ends_on=ends,
        today=today,
        title=_("Phases of the workspace"),
        desc=_("The phases on a time line from the start to the end of the workspace."),
        today_label=_("today"),
        date_format=chart_date,
    )


@workspace_view(Perm.VIEW)
def home(request, workspace):
    user, today, now = request.user, timezone.localdate(), timezone.now()
    members = list(
        workspace.members.select_related("municipality", "contact_person")
        .only(*MEMBER_FIELDS)
        .order_by("left_on", "id")
    )
    baseline = _baseline(workspace, members)
    rows = [(m, baseline.get(m.municipality_id)) for m in members]
    phases, timeline_svg = _phases(workspace, today)
    current_phase = next((p for p in phases if p.starts_on <= today <= p.ends_on), None)
    activities = Activity.objects.filter(workspace=workspace, status__in=OPEN)
    late = list(
        activities.filter(due_on__lt=today)
        .select_related("responsible_member__municipality")
        .only("title", "due_on", *_named("responsible_member"))
        .order_by("due_on", "id")[:10]
    )
    next_activities = list(
        activities.filter(due_on__gte=today).only("title", "due_on").order_by("due_on", "id")[:5]
    )
    owed = list(
        # the workspace was read through the policy (workspace_view, Perm.VIEW)
        owed_by(user, [workspace.pk]).order_by("due_on", "id").only("pk", "title", "due_on")[:10]
    )
    meetings = list(_upcoming_meetings(user, [workspace.pk], now, with_host=True)[:3])
    # the members are in hand, and the home shows no attendance rates
    read = caching.home_figure_rows(
        workspace.pk,
        today,
        now,
        lambda: figure_rows([workspace.pk], today, now, attendance=False),
    )
    one = figures([workspace.pk], today, now, members=members, attendance=False, rows=read)
    one = one[workspace.pk]
    subcriteria = caching.subcriteria([(workspace.framework_id, workspace.area)])
    context = {
        "members": rows,
        "has_baseline": bool(baseline),
        "theme": area_name(workspace, subcriteria) if workspace.area else "",
        "phases": phases,
        "current_phase": current_phase,
        "timeline_svg": timeline_svg,
        "late": late,
        "next_activities": next_activities,
        "owed": owed,
        "meetings": meetings,
        "to_register": [m for m in meetings if not m.registered],
        "figures": one,
        "today": today,
        "plan_svg": plan_chart(one),
    }
    return render_workspace(request, "progress/workspace/home.html", workspace, "home", context)


@dataclass(frozen=True)
class MemberName:
    """A current member as "my networks" lists it: a plain value, not a model instance (a page
    lists up to twenty workspaces of a dozen members each)."""

    municipality_id: int | None
    name: str
    role: str

    def __str__(self):
        return self.name

    @property
    def role_label(self):
        return WorkspaceMember.Role(self.role).label


def _member_names(workspace_ids):
    """{workspace id: [MemberName]} of the current members, in one query."""
    names: dict[int, list[MemberName]] = {}
    fields = ("workspace_id", "municipality_id", "municipality__name", "foreign_name", "role")
    for workspace_id, municipality_id, name, foreign_name, role in (
        WorkspaceMember.objects.filter(workspace_id__in=workspace_ids, left_on__isnull=True)
        .order_by("workspace_id", "id")
        .values_list(*fields)
    ):
        member = MemberName(municipality_id, name or foreign_name, role)
        names.setdefault(workspace_id, []).append(member)
    return names


def _invitations_waiting(managed):
    """How many invitations of step 2 wait for an answer from the user's municipalities (one
    query)."""
    if not managed:
        return 0
    memberships = NetworkMembership.objects.filter(
        municipality_id__in=managed,
        status=Response.INVITED,
        network__confirmed_at__isnull=True,
    ).values_list("pk")
    partnerships = Partnership.objects.filter(
        Q(learner_id__in=managed, learner_status=Response.INVITED)
        | Q(mentor_id__in=managed, mentor_status=Response.INVITED),
        confirmed_at__isnull=True,
    ).values_list("pk")
    return memberships.union(partnerships, all=True).count()


@login_required
def mine(request):
    """Every network, partnership and twinning of the user's municipalities or that they run,
    with what they owe to each: their open and overdue activities, meetings to register for."""
    user, today, now = request.user, timezone.localdate(), timezone.now()
    workspaces = (
        workspaces_visible_to(user, Workspace.objects.select_related("organisation"))
        .only("kind", "title", "area", "framework", "starts_on", "organisation__name")
        .order_by("-starts_on", "title", "id")
    )
    page = counted_page(workspaces, MY_PAGE_SIZE, request.GET.get("page"))
    items = page.object_list
    ids = [w.pk for w in items]
    members = _member_names(ids)
    mine_ids = set(roles_of(user).municipal)
    owed, meetings = {}, {}
    for activity in (
        owed_by(user, ids).only("pk", "workspace_id", "title", "due_on").order_by("due_on", "id")
    ):
        owed.setdefault(activity.workspace_id, []).append(activity)
    for meeting in _upcoming_meetings(user, ids, now):
        meetings.setdefault(meeting.workspace_id, []).append(meeting)
    subcriteria = caching.subcriteria([(w.framework_id, w.area) for w in items])
    rows = []
    for w in items:
        theirs = owed.get(w.pk, [])
        upcoming = meetings.get(w.pk, [])
        listed = members.get(w.pk, [])
        rows.append(
            {
                "workspace": w,
                "theme": area_name(w, subcriteria) if w.area else "",
                # one string, not a template loop: a page lists a dozen names per workspace
                "members": ", ".join(script(m.name) for m in listed),
                "ours": [m for m in listed if m.municipality_id in mine_ids],
                "owed": theirs[:SHOWN_PER_WORKSPACE],
                "owed_count": len(theirs),
                "overdue_count": sum(1 for a in theirs if a.due_on < today),
                "next_meeting": upcoming[0] if upcoming else None,
                "to_register": [m for m in upcoming if not m.registered][:3],
            }
        )
    managed = managed_municipalities(user)
    # where the user may start a twinning (their municipalities' coordinator or management)
    twinning_from = [
        m
        for m in Municipality.objects.filter(pk__in=managed).only("code", "name").order_by("name")
        if may(user, Perm.CREATE_TWINNING, m)
    ]
    return render(
        request,
        "progress/mine.html",
        {
            "rows": rows,
            "page": page,
            "today": today,
            "twinning_from": twinning_from,
            "invitations_waiting": _invitations_waiting(managed),
        },
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
@require_http_methods(["GET", "POST"])
def settings(request, workspace):
    template = "progress/workspace/settings.html"
    if request.method == "POST":
        form = WorkspaceSettingsForm(request.POST, instance=workspace)
        if form.is_valid():
            try:
                workspace_edit.update_settings(
                    workspace, form.cleaned_data, form.cleaned_data["version"]
                )
            except EditConflict:
                fresh = Workspace.objects.select_related("organisation", "framework").get(
                    pk=workspace.pk
                )
                form = stale_form(
                    request, lambda data: WorkspaceSettingsForm(data, instance=fresh), fresh
                )
                return conflict_response(
                    request,
                    template,
                    {**page_flags(request, fresh, "home"), "form": form, "conflict": True},
                )
            messages.success(request, _("Saved."))
            return redirect("progress:home", pk=workspace.pk)
    else:
        form = WorkspaceSettingsForm(instance=workspace, initial={"version": workspace.version})
    return render_workspace(request, template, workspace, "home", {"form": form})


@workspace_view(Perm.MANAGE_WORKSPACE)
@require_http_methods(["GET", "POST"])
def members(request, workspace):
    rows = list(
        workspace.members.select_related("municipality", "contact_person").order_by("left_on", "id")
    )
    people = people_of_members(workspace)
    failed = None
    if request.method == "POST":
        form = ContactForm(request.POST, workspace=workspace, people=people)
        if form.is_valid():
            workspace_edit.set_contact(form.cleaned_data["member_obj"], form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect("progress:members", pk=workspace.pk)
        failed = form
    forms = []
    for member in rows:
        if failed is not None and failed.member is not None and failed.member.pk == member.pk:
            forms.append((member, failed))
            continue
        initial = {
            "member": member.pk,
            "contact_person": member.contact_person_id,
            "foreign_contact": member.foreign_contact,
        }
        forms.append(
            (
                member,
                ContactForm(workspace=workspace, people=people, member=member, initial=initial),
            )
        )
    if failed is not None and failed.member is None:
        messages.error(request, _("This municipality is not in this workspace."))
    return render_workspace(
        request,
        "progress/workspace/members.html",
        workspace,
        "home",
        {"forms": forms},
        status=400 if failed is not None else 200,
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
@require_http_methods(["GET", "POST"])
def phase_edit(request, workspace, phase=None):
    instance = get_object_or_404(Phase, workspace=workspace, pk=phase) if phase else None
    form = PhaseForm(request.POST or None, instance=instance, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        if instance is None:
            workspace_edit.create_phase(workspace, form.cleaned_data)
        else:
            workspace_edit.update_phase(instance, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("progress:phases", pk=workspace.pk)
    phases = workspace.phases.order_by("starts_on", "order", "id")
    return render_workspace(
        request,
        "progress/workspace/phases.html",
        workspace,
        "home",
        {"form": form, "phase": instance, "phases": phases},
        status=400 if form.is_bound and form.errors else 200,
    )


@workspace_view(Perm.MANAGE_WORKSPACE)
@require_POST
def phase_delete(request, workspace, phase):
    workspace_edit.delete_phase(get_object_or_404(Phase, workspace=workspace, pk=phase))
    messages.success(request, _("The phase is deleted."))
    return redirect("progress:phases", pk=workspace.pk)


@workspace_view(Perm.VIEW)
def history(request, workspace):
    entries = workspace_history(request.user, workspace).select_related("actor", "content_type")
    page = Paginator(entries.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    return render_workspace(
        request, "progress/workspace/history.html", workspace, "history", {"page": page}
    )


@login_required
@require_http_methods(["GET", "POST"])
def network_new(request):
    """A network made by hand, for who may open grouping rounds (a network coordinator): the
    organisations they coordinate, a framework area, members from the registry."""
    require(request.user, Perm.CREATE_NETWORK)
    organisations = organisations_coordinated_by(
        request.user, Organisation.objects.exclude(kind="platform")
    ).order_by("name")
    form = NewNetworkForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        workspace = workspace_edit.create_network(form.cleaned_data, request.user)
        messages.success(request, _("The network's workspace is open."))
        return redirect("progress:home", pk=workspace.pk)
    return render(
        request,
        "progress/workspace/network_new.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )
