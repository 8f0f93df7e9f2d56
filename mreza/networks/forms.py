from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.assessment.models import Framework, Subcriterion
from mreza.core.texts import localized
from mreza.registry.models import Country, Organisation, Region

DISTANCE_CHOICES = [
    ("0", _("Not at all")),
    ("0.05", _("A little")),
    ("0.1", _("Moderately")),
    ("0.3", _("A lot: keep networks close together")),
]


class RoundForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Coordinating organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    framework = forms.ModelChoiceField(
        label=_("Framework of the learning profiles"), queryset=Framework.objects.all()
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All countries"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All regions"),
    )
    association = forms.ModelChoiceField(
        label=_("Members of the association"),
        required=False,
        queryset=Organisation.objects.filter(kind="association"),
        to_field_name="code",
        empty_label=_("Any"),
    )
    areas = forms.MultipleChoiceField(label=_("Areas"), widget=forms.CheckboxSelectMultiple)
    min_size = forms.IntegerField(
        label=_("Networks of at least"), min_value=2, max_value=50, initial=6
    )
    max_size = forms.IntegerField(
        label=_("and at most (municipalities)"), min_value=2, max_value=50, initial=12
    )
    distance_weight = forms.ChoiceField(
        label=_("How much distance matters"), choices=DISTANCE_CHOICES, initial="0.1"
    )
    max_networks_per_municipality = forms.IntegerField(
        label=_("Networks per municipality at most"), min_value=1, max_value=5, initial=1
    )
    max_mentees_per_mentor = forms.IntegerField(
        label=_("Municipalities one mentor may help at most"), min_value=1, max_value=10, initial=2
    )

    def __init__(self, *args, organisations, framework, need_counts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["framework"].label_from_instance = lambda f: (
            f"{localized(f.name)} ({f.version})"
        )
        subcriteria = (
            Subcriterion.objects.filter(framework=framework).order_by("position")
            if framework
            else []
        )
        self.fields["areas"].choices = [
            (
                s.code,
                gettext("%(code)s %(title)s — %(count)s municipalities need it")
                % {
                    "code": s.code,
                    "title": localized(s.title),
                    "count": need_counts.get(s.code, 0),
                },
            )
            for s in subcriteria
        ]

    def clean(self):
        data = super().clean()
        if data.get("min_size") and data.get("max_size") and data["min_size"] > data["max_size"]:
            self.add_error("max_size", gettext("The largest size must not be below the smallest."))
        return data

    def params(self):
        data = self.cleaned_data
        return {
            "min_size": data["min_size"],
            "max_size": data["max_size"],
            "distance_weight": float(data["distance_weight"]),
            "max_networks_per_municipality": data["max_networks_per_municipality"],
            "max_mentees_per_mentor": data["max_mentees_per_mentor"],
        }

    def filters(self):
        data = self.cleaned_data
        return {
            key: data[key].code for key in ("country", "region", "association") if data.get(key)
        }


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        label=_("Answer"),
    )
    reason = forms.CharField(
        label=_("Reason (needed when you decline)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FirstCoordinatorForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)

    def clean_email(self):
        return self.cleaned_data["email"].lower()
