"""Open data: each nightly release of the public figures, one ZIP file (see services.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mreza.core.audit import AuditedModel


class OpenDataRelease(AuditedModel):
    """One built ZIP of every public dataset. The newest is the one served; the builder keeps a few
    and deletes the older files. A row exists only once its file is complete, so a failed build
    leaves the previous release served."""

    generated_at = models.DateTimeField(_("generated"), db_index=True)
    file = models.FileField(_("file"), upload_to="opendata/", max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # dataset name -> number of rows
    counts = models.JSONField(_("rows per dataset"), default=dict)
    # ZIP member path -> {"size": bytes, "sha256": hex}, for the separate downloads' ETags
    members = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("open data release")
        verbose_name_plural = _("open data releases")
        ordering = ["-generated_at", "-id"]

    def __str__(self):
        return f"{self.generated_at:%Y-%m-%d %H:%M} ({self.sha256[:12]})"
