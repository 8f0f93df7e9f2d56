"""Who may do what: one table per object type, persona × Perm → allowed (Y) or not (-).

Each cell is checked twice: `may()` in the policy (the mreza/core/access package) and, where a page
decides it, the HTTP status that persona gets at a representative URL for that Perm — a page (200)
or a redirect after the action (302) when allowed; when refused, 403 if they may see the object but
not act on it, 404 if they may not even see it, and a redirect to the sign-in page for anonymous
visitors.

Adding an app (or a new kind of object) means: add its Perms to `Perm`, add its rule to the policy,
make its views call `get_or_deny` / `require` / `may`, and add a table here with a row per persona
and a URL per Perm. A Perm without a URL is decided by no page (a flag in a template, or the audit
trail); say so in URLS with None.

Personas (root conftest.py, plus two added here):
  alice    coordinator of municipality A, administrator of A's self-assessment group
  bob      assessor in A, member of the group (has submitted his scores)
  charlie  staff of municipality B
  dana     network coordinator of the association A belongs to (runs the grouping round)
  mara     management of A (accepts reports; not in the group)
  nada     coordinator of municipality B (the mentor in the round's partnership)
  erin     expert of the association (validates good practices; a row only in the tables of
           step 5, where she differs from the others — elsewhere she is like charlie's outsider)
  admin    platform administrator
  anonymous
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mreza.core.access import Perm, may
from mreza.core.tests import permission_tables_events as events_tables
from mreza.core.tests import permission_tables_practices as practices_tables
from mreza.core.tests import permission_tables_step4 as step4

PERSONAS = ("alice", "bob", "charlie", "dana", "mara", "nada", "erin", "admin", "anonymous")
# erin has a row only in the tables that need her (the experts of step 5)
OPTIONAL_PERSONAS = {"erin"}


def table(text):
    """The cells of a table written as text: a header of Perm values, then one row per persona."""
    lines = [line.split() for line in text.strip().splitlines()]
    perms = [Perm(value) for value in lines[0]]
    cells = []
    for persona, *marks in lines[1:]:
        assert persona in PERSONAS and len(marks) == len(perms), persona
        assert set(marks) <= {"Y", "-"}, persona
        cells += [(persona, perm, mark == "Y") for perm, mark in zip(perms, marks, strict=True)]
    rows = {p for p, _perm, _m in cells}
    assert rows >= set(PERSONAS) - OPTIONAL_PERSONAS, "every persona has a row"
    return cells


# ------------------------------------------------------------------------------------ the tables

MUNICIPALITY = """
      view view_people change manage_people view_history invite_first_coordinator create_twinning
alice        Y      Y        Y        Y            Y                  -                     Y
bob          Y      Y        -        -            -                  -                     -
charlie      Y      -        -        -            -                  -                     -
dana         Y      Y        -        -            -                  -                     -
mara         Y      Y        -        -            -                  -                     Y
nada         Y      -        -        -            -                  -                     -
admin        Y      Y        Y        Y            Y                  -                     Y
anonymous    Y      -        -        -            -                  -                     -
"""

# municipality B has a coordinator (nada) too; a municipality without one is in the last table
ORGANISATION = """
            view  view_people  manage_people  create_round  grant_admin
alice        Y        -            -              -             -
bob          Y        -            -              -             -
charlie      Y        -            -              -             -
dana         Y        Y            Y              Y             -
mara         Y        -            -              -             -
nada         Y        -            -              -             -
admin        Y        Y            Y              Y             Y
anonymous    Y        -            -              -             -
"""

PLATFORM = """
            create_round  administer  create_network
alice           -             -             -
bob             -             -             -
charlie         -             -             -
dana            Y             -             Y
mara            -             -             -
nada            -             -             -
admin           Y             Y             Y
anonymous       -             -             -
"""

# A's assessment in scoring; bob has submitted his scores, alice has not
ASSESSMENT = """
            view  assess  score  edit_scores  manage  accept  edit_plan  edit_profile
