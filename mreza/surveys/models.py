"""Citizen satisfaction surveys: a municipality's questionnaire (items in several languages), run in
waves (before and after a network's work), answered anonymously on a public link or on paper.

Anonymous by design: a Response stores the answers, the language, the channel and the day — never
an IP address, an account (except the staff member who typed in a paper questionnaire) or a device
fingerprint. What limits abuse (one-time codes, per-device receipts) is kept apart from the
responses (`AccessCode`, `DeviceReceipt`) and cannot be joined to them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel
from mreza.core.texts import localized


class Survey(AuditedModel):
    """A questionnaire of one municipality. Its items are frozen once a wave has responses: a change
    that would break comparability makes a new version (`previous_version`) instead."""

    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        related_name="surveys",
        verbose_name=_("municipality"),
    )
    # the workspace whose work the survey measures (its waves: before and after); optional
    workspace = models.ForeignKey(
        "progress.Workspace",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("workspace"),
    )
    # texts in several languages: {"en": "...", "sr": "<Cyrillic>", "bs": "...", ...}; Serbian is
    # stored in Cyrillic (or as typed) and shown in the reader's script
    title = models.JSONField(_("title"))
    introduction = models.JSONField(_("introduction"), default=dict, blank=True)
    thanks = models.JSONField(_("thank-you text"), default=dict, blank=True)
    # the languages respondents may choose, in order ("sr", "bs", "hr", "bg", "en")
    languages = models.JSONField(_("languages"), default=list)
    # the template it was made from ("satisfaction"), blank for one built from scratch
    template = models.CharField(_("template"), max_length=40, blank=True)
    previous_version = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_versions",
        verbose_name=_("previous version"),
    )
    # the public link /s/<public_token>/ (and its QR code) answers the wave open now
    public_token = models.CharField(max_length=32, unique=True)
    # whether the results page (aggregates only, small groups suppressed) is public
    results_public = models.BooleanField(_("results are public"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_scope_field = "municipality_id"
    # the link is printed on posters, but a reset token must not be readable in the trail
    audit_exclude = frozenset({"public_token"})

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["municipality", "-created_at", "id"]

    def __str__(self):
        return localized(self.title)


class Item(AuditedModel):
    """One question. Options, matrix rows and texts are multilingual JSON; `code` is stable across
    a survey's versions, so waves and versions compare item by item."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SCALE = "scale", _("scale")
        MATRIX = "matrix", _("matrix of scales")
        NUMBER = "number", _("number")
        TEXT = "text", _("text")
        SECTION = "section", _("heading (no answer)")

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.JSONField(_("question"))
    help_text = models.JSONField(_("help"), default=dict, blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    # a demographic question (age group, gender...): used for breakdowns, never shown alone
    is_demographic = models.BooleanField(_("demographic question"), default=False)
    # choices: [{"code": "yes", "text": {"en": "Yes", ...}}, ...] (single, multiple)
    options = models.JSONField(_("options"), default=list, blank=True)
    # matrix rows: [{"code": "water", "text": {...}}, ...], each answered on the scale
    rows = models.JSONField(_("rows"), default=list, blank=True)
    # scale (and matrix) ends and their labels {"min": {"en": "Very dissatisfied"}, "max": {...}}
    scale_min = models.SmallIntegerField(_("lowest value"), default=1)
    scale_max = models.SmallIntegerField(_("highest value"), default=5)
    scale_labels = models.JSONField(_("scale labels"), default=dict, blank=True)
    # number items: the accepted range
    number_min = models.DecimalField(
        _("smallest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    number_max = models.DecimalField(
        _("largest number"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # "show if": {"item": "<code of an earlier single/multiple item>", "any_of": ["<option>"...]}
    show_if = models.JSONField(_("show only if"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_scope_field = "scope_municipality_id"

    class Meta:
        verbose_name = _("survey item")
        verbose_name_plural = _("survey items")
        ordering = ["survey", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="unique_survey_item_code"),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="survey_item_scale_in_order",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def scope_municipality_id(self):
        return self.survey.municipality_id


class Wave(AuditedModel):
    """One round of answers (e.g. "before", "after"); at most one wave of a survey is open."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("not yet open")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    class Access(models.TextChoices):
        # anyone with the link, once per device (a random cookie; see DeviceReceipt)
        LINK = "link", _("anyone with the link, once per device")
        # a one-time code handed out on paper or by mail (AccessCode)
        CODES = "codes", _("one-time codes only")

    survey = models.ForeignKey(Survey, models.CASCADE, related_name="waves")
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    access = models.CharField(
        _("who may answer"), max_length=10, choices=Access.choices, default=Access.LINK
    )
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_scope_field = "scope_municipality_id"

    class Meta:
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        ordering = ["survey", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey"],
                condition=models.Q(status="open"),
                name="one_open_wave_per_survey",
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True)
                | models.Q(opens_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="survey_wave_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def scope_municipality_id(self):
        return self.survey.municipality_id


class Response(AuditedModel):
    """One questionnaire as answered. `answers` maps item codes to values: a scale or single choice
    to one value, a multiple choice to a list, a matrix to {row code: value}, a number to a number,
    a text to a string. Nothing here identifies the respondent."""

    class Channel(models.TextChoices):
        WEB = "web", _("online")
        PAPER = "paper", _("paper")

    wave = models.ForeignKey(Wave, models.CASCADE, related_name="responses")
    answers = models.JSONField(default=dict)
    language = models.CharField(_("language"), max_length=20)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    # the day only: a time of day would let a response be matched with a visit
    submitted_on = models.DateField(_("day"))
    # paper: the staff member who typed it in and the number written on the questionnaire
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    paper_number = models.CharField(_("questionnaire number"), max_length=40, blank=True)

    audit_scope_field = "scope_municipality_id"

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["wave", "id"]
        indexes = [models.Index(fields=["wave", "channel"], name="survey_response_wave_channel")]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "paper_number"],
                condition=~models.Q(paper_number=""),
                name="unique_paper_number_per_wave",
            )
        ]

    def __str__(self):
        return f"{self.wave_id}#{self.pk}"

    def audit_creation(self):
        """A citizen's answer online is not written to the trail: its exact time (and the order of
        the entries) would undo the anonymity of a response that keeps only the day. Paper entries
        (who typed them in), corrections and deletions are recorded."""
        return self.channel != self.Channel.WEB

    @property
    def scope_municipality_id(self):
        return self.wave.survey.municipality_id


class AccessCode(models.Model):
    """A one-time code for a wave with `access=codes`. Only its hash is stored; `used` is set when
    a response is accepted with it — in the same transaction, so a replay finds it used. Which
    response it produced is not recorded."""

    wave = models.ForeignKey(Wave, models.CASCADE, related_name="access_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self):
        return f"{self.wave_id}: {'used' if self.used else 'unused'}"


class DeviceReceipt(models.Model):
    """That some device (a random id in a cookie, stored hashed with the wave) has answered a wave
    with `access=link`. No time and no link to the response."""

    # a random key: a sequential one would follow the order of the responses
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, models.CASCADE, related_name="device_receipts")
    device_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "device_hash"], name="unique_device_receipt")
        ]

    def __str__(self):
        return str(self.wave_id)
