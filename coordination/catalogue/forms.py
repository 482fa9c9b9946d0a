"""Forms of the catalogue: a service (each text in three languages, its criteria), a criterion, the guide."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from coordination.catalogue.models import CRITERION_TEXTS, OUTCOME_LABELS, SERVICE_TEXTS, Outcome
from coordination.forms import BaseForm
from coordination.taxonomy import SERVICE_AREAS
from coordination.texts import LANGUAGES

# Texts written as Markdown in a text area; the others are one line.
LONG_TEXTS = {"summary", "access_steps", "documents_needed", "other_references", "help"}
LANGUAGE_LABELS = {"en": _l("English"), "fr": _l("French"), "ar": _l("Arabic")}
OUTCOME_CHOICES = [(outcome.value, OUTCOME_LABELS[outcome]) for outcome in Outcome]
# Each document's visibility beside its title, so that organizers know who will see the link.
VISIBILITY_MARKS = {
    "members": _l("all members"),
    "organizers": _l("organizers and its organization"),
    "organizations": _l("chosen organizations"),
}


def _text_field(name: str, label, language: str):
    kwargs = {
        "label": label,
        "validators": [Optional(), Length(max=20000 if name in LONG_TEXTS else 300)],
        "render_kw": {"lang": language, "dir": "rtl" if language == "ar" else "ltr"},
    }
    return TextAreaField(**kwargs) if name in LONG_TEXTS else StringField(**kwargs)


def _add_text_fields(cls, texts: dict) -> None:
    for name, label in texts.items():
        for language in LANGUAGES:
            setattr(cls, f"{name}_{language}", _text_field(name, label, language))


class TextsMixin:
    """Reads and fills the `<text>_<language>` fields as the {text: {language: value}} maps of a model."""

    TEXTS: dict = {}

    def texts_data(self) -> dict:
        return {
            name: {language: getattr(self, f"{name}_{language}").data or "" for language in LANGUAGES}
            for name in self.TEXTS
        }

    def fill_texts(self, texts: dict) -> None:
        for name in self.TEXTS:
            for language in LANGUAGES:
                getattr(self, f"{name}_{language}").data = (texts.get(name) or {}).get(language, "")


class ServiceForm(TextsMixin, BaseForm):
    TEXTS = SERVICE_TEXTS

    service_area = SelectField(
        _l("Service area"),
        choices=[("", _l("Choose a service area")), *SERVICE_AREAS.items()],
        validators=[InputRequired(message=_l("Choose a service area."))],
    )
    document_ids = SelectMultipleField(
        _l("Related library documents"),
        coerce=int,
        choices=[],
        description=_l(
            "Readers see only the documents they may see in the library. On a computer, hold Ctrl "
            "(⌘ on a Mac) to choose several."
        ),
    )
    position = IntegerField(
        _l("Order in the catalogue"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=1000)],
        description=_l("Lower numbers come first."),
    )


_add_text_fields(ServiceForm, SERVICE_TEXTS)


def document_choices(rows) -> dict[str, list[tuple[int, str]]]:
    """rules.linkable_documents' rows as choices grouped by collection, each marked with its visibility."""
    choices: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        label = f"{row.title} · {VISIBILITY_MARKS.get(row.visibility, row.visibility)}"
        if row.deleted_at is not None:
            label = f"{label} · {_l('in the trash')}"
        choices.setdefault(row.collection, []).append((row.id, label))
    return choices


def service_form(criteria, **kwargs) -> ServiceForm:
    """A ServiceForm with, for each criterion, whether the service asks it and what each answer means."""

    class BoundServiceForm(ServiceForm):
        pass

    for criterion in criteria:
        prefix = f"criterion_{criterion.id}"
        setattr(BoundServiceForm, f"{prefix}_asked", BooleanField(_l("This service asks it")))
        for answer, label, default in (
            ("yes", _l("If yes"), Outcome.QUALIFIES),
            ("no", _l("If no"), Outcome.DISQUALIFIES),
            ("unknown", _l("If don't know"), Outcome.ASK),
        ):
            setattr(
                BoundServiceForm,
                f"{prefix}_{answer}",
                SelectField(label, choices=OUTCOME_CHOICES, default=default.value),
            )
    return BoundServiceForm(**kwargs)


class CriterionForm(TextsMixin, BaseForm):
    TEXTS = CRITERION_TEXTS

    position = IntegerField(
        _l("Order in the guide"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=1000)],
        description=_l("The guide asks the questions from the lowest number up."),
    )


_add_text_fields(CriterionForm, CRITERION_TEXTS)