alice        Y      Y      Y         Y          Y       -        Y          Y
bob          Y      Y      Y         -          -       -        -          -
charlie      -      -      -         -          -       -        -          -
dana         -      -      -         -          -       -        -          -
mara         Y      -      -         -          -       Y        Y          Y
nada         -      -      -         -          -       -        -          -
admin        Y      -      -         -          Y       Y        Y          Y
anonymous    -      -      -         -          -       -        -          -
"""

# bob's (submitted) score with an evidence file: his, and the group's leaders'
ENTRY = """
            view
alice        Y
bob          Y
charlie      -
dana         -
mara         -
nada         -
admin        Y
anonymous    -
"""

EVIDENCE = """
            view  download_evidence
alice        Y          Y
bob          Y          Y
charlie      -          -
dana         -          -
mara         -          -
nada         -          -
admin        Y          Y
anonymous    -          -
"""

# A's learning profile, shared with the coordinators of A's organisations
PROFILE = """
            view  edit_profile
alice        Y        Y
bob          Y        -
charlie      -        -
dana         Y        -
mara         Y        Y
nada         -        -
admin        Y        Y
anonymous    -        -
"""

# dana's association's round, published: a network with A, and a partnership A (learner) ← B
# (mentor)
ROUND = """
            view  edit_round  publish_round
alice        -        -            -
bob          -        -            -
charlie      -        -            -
dana         Y        Y            Y
mara         -        -            -
nada         -        -            -
admin        Y        Y            Y
anonymous    -        -            -
"""

NETWORK = """
            view  confirm  invite_to_network  change
alice        Y       -            -             -
bob          Y       -            -             -
charlie      -       -            -             -
dana         Y       Y            Y             Y
mara         Y       -            -             -
nada         -       -            -             -
admin        Y       Y            Y             Y
anonymous    -       -            -             -
"""

MEMBERSHIP = """
            view  answer
alice        Y      Y
bob          Y      -
charlie      -      -
dana         -      -
mara         Y      Y
nada         -      -
admin        Y      -
anonymous    -      -
"""

PARTNERSHIP = """
            view  answer_as_learner  answer_as_mentor  confirm
alice        Y           Y                  -             -
bob          Y           -                  -             -
charlie      Y           -                  -             -
dana         Y           -                  -             Y
mara         Y           Y                  -             -
nada         Y           -                  Y             -
admin        Y           -                  -             Y
anonymous    -           -                  -             -
"""

# the workspace of a confirmed network of A and C, run by dana's association (step 3)
WORKSPACE = """
            view  view_plan  manage_workspace  contribute
alice        Y       Y             -               Y
bob          Y       Y             -               Y
charlie      -       -             -               -
dana         Y       Y             Y               Y
mara         Y       Y             -               Y
nada         -       -             -               -
admin        Y       Y             Y               Y
anonymous    -       -             -               -
"""

# the same kind of workspace after the network published its plan and progress
PUBLISHED_WORKSPACE = """
            view  view_plan
alice        Y       Y
bob          Y       Y
charlie      -       Y
dana         Y       Y
mara         Y       Y
nada         -       Y
admin        Y       Y
anonymous    -       Y
"""

# a twinning of A with a town abroad: no organisation, run by A's coordinator and management
TWINNING = """
            view  view_plan  manage_workspace  contribute
alice        Y       Y             Y               Y
bob          Y       Y             -               Y
charlie      -       -             -               -
dana         -       -             -               -
mara         Y       Y             Y               Y
nada         -       -             -               -
admin        Y       Y             Y               Y
anonymous    -       -             -               -
"""

AUDIT_ENTRY = """
            view
alice        Y
bob          -
charlie      -
dana         -
mara         -
nada         -
admin        Y
anonymous    -
"""

# A municipality C without a coordinator, taking part in dana's round: dana may invite its first one
MUNICIPALITY_WITHOUT_COORDINATOR = """
            invite_first_coordinator
alice             -
bob               -
charlie           -
dana              Y
mara              -
nada              -
admin             Y
anonymous         -
"""

# alice's own API token: hers alone to see and revoke (administrators included: never another's)
API_TOKEN = """
            view  manage_tokens
