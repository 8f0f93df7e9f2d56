"""Forms of the documents, the discussion and the notification settings."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mreza.core.templatetags.mreza import script
from mreza.core.validators import guard_text_fields
from mreza.progress.models import Meeting, NotificationSettings
from mreza.progress.services import discussion


class DocumentForm(forms.Form):
    """A file or a link (exactly one), with a title and optionally the meeting it belongs to."""

    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(
        label=_("or a link"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("A web address (http:// or https://), e.g. a shared folder or a report."),
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("(not attached to a meeting)"),
    )

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(workspace=workspace).order_by(
            "-starts_at"
        )
        self.fields["meeting"].label_from_instance = _meeting_label
        self.fields["file"].help_text = discussion.help_text()
        self.fields["file"].widget.attrs["accept"] = discussion.accept_attribute()
        guard_text_fields(self)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                self.content_type = discussion.check_upload(upload)
            except discussion.DocumentRefused as refusal:
                raise ValidationError(refusal.messages) from refusal
        return upload

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("file")) or "file" in self.errors
        has_url = bool(cleaned.get("url")) or "url" in self.errors
        if not has_file and not has_url:
            raise ValidationError(_("Choose a file or enter a link."))
        if cleaned.get("file") and cleaned.get("url"):
            raise ValidationError(_("Share either a file or a link, not both."))
        return cleaned


def _meeting_label(meeting):
    day = date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT")
    return f"{script(meeting.title)} ({day})"


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=discussion.POST_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Plain text. Mention someone with @ and their name or e-mail address, as in the list "
            "below; they are notified."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Write a message."))
        return body


class NotificationSettingsForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("E-mail me about my networks, partnerships and twinnings"),
        choices=NotificationSettings.Mode.choices,
        widget=forms.RadioSelect,
    )
