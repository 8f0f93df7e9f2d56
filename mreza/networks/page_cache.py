"""The round page's two large parts — the proposal (inputs, quality, map, networks, people left out,
partnerships) and, once published, the answers — rendered once per change and kept in the cache.

A round of a few hundred municipalities is some fifteen hundred table rows; rendering them costs
hundreds of milliseconds, while they change only when the coordinator edits the proposal, the
engine runs again or a municipality answers. Each cache key carries what the part depends on:

- the round's own state (status, version, when the engine finished) and a per-round generation
  that a save or delete of the round, its networks, memberships or partnerships bumps (signals
  below: every change goes through `save()`/`create()`, and the round's status and version cover
  the conditional UPDATEs of services.py);
- generations for what other apps own that the parts show: municipality names
  (`registry.choices`), people's names and who is a municipality's coordinator;
- the reader's language (texts, number formats and the script of names).

The parts are the same for everyone who may see the round, except the CSRF token of their forms:
the cached HTML holds a placeholder that is replaced with the reader's token on every request.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from mreza.accounts.models import MunicipalRole, User
from mreza.networks.models import GroupingRound, Network, NetworkMembership, Partnership
from mreza.registry import choices

PREFIX = "mreza:networks:page"
PEOPLE, COORDINATORS = "people", "coordinators"
# Never a real token (those are letters and digits); replaced before the page is sent.
CSRF_PLACEHOLDER = "__mreza-csrf-token__"


def _timeout():
    backend = settings.CACHES["default"]["BACKEND"]
    # a safety net for writes that bypass the signals; the per-process memory cache also cannot
    # see another process's bumps
    return 300 if backend.endswith("LocMemCache") else 3600


def _round_scope(round_id):
    return f"round:{round_id}"


def _generation_key(scope):
    return f"{PREFIX}:generation:{scope}"


def generations(*scopes):
    """The current generation of each scope, in one cache round trip."""
    keys = [_generation_key(scope) for scope in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, 1, None)
            found[key] = cache.get(key) or 1
    return [found[key] for key in keys]


def _bump(scope):
    key = _generation_key(scope)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, None)


def changed(scope):
    """Invalidate now and again on commit (a page rendered meanwhile may have cached the old
    rows)."""
    _bump(scope)
    transaction.on_commit(lambda: _bump(scope))


def round_changed(round_id):
    if round_id is not None:
        changed(_round_scope(round_id))


def parts(request, round_, wanted):
    """The HTML of parts of the round page: `wanted` maps a part's name to (template, build);
    `build()` gives the template's context on a miss. One cache round trip for the
    generations and one for the parts when they are there."""
    round_generation, people, coordinators = generations(
        _round_scope(round_.pk), PEOPLE, COORDINATORS
    )
    common = ":".join(
        str(p)
        for p in (
            round_.pk,
            # a round id may come back after a rolled-back transaction (tests): its creation
            # time tells the rounds apart
            round_.created_at.timestamp(),
            round_.status,
            round_.version,
            round_.finished_at and round_.finished_at.timestamp(),
            round_generation,
            people,
            coordinators,
            choices.version(choices.MUNICIPALITIES),
            get_language(),
        )
    )
    keys = {name: f"{PREFIX}:{name}:{common}" for name in wanted}
    found = cache.get_many(list(keys.values()))
    token = get_token(request)
    html = {}
    for name, (template, build) in wanted.items():
        text = found.get(keys[name])
        if text is None:
            context = build()
            context["csrf_token"] = CSRF_PLACEHOLDER
            text = render_to_string(template, context)
            cache.set(keys[name], text, _timeout())
        # our own templates' output; only the placeholder is replaced
        html[name] = mark_safe(text.replace(CSRF_PLACEHOLDER, token))  # noqa: S308
    return html


def _on_round(sender, instance, **kwargs):
    round_changed(instance.pk)
    round_changed(instance.based_on_id)  # its page lists the rounds started from it


def _on_round_part(sender, instance, **kwargs):
    round_changed(instance.round_id)


def _on_membership(sender, instance, **kwargs):
    round_id = Network.objects.filter(pk=instance.network_id).values_list("round_id", flat=True)
    round_changed(next(iter(round_id), None))


def _on_user(sender, instance, update_fields=None, **kwargs):
    # signing in saves last_login only: no name shown on a round page changes
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    changed(PEOPLE)


def _on_role(sender, **kwargs):
    changed(COORDINATORS)


def connect_signals():
    handlers: list[tuple[type[Model], Callable[..., None]]] = [
        (GroupingRound, _on_round),
        (Network, _on_round_part),
        (Partnership, _on_round_part),
        (NetworkMembership, _on_membership),
        (User, _on_user),
        (MunicipalRole, _on_role),
    ]
    for model, handler in handlers:
        name = model.__name__
        post_save.connect(handler, sender=model, dispatch_uid=f"networks-page-{name}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"networks-page-del-{name}")