alice        Y         Y
bob          -         -
charlie      -         -
dana         -         -
mara         -         -
nada         -         -
admin        -         -
anonymous    -         -
"""


# ------------------------------------------------------------------------------------ the world


@pytest.fixture
def w(world, caf, settings, tmp_path):
    from mreza.accounts.models import MunicipalRole, OrganisationRole, User
    from mreza.api.private.services import issue_token
    from mreza.assessment import services
    from mreza.assessment.models import EvidenceFile, LearningProfile, Subcriterion
    from mreza.core.models import AuditEntry
    from mreza.core.roles import OrganisationRoleName
    from mreza.networks.models import (
        GroupingRound,
        Network,
        NetworkMembership,
        Participant,
        Partnership,
    )

    settings.MEDIA_ROOT = tmp_path / "media"
    world.mara = User.objects.create_user("mara@example.org", "test-password-123", full_name="M")
    MunicipalRole.objects.create(user=world.mara, municipality=world.a, role="management")
    world.nada = User.objects.create_user("nada@example.org", "test-password-123", full_name="N")
    MunicipalRole.objects.create(user=world.nada, municipality=world.b, role="coordinator")
    world.erin = User.objects.create_user("erin@example.org", "test-password-123", full_name="E")
    OrganisationRole.objects.create(
        user=world.erin, organisation=world.association, role=OrganisationRoleName.EXPERT
    )
    world.anonymous = AnonymousUser()

    world.assessment = services.start_assessment(
        municipality=world.a,
        framework=caf,
        method="classic",
        title="CAF 2025",
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        user=world.alice,
    )
    services.add_member(world.assessment, world.bob, "assessor")
    world.subcriterion = Subcriterion.objects.filter(framework=caf).order_by("position").first()
    world.entry = services.save_entry(
        world.assessment, world.bob, world.subcriterion, {"score": 50, "strengths": "Minutes"}
    )
    world.evidence = EvidenceFile.objects.create(
        entry=world.entry, file=ContentFile(b"hello\n", name="note.txt"), name="note.txt"
    )
    # bob has submitted (the state services.submit leaves; scoring every subcriterion is not the
    # point)
    world.assessment.members.filter(user=world.bob).update(submitted_at=timezone.now())
    world.profile = LearningProfile.objects.create(
        assessment=world.assessment, municipality=world.a, sharing="coordinators"
    )

    world.c = world.municipality("T-C", "Mjesto C")
    world.round = GroupingRound.objects.create(
        organisation=world.association,
        framework=caf,
        title="Networks 2025",
        areas=["6.1"],
        params={"min_size": 2, "max_size": 8, "max_networks_per_municipality": 1},
        status=GroupingRound.Status.PUBLISHED,
        proposal={"networks": [], "partnerships": []},
        created_by=world.dana,
    )
    for m in (world.a, world.b, world.c):
        Participant.objects.create(round=world.round, municipality=m, latitude=44.5, longitude=18.0)
    world.network = Network.objects.create(
        round=world.round, area="6.1", host=world.a, title="6.1 in Banja Luka"
    )
    world.membership = NetworkMembership.objects.create(network=world.network, municipality=world.a)
    world.partnership = Partnership.objects.create(
        round=world.round, area="3.2", learner=world.a, mentor=world.b
    )
    world.workspace, world.published, world.twinning = _workspaces(world)
    world.audit_entry = AuditEntry.objects.get(
        content_type__model="learningprofile", object_id=str(world.profile.pk), action="create"
    )
    world.api_token = issue_token(world.alice, "Alice's", read_only=True, expires_on=None)[0]
    step4.build(world)
    practices_tables.build(world)
    events_tables.build(world)
    return world


def _workspaces(world):
    """A confirmed network of A and C (its workspace opens on confirmation), a published one, and a
    twinning of A with a town abroad."""
    from mreza.networks.models import Network, NetworkMembership, Response
    from mreza.networks.services import confirm
    from mreza.progress.models import Workspace, WorkspaceMember

    opened = []
    for title in ("Workspace of A and C", "Published workspace"):
        network = Network.objects.create(round=world.round, area="6.1", host=world.a, title=title)
        for m in (world.a, world.c):
            NetworkMembership.objects.create(
                network=network, municipality=m, status=Response.ACCEPTED
            )
        confirm(network, world.dana)
        opened.append(Workspace.objects.get(network=network))
    opened[1].is_published = True
    opened[1].save(update_fields=["is_published"])
    twinning = Workspace.objects.create(kind="twinning", title="Banja Luka – Kranj")
    WorkspaceMember.objects.create(workspace=twinning, municipality=world.a, role="partner")
    WorkspaceMember.objects.create(
        workspace=twinning, foreign_name="Kranj", foreign_country="Slovenia", role="partner"
    )
    return opened[0], opened[1], twinning


OBJECTS = {
    "MUNICIPALITY": lambda w: w.a,
    "ORGANISATION": lambda w: w.association,
    "PLATFORM": lambda w: None,
    "ASSESSMENT": lambda w: w.assessment,
    "ENTRY": lambda w: w.entry,
    "EVIDENCE": lambda w: w.evidence,
    "PROFILE": lambda w: w.profile,
    "ROUND": lambda w: w.round,
    "NETWORK": lambda w: w.network,
    "MEMBERSHIP": lambda w: w.membership,
    "PARTNERSHIP": lambda w: w.partnership,
    "AUDIT_ENTRY": lambda w: w.audit_entry,
    "MUNICIPALITY_WITHOUT_COORDINATOR": lambda w: w.c,
    "WORKSPACE": lambda w: w.workspace,
    "PUBLISHED_WORKSPACE": lambda w: w.published,
    "TWINNING": lambda w: w.twinning,
    "API_TOKEN": lambda w: w.api_token,
}

TABLES = {name: globals()[name] for name in OBJECTS}
OBJECTS |= step4.OBJECTS | practices_tables.OBJECTS | events_tables.OBJECTS
TABLES |= step4.TABLES | practices_tables.TABLES | events_tables.TABLES

# (method, url, data) per table and Perm; None: no page decides this Perm by itself
URLS = {
    "MUNICIPALITY": {
        Perm.VIEW: ("get", "/municipalities/{w.a.code}/", None),
        Perm.VIEW_PEOPLE: ("get", "/municipalities/{w.a.code}/people/", None),
        Perm.CHANGE: ("get", "/municipalities/{w.a.code}/edit/", None),
        Perm.MANAGE_PEOPLE: ("get", "/municipalities/{w.a.code}/people/invite/", None),
        Perm.VIEW_HISTORY: ("get", "/municipalities/{w.a.code}/history/", None),
        Perm.INVITE_FIRST_COORDINATOR: ("get", "/networks/coordinators/{w.a.code}/invite/", None),
        Perm.CREATE_TWINNING: ("get", "/workspaces/twinnings/new/{w.a.code}/", None),
    },
    "ORGANISATION": {
        Perm.VIEW: None,  # organisations have no public page; their people are behind VIEW_PEOPLE
        Perm.VIEW_PEOPLE: ("get", "/organisations/{w.association.code}/", None),
        Perm.MANAGE_PEOPLE: ("get", "/organisations/{w.association.code}/invite/", None),
        Perm.CREATE_ROUND: None,  # the organisations offered in "new round" (PLATFORM table)
        Perm.GRANT_ADMIN: None,  # the administrator role offered in the invitation form
    },
    "PLATFORM": {
        Perm.CREATE_ROUND: ("get", "/networks/rounds/new/", None),
        Perm.ADMINISTER: ("get", "/municipalities/data-quality/", None),
        Perm.CREATE_NETWORK: ("get", "/workspaces/new/", None),
    },
    "ASSESSMENT": {
        Perm.VIEW: ("get", "/assessments/{w.assessment.pk}/", None),
        Perm.ASSESS: ("get", "/assessments/{w.assessment.pk}/score/", None),
        Perm.SCORE: ("get", "/assessments/{w.assessment.pk}/workbook.xlsx", None),
        Perm.EDIT_SCORES: (
            "post",
            "/assessments/{w.assessment.pk}/score/{w.subcriterion.code}/",
            {"score": "60", "version": "0"},
        ),
        Perm.MANAGE: ("get", "/assessments/{w.assessment.pk}/group/", None),
        Perm.ACCEPT: ("post", "/assessments/{w.assessment.pk}/do/accept/", {}),
        Perm.EDIT_PLAN: ("get", "/assessments/{w.assessment.pk}/plan/new/", None),
        Perm.EDIT_PROFILE: ("get", "/assessments/{w.assessment.pk}/profile/", None),
    },
    "ENTRY": {Perm.VIEW: None},  # shown on the consensus pages, through entries_visible_to
    "EVIDENCE": {
        Perm.VIEW: None,
        Perm.DOWNLOAD_EVIDENCE: (
            "get",
            "/assessments/{w.assessment.pk}/evidence/{w.evidence.pk}/",
            None,
        ),
    },
    "PROFILE": {
        Perm.VIEW: ("get", "/assessments/profiles/{w.profile.pk}/", None),
        Perm.EDIT_PROFILE: None,  # a flag on the profile page; editing is the assessment's
    },
    "ROUND": {
        Perm.VIEW: ("get", "/networks/rounds/{w.round.pk}/", None),
        Perm.EDIT_ROUND: ("post", "/networks/rounds/{w.round.pk}/edit/", {"action": "lock"}),
        Perm.PUBLISH_ROUND: ("post", "/networks/rounds/{w.round.pk}/edit/", {"action": "publish"}),
    },
    "NETWORK": {
        Perm.VIEW: ("get", "/networks/{w.network.pk}/", None),
        Perm.CONFIRM: ("post", "/networks/{w.network.pk}/change/", {"action": "confirm"}),
        Perm.INVITE_TO_NETWORK: (
            "post",
            "/networks/{w.network.pk}/change/",
            {"action": "invite", "municipality": "{w.c.pk}"},
        ),
        Perm.CHANGE: ("post", "/networks/{w.network.pk}/change/", {"action": "other"}),
    },
    "MEMBERSHIP": {
        Perm.VIEW: None,  # listed on "my invitations"
        Perm.ANSWER: (
            "post",
            "/networks/answer/network/{w.membership.pk}/",
            {"answer": "accept"},
        ),
    },
    "PARTNERSHIP": {
        Perm.VIEW: None,
        Perm.ANSWER_AS_LEARNER: (
            "post",
            "/networks/answer/partnership/{w.partnership.pk}/",
            {"answer": "accept", "side": "learner"},
        ),
        Perm.ANSWER_AS_MENTOR: (
            "post",
            "/networks/answer/partnership/{w.partnership.pk}/",
            {"answer": "accept", "side": "mentor"},
        ),
        Perm.CONFIRM: (
            "post",
            "/networks/rounds/{w.round.pk}/partnerships/{w.partnership.pk}/confirm/",
            {},
        ),
    },
    "AUDIT_ENTRY": {Perm.VIEW: None},  # the history page lists entries via audit_entries_visible_to
    "MUNICIPALITY_WITHOUT_COORDINATOR": {
        Perm.INVITE_FIRST_COORDINATOR: ("get", "/networks/coordinators/{w.c.code}/invite/", None),
    },
    "WORKSPACE": {
        Perm.VIEW: ("get", "/workspaces/{w.workspace.pk}/", None),
        Perm.VIEW_PLAN: ("get", "/workspaces/{w.workspace.pk}/plan/", None),
        Perm.MANAGE_WORKSPACE: ("get", "/workspaces/{w.workspace.pk}/goals/new/", None),
        Perm.CONTRIBUTE: ("get", "/workspaces/{w.workspace.pk}/plan/new/", None),
    },
    "PUBLISHED_WORKSPACE": {
        Perm.VIEW: ("get", "/workspaces/{w.published.pk}/", None),
        Perm.VIEW_PLAN: ("get", "/workspaces/{w.published.pk}/progress/", None),
    },
    "TWINNING": {
        Perm.VIEW: ("get", "/workspaces/{w.twinning.pk}/", None),
        Perm.VIEW_PLAN: ("get", "/workspaces/{w.twinning.pk}/plan/", None),
        Perm.MANAGE_WORKSPACE: ("get", "/workspaces/{w.twinning.pk}/twinning/edit/", None),
        Perm.CONTRIBUTE: ("get", "/workspaces/{w.twinning.pk}/exchanges/new/", None),
    },
}

URLS["API_TOKEN"] = {
    Perm.VIEW: None,  # listed on the owner's token page through tokens_visible_to
    Perm.MANAGE_TOKENS: ("get", "/account/api-tokens/{w.api_token.pk}/revoke/", None),
}
URLS |= step4.URLS | practices_tables.URLS | events_tables.URLS

CELLS = [(name, *cell) for name, text in TABLES.items() for cell in table(text)]


def test_every_table_has_a_url_entry_for_each_of_its_perms():
    for name, text in TABLES.items():
        perms = {perm for _persona, perm, _allowed in table(text)}
        assert set(URLS[name]) == perms, name


def test_every_perm_is_in_some_table():
    used = {perm for _name, _persona, perm, _allowed in CELLS}
    assert used == set(Perm)


def _status(client, user, method, url, data):
    """The status of one request, with whatever it changed rolled back (the next cell starts
    clean)."""
    if user.is_authenticated:
        client.force_login(user)
    with transaction.atomic():
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    return response


def _page_says(w, client, name, persona, perm, allowed):
    """What the representative page answers this persona, or None when it agrees with the table."""
    request = URLS[name][perm]
    if request is None:
        return None
    user, obj = getattr(w, persona), OBJECTS[name](w)
    method, url, data = request
    data = {k: v.format(w=w) for k, v in (data or {}).items()}
    response = _status(client, user, method, url.format(w=w), data)
    status, location = response.status_code, response.get("Location", "")
    to_login = status == 302 and "/accounts/login/" in location
    if allowed:
        ok = status in (200, 302) and not to_login
    elif not user.is_authenticated:
        ok = to_login
    elif obj is None or may(user, Perm.VIEW, obj):
        ok = status == 403  # may see it, may not do this
    else:
        ok = status == 404  # may not even know it exists
    return None if ok else f"{method.upper()} {url} gave {status} {location}".strip()


ROWS = sorted({(name, persona) for name, persona, _perm, _allowed in CELLS}, key=str)


@pytest.mark.parametrize(
    ("name", "persona"), ROWS, ids=[f"{name.lower()}-{persona}" for name, persona in ROWS]
)
def test_the_policy_and_the_pages_agree_with_the_table_row(w, client, name, persona):
    """One table row: every Perm of the persona, in the policy and on its page (all cells
    reported)."""
    wrong = []
    for _name, _persona, perm, allowed in (c for c in CELLS if c[:2] == (name, persona)):
        if may(getattr(w, persona), perm, OBJECTS[name](w)) is not allowed:
            wrong.append(f"{perm}: may() is not {allowed}")
        page = _page_says(w, client, name, persona, perm, allowed)
        if page:
            wrong.append(f"{perm}: expected {'allowed' if allowed else 'refused'}, {page}")
    assert wrong == [], f"{name} × {persona}"


# words by which a view would decide a permission itself instead of asking the policy
SELF_DECIDING = (
    "PermissionDenied",
    "is_superuser",
    "is_staff",
    ".is_admin",
    "in_municipality(",
    "in_organisation(",
    "group_role(",
    "may_answer(",
)


def test_no_view_decides_a_permission_itself():
    from pathlib import Path

    import mreza

    root = Path(mreza.__file__).parent
    views = [*root.glob("*/*views.py"), *root.glob("*/views/*.py")]  # views.py, people_views.py…
    assert len(views) > 5
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in views
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if any(word in line for word in SELF_DECIDING)
    ]
    assert found == [], "decide through core.access (get_or_deny, require, may)"


def test_an_administrator_in_the_group_scores_only_while_scoring_is_open(w):
    """Administrators are no special scorers: in the group, they score like any member (was:
    always)."""
    from mreza.assessment import services

    services.add_member(w.assessment, w.admin, "assessor")
    w.assessment.__dict__.pop("_group_roles", None)
    assert may(w.admin, Perm.SCORE, w.assessment) and may(w.admin, Perm.EDIT_SCORES, w.assessment)
    w.assessment.status = "consensus"
    assert not may(w.admin, Perm.SCORE, w.assessment)
    assert not may(w.admin, Perm.EDIT_SCORES, w.assessment)
    assert may(w.admin, Perm.ASSESS, w.assessment)  # their own scores stay readable
