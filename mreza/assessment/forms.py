from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.assessment import scoring
from mreza.assessment.models import (
    Assessment,
    Framework,
    GroupMember,
    ImprovementAction,
    LearningProfile,
)
from mreza.core.texts import localized
from mreza.core.validators import guard_text_fields

TEXT_LIMIT = 5000


def _score_error(error):
    return gettext(error.message) % error.params


class StartAssessmentForm(forms.Form):
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=Framework.objects.all())
    method = forms.ChoiceField(label=_("Scoring method"), choices=Assessment.Method.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(
        label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("Period to"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].label_from_instance = lambda f: (
            f"{localized(f.name)} ({f.version})"
        )
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        framework, method = data.get("framework"), data.get("method")
        if framework and method and method not in framework.methods:
            self.add_error("method", gettext("This framework does not offer that scoring method."))
        if (
            data.get("period_start")
            and data.get("period_end")
            and data["period_start"] > data["period_end"]
        ):
            self.add_error("period_end", gettext("The period must end after it starts."))
        return data


class AddMemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Person"), queryset=None)
    role = forms.ChoiceField(label=_("Role in the group"), choices=GroupMember.Role.choices)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.email})"


class ScoreFormMixin:
    """Score fields that follow the subcriterion's panel: one score, or one per fine-tuned
    dimension."""

    def add_score_fields(self, panel, instance):
        """Add the score field(s) first in the form, where the eye starts."""
        self.panel = panel
        self.dimensions = panel.get("dimensions") or []
        attrs = {
            "min": panel["min"],
            "max": panel["max"],
            "step": panel["step"],
            "inputmode": "decimal",
        }
        if self.dimensions:
            for dimension in self.dimensions:
                self.fields[f"dim_{dimension['code']}"] = forms.CharField(
                    label=localized(dimension["name"]),
                    required=False,
                    widget=forms.TextInput(attrs=attrs),
                    initial=_plain((instance.dimensions or {}).get(dimension["code"]))
                    if instance
                    else None,
                )
        else:
            self.fields["score"] = forms.CharField(
                label=_("Score"),
                required=False,
                widget=forms.TextInput(attrs=attrs),
                initial=_plain(instance.score) if instance else None,
            )
        score_fields = [name for name in self.fields if name == "score" or name.startswith("dim_")]
        self.order_fields(score_fields + [name for name in self.fields if name not in score_fields])

    def clean_scores(self, data, allow_empty):
        if self.dimensions:
            values = {}
            for dimension in self.dimensions:
                name = f"dim_{dimension['code']}"
                raw = (data.get(name) or "").strip()
                if raw == "":
                    continue
                try:
                    values[dimension["code"]] = scoring.check_score(
                        self.panel, raw, dimension=dimension["code"]
                    )
                except scoring.ScoreError as error:
                    self.add_error(name, _score_error(error))
            if values and len(values) != len(self.dimensions):
                self.add_error(None, gettext("Give a score for every dimension, or for none."))
            if not values and not allow_empty:
                self.add_error(None, gettext("A score is required."))
            data["dimensions"] = values
            data["score"] = (
                scoring.combine(self.panel, values) if len(values) == len(self.dimensions) else None
            )
        else:
            raw = (data.get("score") or "").strip()
            data["dimensions"] = {}
            if raw == "":
                data["score"] = None
                if not allow_empty:
                    self.add_error("score", gettext("A score is required."))
            else:
                try:
                    data["score"] = scoring.check_score(self.panel, raw)
                except scoring.ScoreError as error:
                    self.add_error("score", _score_error(error))
        return data


