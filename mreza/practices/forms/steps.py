"""The small forms of the way to publication and of transfers."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mreza.core.validators import guard_text_fields
from mreza.practices.services.workflow import CRITERIA
from mreza.registry.models import Municipality


class _Guarded(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)


class ReviewForm(_Guarded):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=(
            ("pass", _("Pass it on to an expert for validation")),
            ("return", _("Return it to the author with comments")),
        ),
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the author"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class ValidateForm(_Guarded):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=(
            ("publish", _("Validate and publish")),
            ("return", _("Return it to the author with comments")),
            ("reject", _("Do not accept it")),
        ),
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the author"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label, text in CRITERIA:
            self.fields[f"criterion_{code}"] = forms.BooleanField(
                label=label, help_text=text, required=False
            )

    def criteria(self) -> dict:
        return {code: self.cleaned_data.get(f"criterion_{code}", False) for code, *_r in CRITERIA}

    def criterion_fields(self):
        return [self[f"criterion_{code}"] for code, *_r in CRITERIA]


class WithdrawForm(_Guarded):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Readers of its old page see this reason."),
    )


class OfferForm(_Guarded):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=_("What help is offered"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "For example study visits, documents and templates, mentoring by the department."
        ),
    )
    is_open = forms.BooleanField(label=_("Open to requests"), required=False, initial=True)


class RequestForm(_Guarded):
    municipality = forms.ModelChoiceField(
        label=_("For which municipality"), queryset=Municipality.objects.none()
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you would like to adopt, and who in your municipality will do it."),
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:
            self.initial.setdefault("municipality", municipalities[0].pk)


class ReplicationForm(_Guarded):
    municipality = forms.ModelChoiceField(
        label=_("Adopted by"), queryset=Municipality.objects.none(), required=False
    )
    code = forms.CharField(
        label=_("or the municipality's registry code"),
        required=False,
        max_length=40,
        help_text=_("For a municipality that is not in the list, e.g. BA-TREBINJE."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    note = forms.CharField(
        label=_("How it went"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, municipalities, may_name_any, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.initial.setdefault("year", timezone.localdate().year)
        if not may_name_any:
            self.fields.pop("code")
            self.fields["municipality"].required = True

    def clean(self):
        data = super().clean()
        code = (data.get("code") or "").strip()
        if code and not data.get("municipality"):
            found = Municipality.objects.filter(code__iexact=code).first()
            if found is None:
                self.add_error("code", _("No municipality has this code in the registry."))
            data["municipality"] = found
        elif not data.get("municipality") and "code" in self.fields:
            self.add_error("municipality", _("Choose the municipality that adopted it."))
        return data
