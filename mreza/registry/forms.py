from django import forms
from django.utils.translation import gettext_lazy as _

from mreza.core.validators import URL_LIMIT, guard_text_fields
from mreza.registry.models import Country, Municipality, Region


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
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.select_related("country"),
        required=False,
        to_field_name="code",
        empty_label=_("All regions"),
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *Municipality.Type.choices]
    )
    population_min = forms.IntegerField(
        label=_("Population from"),
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        help_text=_(
            "Uses each unit's latest figure: the census, or an official estimate where that is newer."
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
    from mreza.registry.templatetags.places import place_name

    return place_name(region.name, region.country)


def models_region_q(region):
    from django.db.models import Q

    # A region and its direct children (an entity includes its cantons).
    return Q(region=region) | Q(region__parent=region)


class MunicipalityForm(forms.ModelForm):
    """What a municipality's coordinator keeps up to date; administrators edit the rest in the admin."""

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
