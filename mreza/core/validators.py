"""Validators every form uses for free text: lengths, control characters, safe web addresses.

``guard_text_fields(form)`` is called at the end of a form's ``__init__``: each text field without
a maximum length gets one (``NAME_LIMIT`` for single-line fields, ``TEXT_LIMIT`` for text areas),
single-line fields refuse control characters and line breaks, text areas refuse control characters
other than tab and line breaks, URL fields accept only http(s) and refuse invisible direction marks
(``"\\u202eexe.pdf"`` shows as ``"fdp.exe"``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.utils.translation import gettext_lazy as _

from mreza.core import safefiles

NAME_LIMIT = 200
TEXT_LIMIT = 5000
URL_LIMIT = 200


def single_line(value):
    character = safefiles.control_character(str(value))
    if character:
        raise ValidationError(
            _(
                "Remove the control character or line break (%(char)s); this field is a single "
                "line."
            ),
            code="control_character",
            params={"char": character},
        )


def multi_line(value):
    character = safefiles.control_character(str(value), multiline=True)
    if character:
        raise ValidationError(
            _("Remove the control character (%(char)s) from the text."),
            code="control_character",
            params={"char": character},
        )


def safe_url(value):
    character = safefiles.bidi_control(str(value))
    if character:
        raise ValidationError(
            _(
                "A web address must not contain invisible direction marks (%(char)s). Type the "
                "address again."
            ),
            code="bidi_control",
            params={"char": character},
        )
    single_line(value)


http_only = URLValidator(
    schemes=["http", "https"],
    code="not_http",
    message=_("Enter a web address that starts with http:// or https://."),
)


def guard_text_fields(form):
    """Give every text field of *form* a length limit and the control-character checks (see
    module)."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.HiddenInput):
            continue
        is_url = isinstance(field, forms.URLField)
        multiline = isinstance(field.widget, forms.Textarea)
        default = URL_LIMIT if is_url else TEXT_LIMIT if multiline else NAME_LIMIT
        if field.max_length is None:  # a smaller or larger limit from the model is kept
            field.max_length = default
            field.validators.append(MaxLengthValidator(default))
            field.widget.attrs["maxlength"] = str(default)
        if is_url:
            field.validators = [v for v in field.validators if not isinstance(v, URLValidator)]
            field.validators += [safe_url, http_only]
        elif multiline:
            field.validators.append(multi_line)
        else:
            field.validators.append(single_line)
