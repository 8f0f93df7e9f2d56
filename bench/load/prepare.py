"""Django-side steps of the load benchmark: a grouping round with networks, signed-in sessions,
a survey with an open wave and its form tokens, and the URLs of the key pages. Prints one JSON
object. Run by bench/load/__main__.py with the same DATABASE_URL and SECRET_KEY as the server
(sessions and form tokens are signed with it). With --surveys-only: the survey pages alone."""

import json
import os
import sys
from collections import Counter

# form tokens written for the submit run: more than 50 connections submit in 60 s on a small
# machine; should they run out, the wrk script reuses them and the harness reports it
SURVEY_TOKENS = 150_000


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mreza.settings")
    import django

    django.setup()
    if "--surveys-only" in sys.argv[1:]:
        print(json.dumps(survey_pages()))
        return
    from django.test import Client

    from bench.load.inprocess import stub_broken_urlconfs

    # the round is made through the pages: an app half-written beside this (a shared tree)
    # must not stop it; the note goes to standard error, the JSON stays the last line
    stub_broken_urlconfs(sys.stderr)
    sessions = {}
    result = []
    for label, url, user, *optional in key_pages():
        cookie = ""
        if user is not None:
            if user.pk not in sessions:
                client = Client()
                client.force_login(user)
                sessions[user.pk] = client.cookies["sessionid"].value
            cookie = f"sessionid={sessions[user.pk]}"
        result.append({"label": label, "url": url, "cookie": cookie})
        if optional and optional[0]:
            result[-1]["optional"] = optional[0]
    print(json.dumps(result + survey_pages()))


def key_pages():
    """The key pages as (label, url, signed-in user or None[, why it may be missing]): the one
    list that both the load run and the in-process profile (bench/load/inprocess.py) measure.
    Makes the benchmark's grouping round with networks on the first call."""
    from mreza.accounts.models import User
    from mreza.assessment.models import Assessment

    people = {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="@mreza.demo")}
    round_ = bench_round(people)
    coordinator = next(
        people[login] for login in ("dana", "stefan", "ivan") if _allowed(people[login], round_)
    )
    network = round_.networks.order_by("id").first()
    assessment = (
        Assessment.objects.filter(municipality__code="BA-BANJA-LUKA").order_by("-id").first()
    )
    pages = [
        ("home", "/", None),
        ("directory", "/municipalities/", None),
        ("directory search", "/municipalities/?q=banja", None),
        ("profile", "/municipalities/BA-BANJA-LUKA/", None),
        ("map", "/municipalities/map/", None),
        ("dashboard (assessor)", "/dashboard/", people["bob"]),
        ("assessment overview", f"/assessments/{assessment.pk}/", people["alice"]),
        ("assessment report", f"/assessments/{assessment.pk}/report/", people["alice"]),
        ("round page", f"/networks/rounds/{round_.pk}/", coordinator),
        ("network page", f"/networks/{network.pk}/", coordinator),
    ]
    return pages + later_pages(network, coordinator)


def bench_round(people):
    """The grouping round "Load benchmark" with networks: made once by a network coordinator
    through the pages (engine run inline with MREZA_JOBS=sync, then published), then reused."""
    from django.test import Client

    from mreza.assessment.models import Framework
    from mreza.networks import services
    from mreza.networks.models import GroupingRound, Network
    from mreza.registry.models import Organisation

    caf = Framework.objects.get(code="caf2020")
    round_ = GroupingRound.objects.filter(title="Load benchmark").order_by("-id").first()
    if round_ is not None and Network.objects.filter(round=round_).exists():
        return round_
    for login, code in (("dana", "SOGRS"), ("stefan", "SKGO"), ("ivan", "NAMRB")):
        organisation = Organisation.objects.get(code=code)
        needs = Counter(
            area
            for profile in services.eligible_profiles(caf, {}, organisation)
            for area in profile.needs
        )
        if len(needs) < 2:
            continue
        client = Client()
        client.force_login(people[login])
        response = client.post(
            "/networks/rounds/new/",
            {
                "organisation": organisation.pk,
                "title": "Load benchmark",
                "framework": caf.pk,
                "areas": [area for area, _n in needs.most_common(4)],
                "min_size": 3,
                "max_size": 8,
                "distance_weight": "0.1",
                "max_networks_per_municipality": 1,
                "max_mentees_per_mentor": 2,
            },
            secure=True,
        )
        round_ = GroupingRound.objects.filter(title="Load benchmark").order_by("-id").first()
        if round_ and round_.status == "proposed":
            # networks exist once the coordinator publishes the proposal
            client.post(
                f"/networks/rounds/{round_.pk}/edit/",
                {"action": "publish", "version": round_.version, "without_coordinator_ok": "1"},
                secure=True,
            )
        if response.status_code == 302 and round_ and round_.networks.exists():
            return round_
        print(
            f"{code}: {response.status_code}, round {round_ and round_.status} "
            f"{round_ and round_.error}",
            file=sys.stderr,
        )
    sys.exit("could not create a grouping round with networks for the benchmark")


