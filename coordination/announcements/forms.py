"""Forms of the announcements area."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from coordination.forms import BaseForm
from coordination.texts import LANGUAGES

LANGUAGE_NAMES = {"en": _l("English"), "fr": _l("French"), "ar": _l("Arabic")}


def _optional_int(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class AnnouncementForm(BaseForm):
    roundtable_id = SelectField(
        _l("Roundtable it is about"),
        choices=[("", _l("None"))],
        coerce=_optional_int,
        validators=[Optional()],
    )
    # Not limited to the choices: announcements.rules says which documents may be linked, and why not.
    document_id = SelectField(
        _l("Library document it points to"),
        choices=[("", _l("None"))],
        coerce=_optional_int,
        validators=[Optional()],
        validate_choice=False,
        description=_l(
            "Only documents shared with all members can be chosen: every member reads announcements."
        ),
    )
    mail_members = BooleanField(
        _l("Also mail it to every member"),
        description=_l("Each person gets it in their language when it is written in it, else in English."),
    )

    def texts_data(self) -> dict:
        return {
            name: {language: getattr(self, f"{name}_{language}").data or "" for language in LANGUAGES}
            for name in ("title", "body")
        }

    def fill_texts(self, texts: dict) -> None:
        for name in ("title", "body"):
            for language in LANGUAGES:
                getattr(self, f"{name}_{language}").data = (texts.get(name) or {}).get(language, "")


for _language in LANGUAGES:
    _attributes = {"lang": _language, "dir": "rtl" if _language == "ar" else "ltr"}
    setattr(
        AnnouncementForm,
        f"title_{_language}",
        StringField(_l("Title"), validators=[Optional(), Length(max=200)], render_kw=_attributes),
    )
    setattr(
        AnnouncementForm,
        f"body_{_language}",
        TextAreaField(
            _l("Text"),
            validators=[Optional(), Length(max=20000)],
            render_kw=_attributes,
            description=_l("Markdown is allowed."),
        ),
    )
