"""The partner field of a new twinning: a search in the registry instead of a list of every
municipality (10,000 at scale). With htmx the matches of what is typed appear under the field as
radio buttons; without, the typed code or exact name is resolved when the form is sent."""

from django import forms
from django.utils.translation import gettext

from mreza.registry.models import Municipality
from mreza.text import fold

PARTNERS_SHOWN = 20


def partner_search(municipality, text, picked=""):
    """What the partner field shows under it: up to PARTNERS_SHOWN current registry municipalities
    matching `text` (the registry's script- and diacritic-insensitive search on the folded key),
    the town itself left out, with the one `picked` kept among them."""
    searched = len(fold(text or "").replace(" ", "")) >= 2
    found = []
    if searched:
        found = list(
            Municipality.objects.current()
            .search(text)
            .exclude(pk=municipality.pk)
            .select_related("country")
            .order_by("name", "id")[: PARTNERS_SHOWN + 1]
        )
    more = len(found) > PARTNERS_SHOWN
    found = found[:PARTNERS_SHOWN]
    if picked and picked not in {m.code for m in found}:
        kept = Municipality.objects.current().exclude(pk=municipality.pk).filter(code=picked)
        found = [*kept.select_related("country"), *found][:PARTNERS_SHOWN]
    return {
        "query": (text or "").strip() if searched else "",
        "results": found,
        "more": more,
        "picked": picked,
    }


def resolve_partner(municipality, text, picked=""):
    """The registry municipality the form names: the one picked from the search results, else the
    one whose code or exact name (in either script, without diacritics) was typed. A
    ValidationError says why none is found, or that the name is ambiguous."""
    current = Municipality.objects.current()
    text = (text or "").strip()
    if picked:
        partner = current.filter(code=picked).first()
        if partner is None:
            raise forms.ValidationError(gettext("Choose a municipality from the list."))
    elif not text:
        return None
    else:
        partner = current.filter(code__iexact=text).first()
        if partner is None:
            wanted = fold(text)
            named = [m for m in current.search(text)[:50] if fold(m.name) == wanted]
            if not named:
                raise forms.ValidationError(
                    gettext(
                        "No municipality in the registry has this name or code. Choose one of "
                        "the municipalities found, or type its code."
                    )
                )
            if len(named) > 1:
                raise forms.ValidationError(
                    gettext(
                        "Several municipalities are called “%(name)s”: choose one of them, or "
                        "type its code (%(codes)s)."
                    )
                    % {"name": text, "codes": ", ".join(sorted(m.code for m in named))}
                )
            partner = named[0]
    if partner.pk == municipality.pk:
        raise forms.ValidationError(gettext("A municipality cannot be twinned with itself."))
    return partner
