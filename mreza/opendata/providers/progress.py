"""Published workspaces (a network's, a partnership's or a twinning's plan and progress made
public), their members and their progress figures, as the public progress pages show them.

Which workspaces are published is the policy's: Perm.VIEW_PLAN for an anonymous visitor. The
figures are the progress page's own (`progress.views.progress.figures`, grouped queries for any
number of workspaces).
"""

from django.utils.translation import gettext_lazy as _

from mreza.core.access import anonymous_visitor as anonymous
from mreza.core.access import plans_visible_to
from mreza.opendata.providers.base import (
    DATE,
    INTEGER,
    NUMBER,
    STRING,
    WORKSPACE_ID,
    Dataset,
    Field,
)
from mreza.progress.models import Workspace, WorkspaceMember
from mreza.progress.views.progress import figures


def published_workspaces():
    """The workspaces anybody may read the plan and progress of (the policy's queryset), oldest
    first."""
    return list(
        plans_visible_to(anonymous(), Workspace.objects.all())
        .select_related("organisation", "framework")
        .order_by("id")
    )


def _ratio(share):
    return None if share is None else round(share, 4)


def _workspaces():
    for w in published_workspaces():
        yield (
            w.pk,
            w.kind,
            w.title,
            w.area,
            w.framework.code if w.framework_id else "",
            w.framework.version if w.framework_id else "",
            w.organisation.code if w.organisation_id else "",
            w.network_id,
            w.partnership_id,
            w.starts_on,
            w.ends_on,
        )


def _members_and_figures():
    workspaces = published_workspaces()
    ids = [w.pk for w in workspaces]
    members = list(
        WorkspaceMember.objects.filter(workspace_id__in=ids)
        .select_related("municipality")
        .order_by("workspace_id", "id")
    )
    return ids, members, figures(ids, members=members)


def _members():
    _ids, _members_list, found = _members_and_figures()
    for pk, one in found.items():
        for member, attended, rate in one.members:
            yield (
                pk,
                member.pk,
                member.municipality.code if member.municipality_id else "",
                "" if member.municipality_id else member.foreign_name,
                "" if member.municipality_id else member.foreign_country,
                member.role,
                member.joined_on,
                member.left_on,
                attended,
                _ratio(rate),
            )


def _progress():
    ids, _members_list, found = _members_and_figures()
    for pk in ids:
        one = found[pk]
        yield (
            pk,
            one.activities,
            one.done,
            _ratio(one.done_share),
            one.overdue,
            one.meetings_planned,
            one.meetings_due,
            one.meetings_held,
            _ratio(one.held_share),
            _ratio(one.indicator_share),
        )


def _indicators():
    ids, _members_list, found = _members_and_figures()
    for pk in ids:
        for figure in found[pk].indicators:
            indicator = figure.indicator
            yield (
                pk,
                indicator.pk,
                indicator.goal.title,
                indicator.name,
                indicator.unit,
                indicator.scope,
                indicator.direction,
                indicator.baseline,
                indicator.target,
                figure.latest,
                _ratio(figure.share),
            )


MEMBER_ID = _("Identifier of the member in its workspace")

WORKSPACES = Dataset(
    "workspaces",
    _("Published networks, partnerships and twinnings"),
    _(
        "The workspaces whose plan and progress are public: thematic networks, partnerships and "
        "twinnings."
    ),
    (
        Field("workspace_id", INTEGER, WORKSPACE_ID),
        Field("kind", STRING, _("network, partnership or twinning")),
        Field("title", STRING, _("Title")),
        Field("area", STRING, _("Subcriterion the network works on, if any")),
        Field("framework", STRING, _("Code of the framework of the area")),
        Field("framework_version", STRING, _("Version of the framework of the area")),
        Field("organisation", STRING, _("Code of the coordinating organisation, if any")),
        Field("network_id", INTEGER, _("Identifier of the network formed in a grouping round")),
        Field("partnership_id", INTEGER, _("Identifier of the partnership formed in a round")),
        Field("starts_on", DATE, _("Start date")),
        Field("ends_on", DATE, _("End date")),
    ),
    _workspaces,
)

WORKSPACE_MEMBERS = Dataset(
    "workspace_members",
    _("Members of the published workspaces"),
    _("The municipalities (and partners abroad) in each published workspace, with attendance."),
    (
        Field("workspace_id", INTEGER, WORKSPACE_ID),
        Field("member_id", INTEGER, MEMBER_ID),
        Field("municipality", STRING, _("Code of the municipality, empty for a partner abroad")),
        Field("partner_abroad", STRING, _("Name of a partner abroad not in the registry")),
        Field("partner_country", STRING, _("Country of a partner abroad")),
        Field("role", STRING, _("member, host, learner, mentor or partner")),
        Field("joined_on", DATE, _("Day the member joined")),
        Field("left_on", DATE, _("Day the member left, if it did")),
        Field("meetings_attended", INTEGER, _("Meetings held at which the member was present")),
        Field("attendance_rate", NUMBER, _("Share of the meetings held attended, 0 to 1")),
    ),
    _members,
)

WORKSPACE_PROGRESS = Dataset(
    "workspace_progress",
    _("Progress of the published workspaces"),
    _("The figures of each published workspace's progress page (cancelled items not counted)."),
    (
        Field("workspace_id", INTEGER, WORKSPACE_ID),
        Field("activities", INTEGER, _("Activities in the plan")),
        Field("activities_done", INTEGER, _("Activities done")),
        Field("share_done", NUMBER, _("Share of the activities done, 0 to 1")),
        Field("activities_overdue", INTEGER, _("Activities past their due date and not done")),
        Field("meetings_planned", INTEGER, _("Meetings planned")),
        Field("meetings_due", INTEGER, _("Meetings that should have taken place by now")),
        Field("meetings_held", INTEGER, _("Meetings held")),
        Field("share_held", NUMBER, _("Share of the meetings due that were held, 0 to 1")),
        Field(
            "indicators_toward_target",
            NUMBER,
            _("Mean way of the indicators from baseline to target, 0 to 1"),
        ),
    ),
    _progress,
)

WORKSPACE_INDICATORS = Dataset(
    "workspace_indicators",
    _("Indicators of the published workspaces"),
    _("Each goal's indicators with baseline, target and the newest measured value."),
    (
        Field("workspace_id", INTEGER, WORKSPACE_ID),
        Field("indicator_id", INTEGER, _("Identifier of the indicator")),
        Field("goal", STRING, _("Goal the indicator measures")),
        Field("name", STRING, _("Name of the indicator")),
        Field("unit", STRING, _("Unit")),
        Field("scope", STRING, _("network (one value) or member (each member measures)")),
        Field("direction", STRING, _("increase or decrease: which way is better")),
        Field("baseline", NUMBER, _("Baseline")),
        Field("target", NUMBER, _("Target")),
        Field("latest", NUMBER, _("Newest value (per member: the mean of their newest values)")),
        Field("share_toward_target", NUMBER, _("Way from baseline to target, 0 to 1")),
    ),
    _indicators,
)
