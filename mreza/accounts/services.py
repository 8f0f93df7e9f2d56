"""State changes of the accounts app that more than one view needs."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _


def send_invitation(request, invitation):
    """E-mail the invitation link to the invited person."""
    link = request.build_absolute_uri(reverse("accounts:accept", args=[invitation.token]))
    context = {"invitation": invitation, "link": link, "inviter": request.user}
    send_mail(
        _("You are invited to Mreža"),
        render_to_string("accounts/invitation_email.txt", context),
        None,
        [invitation.email],
    )
