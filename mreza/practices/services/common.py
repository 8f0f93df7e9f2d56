"""What the practice services share: their error, who is told about a step, and the mail."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from mreza.accounts.models import MunicipalRole, OrganisationRole
from mreza.core.roles import MANAGING_ROLES, OrganisationRoleName
from mreza.registry.models import Membership


class PracticeError(Exception):
    """A step that cannot be taken now (a translated sentence for the user)."""


def detail_path(practice) -> str:
    """The practice's page (the public portal's), or its history page while that is missing."""
    try:
        return reverse("practices:detail", args=[practice.pk])
    except NoReverseMatch:
        return reverse("practices:history", args=[practice.pk])


def link(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def _organisation_people(municipality_id, role):
    organisations = Membership.objects.filter(municipality_id=municipality_id).values(
        "organisation_id"
    )
    return [
        r.user
        for r in OrganisationRole.objects.filter(
            organisation_id__in=organisations, role=role
        ).select_related("user")
    ]


def reviewers(practice):
    """The network coordinators of the organisations the municipality is a member of."""
    return _organisation_people(practice.municipality_id, OrganisationRoleName.NETWORK_COORDINATOR)


def experts(practice):
    return _organisation_people(practice.municipality_id, OrganisationRoleName.EXPERT)


def managers(municipality_id):
    """The municipality's coordinators and management."""
    return [
        r.user
        for r in MunicipalRole.objects.filter(
            municipality_id=municipality_id, role__in=list(MANAGING_ROLES)
        ).select_related("user")
    ]


def authors(practice):
    """Who wrote it and who answers for the municipality."""
    people = managers(practice.municipality_id)
    if practice.created_by_id:
        people.append(practice.created_by)
    return people


def notify(users, subject, body, values, *, exclude=None):
    """One mail per person (once each, active, with an address), in that person's language:
    `subject` and `body` are callables returning the translated text with %(name)s places filled
    from `values`."""
    seen = set()
    for user in users:
        if user is None or not user.is_active or not user.email or user.pk in seen:
            continue
        seen.add(user.pk)
        if exclude is not None and user.pk == exclude.pk:
            continue
        with translation.override(getattr(user, "language", "") or settings.LANGUAGE_CODE):
            send_mail(subject() % values, body() % values, None, [user.email])
