"""Good practices (step 5): what a municipality did that worked, written so another can adopt it.

A practice is drafted by a municipality's people, submitted, reviewed by a network coordinator and
validated by an expert against published criteria; only validated practices are public. A
published practice is updated as a new revision (`PracticeRevision` keeps each published text) or
withdrawn. Its author's municipality may offer to help others adopt it (`TransferOffer`); another
municipality's request becomes a step-2 partnership for the coordinator to confirm, and adoptions
are recorded (`Replication`).

Text is stored as typed, in one language and script (`language`); Serbian is shown in the reader's
script. `search_document` is the folded text the full-text index reads (see `search.py`).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel


class Practice(AuditedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for review")
        RETURNED = "returned", _("returned to the author")
        REVIEWED = "reviewed", _("reviewed, awaiting validation")
        PUBLISHED = "published", _("validated and published")
        REJECTED = "rejected", _("not accepted")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Transferability(models.TextChoices):
        HIGH = "high", _("easy to adopt")
        MEDIUM = "medium", _("adoptable with adaptation")
        LOW = "low", _("needs specific conditions")

    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        related_name="practices",
        verbose_name=_("municipality"),
    )
    # where it was developed or shared, when it came out of a network's or a twinning's work
    network = models.ForeignKey(
        "networks.Network",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("network"),
    )
    workspace = models.ForeignKey(
        "progress.Workspace",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="practices",
        verbose_name=_("workspace"),
    )
    # the twinning's transferred practice this record was made from
    transferred_practice = models.ForeignKey(
        "progress.TransferredPractice",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="library_records",
        verbose_name=_("transferred practice"),
    )
    # "bs", "hr", "sr" (Serbian, Cyrillic or Latin as typed), "bg", "en"
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"))
    problem = models.TextField(_("the problem"))
    # rich text (sanitised with nh3 on save, see services)
    actions = models.TextField(_("what was done"))
    results = models.TextField(_("results"))
    costs = models.TextField(_("costs and resources"), blank=True)
    cost_amount = models.DecimalField(
        _("cost"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_currency = models.CharField(_("currency"), max_length=3, blank=True)
    transferability = models.CharField(
        _("how transferable"),
        max_length=10,
        choices=Transferability.choices,
        default=Transferability.MEDIUM,
    )
    prerequisites = models.TextField(_("what a municipality needs to adopt it"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    areas = models.ManyToManyField(
        "assessment.Subcriterion", related_name="practices", blank=True, verbose_name=_("areas")
    )
    # Sustainable Development Goals as ",6,11," so that one goal filters with a plain
    # `sdg_codes__contains=",11,"` on SQLite and PostgreSQL alike (JSON containment is PostgreSQL
    # only)
    sdg_codes = models.CharField(_("SDGs"), max_length=80, blank=True, default="")
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the results were achieved."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(_("why it was withdrawn"), blank=True)
    # the number of the published revision shown to the public (0: never published)
    revision = models.PositiveIntegerField(default=0, editable=False)
    # folded title, summary and body (fold(): script- and diacritic-free), read by the full-text
    # index of search.py
    search_document = models.TextField(editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_scope_field = "municipality_id"

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-published_at", "-created_at", "id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="practice_public")]

    def __str__(self):
        return self.title

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    @property
    def sdgs(self) -> list[int]:
        return [int(code) for code in self.sdg_codes.strip(",").split(",") if code]


class ResultFigure(AuditedModel):
    """One measured result: before and after (a practice without one cannot be submitted)."""

    practice = models.ForeignKey(Practice, models.CASCADE, related_name="figures")
    label = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    before = models.DecimalField(_("before"), max_digits=16, decimal_places=4)
    after = models.DecimalField(_("after"), max_digits=16, decimal_places=4)
    before_year = models.PositiveSmallIntegerField(
        _("year before"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    after_year = models.PositiveSmallIntegerField(
        _("year after"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
    )
    position = models.PositiveSmallIntegerField(default=0)

    audit_scope_field = "scope_municipality_id"

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["practice", "position", "id"]

    @property
    def scope_municipality_id(self):
        return self.practice.municipality_id

    def __str__(self):
        return self.label


class Attachment(AuditedModel):
    """A photo or a document of a practice, checked by its content (not its name) on upload."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("photo")
        DOCUMENT = "document", _("document")

    practice = models.ForeignKey(Practice, models.CASCADE, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="practices/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    audit_scope_field = "scope_municipality_id"

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["practice", "kind", "position", "id"]

    @property
    def scope_municipality_id(self):
        return self.practice.municipality_id

    def __str__(self):
        return self.name


class ReviewStep(AuditedModel):
    """One step of the way to publication (submitted, returned, reviewed, validated, rejected,
    updated, withdrawn), with its comment and, for a validation, the criteria checked. Shown to the
    author."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        RETURNED = "returned", _("returned with comments")
        REVIEWED = "reviewed", _("reviewed by the network coordinator")
        VALIDATED = "validated", _("validated by an expert")
        REJECTED = "rejected", _("not accepted")
        UPDATED = "updated", _("published update")
        WITHDRAWN = "withdrawn", _("withdrawn")

    practice = models.ForeignKey(Practice, models.CASCADE, related_name="review_steps")
    action = models.CharField(_("step"), max_length=12, choices=Action.choices)
    comment = models.TextField(_("comment"), blank=True)
    # the published criteria an expert checked: {"results_evidenced": true, "transferable": true}
    criteria = models.JSONField(default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    audit_scope_field = "scope_municipality_id"

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["practice", "at", "id"]

    @property
    def scope_municipality_id(self):
        return self.practice.municipality_id

    def __str__(self):
        return f"{self.practice} {self.action}"


class PracticeRevision(AuditedModel):
    """The text of a practice as published, one row per publication (the history the public
    page shows)."""

    practice = models.ForeignKey(Practice, models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    # the published fields: {"title": ..., "summary": ..., "figures": [...], ...}
    content = models.JSONField()
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField()

    audit_scope_field = "scope_municipality_id"

    class Meta:
        verbose_name = _("published revision")
        verbose_name_plural = _("published revisions")
        ordering = ["practice", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "number"], name="unique_practice_revision")
        ]

    @property
    def scope_municipality_id(self):
        return self.practice.municipality_id

    def __str__(self):
        return f"{self.practice} r{self.number}"


class TransferOffer(AuditedModel):
    """The author's municipality offers to help others adopt a published practice."""

    practice = models.OneToOneField(Practice, models.CASCADE, related_name="transfer_offer")
    description = models.TextField(_("what help is offered"))
    # e.g. study visits, documents and templates, mentoring by the responsible department
    is_open = models.BooleanField(_("open to requests"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    audit_scope_field = "scope_municipality_id"

    class Meta:
        verbose_name = _("transfer offer")
        verbose_name_plural = _("transfer offers")

    @property
    def scope_municipality_id(self):
        return self.practice.municipality_id

    def __str__(self):
        return str(self.practice)


class TransferRequest(AuditedModel):
    """Another municipality asks for the offered help; the request becomes a step-2 partnership
    (mentor: the practice's municipality, learner: the requester) for a coordinator to confirm."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    offer = models.ForeignKey(TransferOffer, models.CASCADE, related_name="requests")
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        related_name="transfer_requests",
        verbose_name=_("requesting municipality"),
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    partnership = models.OneToOneField(
        "networks.Partnership",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfer_request",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    audit_scope_field = "municipality_id"

    class Meta:
        verbose_name = _("transfer request")
        verbose_name_plural = _("transfer requests")
        ordering = ["-requested_at", "id"]
        constraints = [
            # one open request per municipality and offer
            models.UniqueConstraint(
                fields=["offer", "municipality"],
                condition=models.Q(status="pending"),
                name="one_pending_transfer_request",
            )
        ]

    def __str__(self):
        return f"{self.municipality} → {self.offer}"


class Replication(AuditedModel):
    """An adoption: "adopted by X in 2027" on the practice and on its map."""

    practice = models.ForeignKey(Practice, models.CASCADE, related_name="replications")
    municipality = models.ForeignKey(
        "registry.Municipality",
        models.PROTECT,
        related_name="replications",
        verbose_name=_("adopted by"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    note = models.TextField(_("how it went"), blank=True)
    request = models.ForeignKey(
        TransferRequest, models.SET_NULL, null=True, blank=True, related_name="replications"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    audit_scope_field = "scope_municipality_id"

    class Meta:
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        ordering = ["practice", "-year", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "municipality"], name="unique_practice_replication"
            )
        ]

    @property
    def scope_municipality_id(self):
        return self.practice.municipality_id

    def __str__(self):
        return f"{self.practice} → {self.municipality} ({self.year})"
