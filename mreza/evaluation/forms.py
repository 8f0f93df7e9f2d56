"""Forms of the self-evaluation: opening one, a member's part (a rating and a comment per goal,
lessons learned) and the subcriteria of a re-assessment when the workspace names no area."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mreza.core.texts import localized
from mreza.core.validators import guard_text_fields
from mreza.evaluation.models import Evaluation, GoalResult, MemberEvaluation
from mreza.progress.forms.workspace import date_widget

TEXT_ROWS = 4


class OpenEvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["title", "due_on"]
        widgets = {"due_on": date_widget()}
        help_texts = {
            "due_on": _("The members evaluate their part by this day (optional)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(gettext("The due date cannot be in the past."))
        return day


def rating_field(goal) -> str:
    return f"goal-{goal.pk}-rating"


def comment_field(goal) -> str:
    return f"goal-{goal.pk}-comment"


class PartForm(forms.ModelForm):
    """A member's part: per goal a rating (blank while drafting) and a comment, then the texts.
    `goals` are the workspace's goals in order; `results` {goal id: GoalResult} fill it in."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = MemberEvaluation
        fields = ["activities_summary", "lessons", "keep_doing"]
        widgets = {
            "activities_summary": forms.Textarea(attrs={"rows": TEXT_ROWS}),
            "lessons": forms.Textarea(attrs={"rows": TEXT_ROWS}),
            "keep_doing": forms.Textarea(attrs={"rows": TEXT_ROWS}),
        }
        labels = {"activities_summary": _("What we did (a short summary)")}
        help_texts = {
            "lessons": _("What worked, what did not, and what you would do differently."),
            "keep_doing": _("The practices your municipality keeps after the network's work."),
        }

    def __init__(self, *args, goals, results=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        results = results or {}
        choices = [("", _("not rated yet")), *GoalResult.Rating.choices]
        for goal in self.goals:
            result = results.get(goal.pk)
            self.fields[rating_field(goal)] = forms.ChoiceField(
                label=_("Result"),
                choices=choices,
                required=False,
                initial=result.rating if result else "",
            )
            self.fields[comment_field(goal)] = forms.CharField(
                label=_("Comment"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=result.comment if result else "",
            )
        guard_text_fields(self)

    def goal_rows(self):
        """[(goal, its rating field, its comment field)] for the template."""
        return [(g, self[rating_field(g)], self[comment_field(g)]) for g in self.goals]

    def text_fields(self):
        return [self[name] for name in self.Meta.fields]

    def ratings(self):
        """{goal id: (rating, comment)} from the cleaned data."""
        data = self.cleaned_data
        return {
            g.pk: (data.get(rating_field(g)) or "", data.get(comment_field(g)) or "")
            for g in self.goals
        }


class SubcriteriaForm(forms.Form):
    """The subcriteria to re-assess, for a workspace that names no area."""

    codes = forms.MultipleChoiceField(
        label=_("Subcriteria to re-assess"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one subcriterion to re-assess.")},
    )

    def __init__(self, *args, subcriteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [
            (s.code, f"{s.code} {localized(s.title)}") for s in subcriteria
        ]
