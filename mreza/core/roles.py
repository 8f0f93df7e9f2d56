"""Role names: one vocabulary for the models that store roles and the access policy that reads them.

`accounts.models` uses these as the `choices` of `MunicipalRole.role` and `OrganisationRole.role`,
`assessment.models` as those of `GroupMember.role`; `core.access` decides with them. No other module
spells a role name as a string (`core/tests/test_layering.py` checks the views).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MunicipalRoleName(models.TextChoices):
    """What a person does for a municipality (accounts.MunicipalRole)."""

    COORDINATOR = "coordinator", _("municipal coordinator")
    ASSESSOR = "assessor", _("assessor")
    ORT_MEMBER = "ort_member", _("development team (ORT) member")
    TRAINING_CONTACT = "training_contact", _("training contact")
    STAFF = "staff", _("municipal staff")
    MANAGEMENT = "management", _("mayor or management")


class OrganisationRoleName(models.TextChoices):
    """What a person does for an association, field office or ministry
    (accounts.OrganisationRole)."""

    NETWORK_COORDINATOR = "network_coordinator", _("network coordinator")
    TRAINING_COMMISSION = "training_commission", _("training commission member")
    EXPERT = "expert", _("expert")
    PLATFORM_ADMIN = "platform_admin", _("platform administrator")


class GroupRoleName(models.TextChoices):
    """A person's part in one self-assessment group (assessment.GroupMember)."""

    LEADER = "leader", _("group leader")
    ADMINISTRATOR = "administrator", _("assessment administrator")
    ASSESSOR = "assessor", _("assessor")


# the municipal roles that act for the municipality as a whole
MANAGING_ROLES = frozenset({MunicipalRoleName.COORDINATOR, MunicipalRoleName.MANAGEMENT})
# the group roles that lead a self-assessment
LEADING_GROUP_ROLES = frozenset({GroupRoleName.LEADER, GroupRoleName.ADMINISTRATOR})
# roles that must sign in with a second factor
MFA_ROLES_MUNICIPAL = frozenset({MunicipalRoleName.COORDINATOR})
MFA_ROLES_ORGANISATION = frozenset(
    {OrganisationRoleName.NETWORK_COORDINATOR, OrganisationRoleName.PLATFORM_ADMIN}
)
