from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from mreza.accounts.models import MunicipalRole, OrganisationRole, User


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles

    def clean_email(self):
        return self.cleaned_data["email"].lower()


def municipal_role_choices():
    return MunicipalRole.Role.choices


def organisation_role_choices(include_admin):
    return [
        c
        for c in OrganisationRole.Role.choices
        if include_admin or c[0] != OrganisationRole.Role.PLATFORM_ADMIN
    ]


class AcceptInvitationForm(forms.Form):
    """A new person sets their name and password when accepting."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]
