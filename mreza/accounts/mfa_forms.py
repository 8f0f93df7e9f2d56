"""allauth's second-factor forms with a label of their own.

allauth labels the field (or its placeholder) "Code", a msgid Mreža already uses for subcriterion
and municipality codes (translated "Šifra"); a one-time code from an authenticator app needs its
own words. Wired in settings.MFA_FORMS.
"""

from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django.utils.translation import pgettext_lazy

CODE_LABEL = pgettext_lazy("one-time code", "Code")


class _OneTimeCodeLabel:
    relabel = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        if self.relabel:
            field.label = CODE_LABEL
        field.widget.attrs["placeholder"] = CODE_LABEL


class MFAAuthenticateForm(_OneTimeCodeLabel, AuthenticateForm):
    pass


class MFAReauthenticateForm(_OneTimeCodeLabel, ReauthenticateForm):
    pass


class MFAActivateTOTPForm(_OneTimeCodeLabel, ActivateTOTPForm):
    relabel = False  # keeps allauth's "Authenticator code" label; only the placeholder changes
