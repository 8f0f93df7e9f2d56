"""The form of a new API token (account settings, /account/api-tokens/new/)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mreza.api.models import ApiToken
from mreza.api.private.services import MAX_LIFETIME_DAYS, MAX_TOKENS_PER_USER
from mreza.core.validators import guard_text_fields


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Ministry reporting”. Only you see it."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. The token works through that day; at most a year from today."),
    )
    read_only = forms.BooleanField(
        label=_("Read only"),
        required=False,
        initial=True,
        help_text=_("A read-only token may read your data but change nothing."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        guard_text_fields(self)

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        today = timezone.localdate()
        latest = today + datetime.timedelta(days=MAX_LIFETIME_DAYS - 1)
        if day < today:
            raise forms.ValidationError(_("The expiry date cannot be in the past."))
        if day > latest:
            raise forms.ValidationError(
                _("A token expires within a year: choose %(date)s or earlier.")
                % {"date": date_format(latest, "SHORT_DATE_FORMAT")}
            )
        return day

    def clean(self):
        data = super().clean()
        usable = ApiToken.objects.filter(user=self.user).usable().count()
        if usable >= MAX_TOKENS_PER_USER:
            raise forms.ValidationError(
                ngettext(
                    "You have %(count)d token in use, the most there may be. Revoke one you no "
                    "longer need first.",
                    "You have %(count)d tokens in use, the most there may be. Revoke one you no "
                    "longer need first.",
                    usable,
                )
                % {"count": usable}
            )
        return data
