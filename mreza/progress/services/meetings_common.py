"""Meetings, what every part of them shares: the refusal they raise and the people of a
workspace (who may register, be recorded as present, or own a decision's follow-up).

The parts are `meetings_scheduling`, `meetings_record` and `meetings_calendar`; callers import
them all through `meetings`.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from mreza.accounts.models import MunicipalRole, User
from mreza.progress.models import Workspace, WorkspaceMember


class MeetingRefused(ValidationError):
    """A rule of the meetings part refused the change (the message is translated); nothing saved."""


# ---------------------------------------------------------------- people of a workspace


@dataclass
class Person:
    user: User
    member: WorkspaceMember


def people_of(workspace: Workspace) -> list[Person]:
    """Every user of the workspace's (current) member municipalities, each with the first member
    they belong to, ordered by name (two queries)."""
    members = {
        m.municipality_id: m
        for m in workspace.members.filter(
            municipality__isnull=False, left_on__isnull=True
        ).select_related("municipality")
    }
    people: dict[int, Person] = {}
    roles = (
        MunicipalRole.objects.filter(municipality_id__in=list(members), user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email", "municipality_id")
    )
    for role in roles:
        people.setdefault(role.user_id, Person(role.user, members[role.municipality_id]))
    return list(people.values())


def member_of(workspace: Workspace, user) -> WorkspaceMember | None:
    """The (first current) member municipality of the workspace the user works for, or None."""
    if not user.is_authenticated:
        return None
    return (
        workspace.members.filter(
            left_on__isnull=True,
            municipality__isnull=False,
            municipality__roles__user=user,
        )
        .order_by("id")
        .first()
    )


def may_own(member: WorkspaceMember, user) -> bool:
    """Whether `user` may be the person responsible for a follow-up of `member`."""
    if user is None:
        return False
    if member.contact_person_id == user.pk:
        return True
    return member.municipality_id is not None and (
        MunicipalRole.objects.filter(municipality_id=member.municipality_id, user=user).exists()
    )
