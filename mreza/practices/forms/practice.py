"""The practice form: one page in sections, with its result figures (an inline formset) and its
photos and documents. Only the title is needed to save a draft; what submission needs is listed
by services.drafting.missing()."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from mreza.assessment.models import Framework, Subcriterion
from mreza.core.access import workspaces_visible_to
from mreza.core.texts import localized
from mreza.core.validators import guard_text_fields
from mreza.networks.models import Network
from mreza.practices import uploads
from mreza.practices.models import Practice
from mreza.practices.sdgs import SDG_CHOICES
from mreza.practices.services.drafting import FIELDS, sdg_codes
from mreza.progress.models import Workspace

LANGUAGES = (
    ("bs", _("Bosnian")),
    ("hr", _("Croatian")),
    ("sr", _("Serbian (Cyrillic or Latin, as you type it)")),
    ("bg", _("Bulgarian")),
    ("en", _("English")),
)
BIG = Decimal("100000000000")  # a figure or a cost beyond this is a typing error
currency_code = RegexValidator(
    r"^[A-Z]{3}$", _("Enter the three-letter ISO code of the currency, e.g. BAM, EUR, RSD, BGN.")
)

# the form's sections, in order: (title, field names)
SECTIONS = (
    (_("Summary"), ("title", "summary", "language", "year", "started_on", "ended_on")),
    (_("The problem"), ("problem",)),
    (_("What was done"), ("actions",)),
    (_("Results"), ("results",)),
    (_("Costs and resources"), ("costs", "cost_amount", "cost_currency")),
    (_("Transferability"), ("transferability", "prerequisites")),
    (_("Contact person"), ("contact_name", "contact_email", "contact_phone")),
    (_("Areas and goals"), ("areas", "sdgs", "network", "workspace")),
    (_("Photos and documents"), ("photos", "documents", "remove")),
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def default_framework():
    return (
        Framework.objects.filter(code="caf2020").order_by("-version").first()
        or Framework.objects.order_by("code", "-version").first()
    )


def area_choices(framework):
    """The framework's subcriteria grouped by criterion (an <optgroup> each)."""
    if framework is None:
        return []
    groups: dict = {}
    for sub in Subcriterion.objects.filter(framework=framework).select_related("criterion"):
        group = groups.setdefault(
            sub.criterion_id, (f"{sub.criterion.code} {localized(sub.criterion.title)}", [])
        )
        group[1].append((str(sub.pk), f"{sub.code} {localized(sub.title)}"))
    return list(groups.values())


class PracticeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    areas = forms.MultipleChoiceField(
        label=_("Areas (subcriteria of the framework)"),
        required=False,
        help_text=_("Hold Ctrl (Cmd on a Mac) to choose more than one."),
    )
    sdgs = forms.TypedMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        choices=SDG_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost_amount = forms.DecimalField(
        label=_("Cost"),
        required=False,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(BIG)],
    )
    cost_currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, validators=[currency_code]
    )
    photos = MultipleFileField(
        label=_("Add photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB each and 10 per practice."),
    )
    documents = MultipleFileField(
        label=_("Add documents"),
        required=False,
        help_text=_("PDF, Word, Excel or OpenDocument text, at most 10 MB each."),
    )
    remove = forms.TypedMultipleChoiceField(
        label=_("Remove these files"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=300,
        help_text=_("Shown in the history of the published practice."),
    )

    class Meta:
        model = Practice
        fields = (
            "title",
            "summary",
            "language",
            "year",
            "started_on",
            "ended_on",
            "problem",
            "actions",
            "results",
            "costs",
            "cost_amount",
            "cost_currency",
            "transferability",
            "prerequisites",
            "contact_name",
            "contact_email",
            "contact_phone",
            "network",
            "workspace",
        )
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 5}),
            "actions": forms.Textarea(attrs={"rows": 10}),
            "results": forms.Textarea(attrs={"rows": 5}),
            "costs": forms.Textarea(attrs={"rows": 3}),
            "prerequisites": forms.Textarea(attrs={"rows": 4}),
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ended_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "actions": _(
                "Write paragraphs separated by an empty line. You may also use simple HTML: "
                "<p>, <ul>, <ol>, <li>, <strong>, <em>, <h3>, <h4>, <blockquote> and links "
                '(<a href="https://…">).'
            ),
        }

    def __init__(self, *args, municipality, user, **kwargs):
        super().__init__(*args, **kwargs)
        practice = self.instance
        self.published = practice.pk is not None and practice.status == Practice.Status.PUBLISHED
        for name in ("summary", "problem", "actions", "results", "contact_name"):
            # a draft may be saved half-written; submission says what is missing
            self.fields[name].required = False
        self.fields["areas"].choices = area_choices(default_framework())
        self.fields["network"].queryset = (
            Network.objects.filter(memberships__municipality=municipality)
            .select_related("round")
            .distinct()
            .order_by("title")
        )
        self.fields["workspace"].queryset = workspaces_visible_to(
            user, Workspace.objects.filter(members__municipality=municipality).distinct()
        ).order_by("title")
        if practice.pk:
            self.initial.setdefault("version", practice.version)
            self.initial.setdefault(
                "areas", [str(pk) for pk in practice.areas.values_list("pk", flat=True)]
            )
            self.initial.setdefault("sdgs", practice.sdgs)
            self.fields["remove"].choices = [
                (a.pk, f"{a.get_kind_display()}: {a.name}") for a in practice.attachments.all()
            ]
        else:
            self.fields.pop("remove")
        if not self.published:
            self.fields.pop("note")
        else:
            self.fields["note"].required = True
        guard_text_fields(self)

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        for upload in files:
            try:
                uploads.check_photo(upload)
            except uploads.UploadRefused as refusal:
                raise forms.ValidationError(str(refusal)) from refusal
        return files

    def clean_documents(self):
        files = self.cleaned_data.get("documents") or []
        for upload in files:
            try:
                uploads.check_document(upload)
            except uploads.UploadRefused as refusal:
                raise forms.ValidationError(str(refusal)) from refusal
        return files

    def clean(self):
        data = super().clean()
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("The end cannot be before the start."))
        if data.get("cost_amount") is not None and not data.get("cost_currency"):
            self.add_error("cost_currency", _("Say in which currency the cost is."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in FIELDS if name in data}
        values["sdg_codes"] = sdg_codes(data.get("sdgs") or [])
        return values

    def sections(self):
        """(title, bound fields) for the template, in the order of SECTIONS."""
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in SECTIONS
        ]


class FigureForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("Indicator"), max_length=200)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    before = forms.DecimalField(
        label=_("Before"),
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(-BIG), MaxValueValidator(BIG)],
    )
    after = forms.DecimalField(
        label=_("After"),
        max_digits=16,
        decimal_places=4,
        validators=[MinValueValidator(-BIG), MaxValueValidator(BIG)],
    )
    before_year = forms.IntegerField(
        label=_("Year before"), required=False, min_value=1990, max_value=2100
    )
    after_year = forms.IntegerField(
        label=_("Year after"), required=False, min_value=1990, max_value=2100
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)

    def clean(self):
        data = super().clean()
        before, after = data.get("before_year"), data.get("after_year")
        if before and after and after < before:
            self.add_error("after_year", _("The year after cannot be before the year before."))
        return data


BaseFigureFormSet = forms.formset_factory(
    FigureForm, extra=2, can_delete=True, max_num=30, validate_max=True
)


class FigureFormSet(BaseFigureFormSet):
    def rows(self) -> list[dict]:
        """The rows for services.drafting (empty extra rows left out)."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            data = dict(form.cleaned_data)
            data["delete"] = bool(data.pop("DELETE", False))
            if data.get("id") or not data["delete"]:
                rows.append(data)
        return rows


def figure_formset(data=None, practice=None):
    initial = []
    if practice is not None and practice.pk:
        initial = [
            {name: getattr(f, name) for name in ("id", *FIGURE_NAMES)}
            for f in practice.figures.order_by("position", "id")
        ]
    return FigureFormSet(data, initial=initial, prefix="figures")


FIGURE_NAMES = ("label", "unit", "before", "after", "before_year", "after_year")
