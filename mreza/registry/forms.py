from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from mreza.core.validators import URL_LIMIT, guard_text_fields
from mreza.registry import choices
from mreza.registry.models import Country, Municipality, Region
from mreza.registry.templatetags.places import place_name


def options_html(options):
    """The <option>s of a ListSelect, none selected (cached by the form for hundreds of regions)."""
    return mark_safe(  # noqa: S308 (every part is escaped by format_html)
        "".join(
            format_html('<option value="{}">{}</option>', "" if v is None else v, label)
            for v, label in options
        )
    )


class ListSelect(forms.Select):
    """A select rendered by joining strings: the region filter has hundreds of options, and the
    template-per-option rendering of forms.Select cost most of a directory request.

    With `options_html` set (the rendered options, from the cache) the choices are not iterated:
    the chosen value's option gets its `selected` by a replacement."""

    options_html = None

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        parts = [format_html("<select{}>", flatatt(final))]
        if self.options_html is not None:
            body = str(self.options_html)
            for option in chosen:
                plain = format_html('<option value="{}">', option)
                body = body.replace(plain, plain[:-1] + " selected>", 1)
            parts.append(body)
            parts.append("</select>")
            return mark_safe("".join(parts))  # noqa: S308 (cached parts escaped, see options_html)
        for option, label in self.choices:
            option = "" if option is None else str(option)
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option,
                    mark_safe(" selected") if option in chosen else "",
                    label,
                )
            )
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    country = forms.ModelChoiceField(
        label=_("Country"),
        queryset=Country.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All countries"),
        widget=ListSelect,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.select_related("country"),
        required=False,
        to_field_name="code",
        empty_label=_("All regions"),
        widget=ListSelect,
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *Municipality.Type.choices],
        widget=ListSelect,
    )
    population_min = forms.IntegerField(
        label=_("Population from"),
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        help_text=_(
            "Uses each unit's latest figure: the census, or an official estimate where that is "
            "newer."
        ),
    )
    population_max = forms.IntegerField(
        label=_("Population to"), required=False, min_value=0, max_value=2_000_000_000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Regions of the chosen country only (and all of them while no country is chosen).
        country = (self.data.get("country") or "").strip().upper() if self.is_bound else ""
        regions = Region.objects.select_related("country").order_by(
            "country__code", "parent__name", "name"
        )
        if country:
            regions = regions.filter(country__code=country)
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = _region_label
        # The rendered options come from the cache, in one look-up (a few hundred regions per
        # page view otherwise); the querysets stay for validation, which looks up only the
        # chosen code.
        empty_country = self.fields["country"].empty_label
        empty_region = self.fields["region"].empty_label

        def build():
            countries = choices.country_choices()
            known = not country or country in {code for code, _name in countries}
            regions = choices.region_choices(country) if known else []  # none of an unknown one
            return (
                options_html([("", empty_country), *countries]),
                options_html([("", empty_region), *regions]),
            )

        country_options, region_options = choices.cached(
            choices.REGIONS, "filter-options", build, country
        )
        self.fields["country"].widget.options_html = country_options
        self.fields["region"].widget.options_html = region_options

    def clean(self):
        data = super().clean()
        low, high = data.get("population_min"), data.get("population_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "population_max", _("The upper limit must not be below the lower limit.")
            )
        return data

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("q"):
            queryset = queryset.search(data["q"])
        if data.get("country"):
            queryset = queryset.filter(country=data["country"])
        if data.get("region"):
            region = data["region"]
            queryset = queryset.filter(models_region_q(region))
        if data.get("type"):
            queryset = queryset.filter(type=data["type"])
        if data.get("population_min") is not None:
            queryset = queryset.filter(population__gte=data["population_min"])
        if data.get("population_max") is not None:
            queryset = queryset.filter(population__lte=data["population_max"])
        return queryset


def _region_label(region):
    return place_name(region.name, region.country)


def models_region_q(region):
    # A region and its direct children (an entity includes its cantons).
    return Q(region=region) | Q(region__parent=region)


class MunicipalityForm(forms.ModelForm):
    """What a municipality's coordinator keeps up to date; administrators edit the rest in the
    admin."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=URL_LIMIT
    )

    class Meta:
        model = Municipality
        fields = ["website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(
            self
        )  # description at most 5,000 characters; only http(s), no direction marks


class RegistryImportForm(forms.Form):
    file = forms.FileField(label=_("Registry file (CSV or XLSX)"))
    kind = forms.ChoiceField(
        label=_("What the file contains"),
        choices=[
            ("municipalities", _("Municipalities")),
            ("regions", _("Regions")),
            ("associations", _("Associations")),
        ],
    )
