"""Municipalities and organisations: registry facts are public, people and history private."""

from typing import TYPE_CHECKING

from mreza.accounts.models import MunicipalRole
from mreza.core.access import events, practices
from mreza.core.access.base import Perm, coordinated_organisation_ids, roles_of
from mreza.core.roles import (
    MANAGING_ROLES,
    MunicipalRoleName,
    OrganisationRoleName,
)
from mreza.networks.models import (
    Participant,
)
from mreza.registry.models import Municipality, Organisation

if TYPE_CHECKING:
    pass


def _municipality_rule(user, perm, municipality):
    if perm == Perm.VIEW:
        return True
    if perm in practices.MUNICIPALITY_PERMS:
        return practices.municipality_rule(user, perm, municipality)
    roles = roles_of(user)
    if perm == Perm.INVITE_FIRST_COORDINATOR:
        return _may_invite_first_coordinator(roles, municipality)
    if roles.is_admin:
        return True
    if perm == Perm.VIEW_PEOPLE:
        return (
            roles.in_municipality(municipality.pk)
            or municipality.pk in roles.coordinated_municipality_ids
        )
    if perm in (Perm.CHANGE, Perm.MANAGE_PEOPLE, Perm.VIEW_HISTORY):
        return roles.in_municipality(municipality.pk, MunicipalRoleName.COORDINATOR)
    if perm in (Perm.CREATE_TWINNING, Perm.MANAGE_SURVEY):
        return roles.in_municipality(municipality.pk, *MANAGING_ROLES)
    return False


def _may_invite_first_coordinator(roles, municipality):
    """A network coordinator may invite the first coordinator of a municipality that has none, when
    it is a member of their organisation or takes part in one of its grouping rounds
    (administrators: any)."""
    if MunicipalRole.objects.filter(
        municipality_id=municipality.pk, role=MunicipalRoleName.COORDINATOR
    ).exists():
        return False
    if roles.is_admin:
        return True
    organisations = coordinated_organisation_ids(roles)
    if not organisations:
        return False
    if municipality.pk in roles.coordinated_municipality_ids:
        return True
    return Participant.objects.filter(
        round__organisation_id__in=organisations, municipality_id=municipality.pk
    ).exists()


def _organisation_rule(user, perm, organisation):
    if perm == Perm.VIEW:
        return True
    if perm in events.ORGANISATION_PERMS:
        return events.organisation_rule(user, perm, organisation)
    roles = roles_of(user)
    if perm == Perm.CREATE_ROUND:
        # the platform's own organisation coordinates no municipalities
        return organisation.kind != "platform" and (
            roles.is_admin
            or roles.in_organisation(organisation.pk, OrganisationRoleName.NETWORK_COORDINATOR)
        )
    if perm == Perm.GRANT_ADMIN:
        return roles.is_admin
    if roles.is_admin:
        return True
    if perm == Perm.VIEW_PEOPLE:
        return roles.in_organisation(organisation.pk)
    if perm == Perm.MANAGE_PEOPLE:
        return roles.in_organisation(organisation.pk, OrganisationRoleName.NETWORK_COORDINATOR)
    return False


RULES = {Municipality: _municipality_rule, Organisation: _organisation_rule}
