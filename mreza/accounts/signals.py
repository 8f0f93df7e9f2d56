"""Sign-in bookkeeping hooked to allauth's signals."""

from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.dispatch import receiver

from mreza.accounts.middleware import forget_totp


@receiver(authenticator_added, dispatch_uid="mreza-accounts-totp-activated")
def record_second_factor_on_activation(sender, request, user, authenticator, **kwargs):
    """Activating TOTP means the user just typed a valid code: count it as this session's
    second factor, so they are not asked for another code right away."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )


@receiver(authenticator_added, dispatch_uid="mreza-accounts-totp-forget-added")
@receiver(authenticator_removed, dispatch_uid="mreza-accounts-totp-forget-removed")
@receiver(authenticator_reset, dispatch_uid="mreza-accounts-totp-forget-reset")
def forget_cached_totp_answer(sender, request=None, **kwargs):
    """The middleware keeps "has TOTP" in the session; a change of authenticators asks again."""
    forget_totp(request)