# The one list of the pages that later apps add: (label, url, signed-in user, why it may be
# missing).
# The harness skips such a page with a note (the last item) only while its URL answers 404.
def later_pages(network, coordinator):
    from django.apps import apps
    from django.db import DatabaseError, transaction

    from mreza.core.audit import acting_as

    workspace_id = 0  # no workspace yet: the page answers 404 and is skipped with the note
    step3 = "step 3 (mreza/progress) is not there yet"
    if apps.is_installed("mreza.progress"):
        from mreza.progress.services import workspaces

        try:
            with acting_as(None, "bench_load"), transaction.atomic():
                workspace_id = workspaces.workspace_for_network(network).pk
        except DatabaseError as error:  # its tables lag behind its models while it is being built
            step3 = f"no workspace could be opened for network {network.pk}: {error}"
    return [
        ("workspace page", f"/workspaces/{workspace_id}/", coordinator, step3),
        ("my networks", "/workspaces/", coordinator, step3),
        *step4_pages(),
        *step5_pages(),
    ]


def step4_pages():
    """A survey's results (the demo's Banja Luka survey with two answered waves, as the
    municipality's coordinator) and an evaluation report (the demo's published one, as its
    network's coordinator)."""
    from django.apps import apps

    from mreza.accounts.models import User

    pages = []
    step4 = "step 4 demo data (surveys, evaluation) is missing"
    if apps.is_installed("mreza.surveys"):
        from mreza.surveys.models import Survey

        survey = (
            Survey.objects.filter(
                municipality__code="BA-BANJA-LUKA",
                previous_version=None,
                waves__responses__isnull=False,
            )
            .order_by("id")
            .first()
        )
        alice = User.objects.get(email="alice@mreza.demo")
        pages.append(
            ("survey results", f"/surveys/{survey.pk if survey else 0}/results/", alice, step4)
        )
    if apps.is_installed("mreza.evaluation"):
        from mreza.evaluation.models import Evaluation

        evaluation = Evaluation.objects.filter(is_published=True).order_by("id").first()
        dana = User.objects.get(email="dana@mreza.demo")
        pages.append(
            (
                "evaluation report",
                f"/evaluations/{evaluation.pk if evaluation else 0}/report/",
                dana,
                step4,
            )
        )
    return pages


def step5_pages():
    """The practice library, events and the API's lists (skipped with a note if one answers 404)."""
    step5 = "step 5 (practices, events, API) is not there"
    return [
        ("practices", "/practices/", None, step5),
        ("practices search", "/practices/?q=upravljanje", None, step5),
        ("events", "/events/", None, step5),
        ("API municipalities", "/api/v1/municipalities?page_size=50", None, step5),
        ("API practices", "/api/v1/practices", None, step5),
        ("API practices search", "/api/v1/practices?q=otpad", None, step5),
        ("API events", "/api/v1/events", None, step5),
    ]


def survey_pages():
    """A satisfaction survey of Banja Luka with an open link wave (made once, then reused), the
    public answer page (GET: a first view, which hands out a device cookie) and its submit
    (POST), with a file of fresh form tokens: each submission is a new device."""
    from urllib.parse import quote

    from django.db import transaction

    from mreza.core.audit import acting_as
    from mreza.registry.models import Municipality
    from mreza.surveys.models import Survey, Wave
    from mreza.surveys.services import builder
    from mreza.surveys.services.responses import issue_form_token, new_device_id

    title = {"en": "Load benchmark survey", "sr": "Анкета за мјерење оптерећења"}
    survey = Survey.objects.filter(title__en=title["en"]).order_by("-id").first()
    with acting_as(None, "bench_load"), transaction.atomic():
        if survey is None:
            survey = builder.create_survey(
                Municipality.objects.get(code="BA-BANJA-LUKA"),
                None,
                template="satisfaction",
                languages=["sr", "bs", "en"],
                title=title,
            )
        wave = survey.waves.filter(status=Wave.Status.OPEN).first()
        if wave is None:
            wave = builder.add_wave(survey, name="Load benchmark")
            builder.open_wave(wave)
    path = os.path.join(os.environ["MREZA_VAR_DIR"], "survey-tokens.txt")
    with open(path, "w", encoding="ascii") as tokens:
        for _ in range(SURVEY_TOKENS):
            tokens.write(quote(issue_form_token(wave, new_device_id()), safe="") + "\n")
    url = f"/s/{survey.public_token}/"
    return [
        {"label": "survey answer page", "url": url, "cookie": "", "survey": True},
        {
            "label": "survey submit",
            "url": url,
            "cookie": "",
            "survey": True,
            "method": "POST",
            "tokens": path,
            "wave": wave.pk,
            # a valid response: the required item, a matrix row, a choice and a comment
            "answers": "q.overall=4&q.services.roads=3&q.trust=yes&q.comment=Bench",
        },
    ]


def _allowed(user, round_):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(f"/networks/rounds/{round_.pk}/", secure=True).status_code == 200


if __name__ == "__main__":
    main()