def _free_text(label, rows):
    """An optional assessor's or group's text, limited like every free text."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _plain(value):
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


class EntryForm(ScoreFormMixin, forms.Form):
    dont_know = forms.BooleanField(label=_("I don't know"), required=False)
    strengths = _free_text(_("Strengths"), rows=3)
    improvements = _free_text(_("Areas for improvement"), rows=3)
    ideas = _free_text(_("Improvement ideas"), rows=2)
    evidence = _free_text(_("Evidence (links, one per line)"), rows=2)
    evidence_file = forms.FileField(label=_("Attach a file as evidence"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, panel, instance=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if instance:
            initial.update(
                dont_know=instance.dont_know,
                strengths=instance.strengths,
                improvements=instance.improvements,
                ideas=instance.ideas,
                evidence=instance.evidence,
                version=instance.version,
            )
        else:
            initial.setdefault("version", 0)
        super().__init__(*args, **kwargs)
        guard_text_fields(self)
        self.add_score_fields(panel, instance)

    def clean(self):
        data = super().clean()
        data = self.clean_scores(data, allow_empty=True)
        if data.get("dont_know") and (data.get("score") is not None or data.get("dimensions")):
            self.add_error(None, gettext("Either give a score or tick “I don't know”, not both."))
        upload = data.get("evidence_file")
        if upload and upload.size > 10 * 1024 * 1024:
            self.add_error("evidence_file", gettext("A file may be at most 10 MB."))
        return data

    def entry_values(self):
        data = self.cleaned_data
        return {
            k: data[k]
            for k in (
                "score",
                "dimensions",
                "dont_know",
                "strengths",
                "improvements",
                "ideas",
                "evidence",
            )
        }


class ConsensusForm(ScoreFormMixin, forms.Form):
    strengths = _free_text(_("Agreed strengths"), rows=3)
    improvements = _free_text(_("Agreed areas for improvement"), rows=3)
    ideas = _free_text(_("Improvement ideas"), rows=2)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, panel, instance=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if instance:
            initial.update(
                strengths=instance.strengths,
                improvements=instance.improvements,
                ideas=instance.ideas,
                version=instance.version,
            )
        else:
            initial.setdefault("version", 0)
        super().__init__(*args, **kwargs)
        guard_text_fields(self)
        self.add_score_fields(panel, instance)

    def clean(self):
        return self.clean_scores(super().clean(), allow_empty=False)

    def consensus_values(self):
        data = self.cleaned_data
        return {k: data[k] for k in ("score", "dimensions", "strengths", "improvements", "ideas")}


class ImprovementActionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ImprovementAction
        fields = [
            "subcriterion",
            "title",
            "description",
            "owner",
            "deadline",
            "expected_result",
            "indicator",
            "impact",
            "feasibility",
            "status",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "impact": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "feasibility": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }

    def __init__(self, *args, subcriteria, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["subcriterion"]
        field.queryset = subcriteria
        field.label_from_instance = lambda s: f"{s.code} {localized(s.title)}"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        guard_text_fields(self)


class LearningProfileForm(forms.Form):
    sharing = forms.ChoiceField(
        label=_("Who may see this profile"),
        choices=LearningProfile.Sharing.choices,
        widget=forms.RadioSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, subcriteria, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.subcriteria = subcriteria
        for sub in subcriteria:
            self.fields[f"need_{sub.code}"] = forms.DecimalField(
                label=gettext("Need in %(code)s") % {"code": sub.code},
                required=False,
                min_value=0,
                max_value=1,
                decimal_places=2,
                initial=profile.needs.get(sub.code),
                widget=forms.NumberInput(attrs={"step": "0.05", "min": 0, "max": 1}),
            )
            self.fields[f"offer_{sub.code}"] = forms.DecimalField(
                label=gettext("Can offer in %(code)s") % {"code": sub.code},
                required=False,
                min_value=0,
                max_value=1,
                decimal_places=2,
                initial=profile.strengths.get(sub.code),
                widget=forms.NumberInput(attrs={"step": "0.05", "min": 0, "max": 1}),
            )

    def maps(self):
        needs, strengths = {}, {}
        for sub in self.subcriteria:
            need, offer = (
                self.cleaned_data.get(f"need_{sub.code}"),
                self.cleaned_data.get(f"offer_{sub.code}"),
            )
            if need:
                needs[sub.code] = float(need)
            if offer:
                strengths[sub.code] = float(offer)
        return needs, strengths
