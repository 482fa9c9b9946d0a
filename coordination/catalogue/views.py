"""Routes of the catalogue: the services, their revisions and translations, the criteria, the guide."""

import functools
from datetime import date

from babel import dates as babel_dates
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date, get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from coordination.catalogue import bp, guide, rules
from coordination.catalogue.forms import LANGUAGE_LABELS, CriterionForm, document_choices, service_form
from coordination.catalogue.models import (
    ANSWER_LABELS,
    CRITERION_TEXTS,
    OUTCOME_LABELS,
    SERVICE_TEXTS,
    Criterion,
    Outcome,
)
from coordination.errors import PermissionDenied
from coordination.extensions import db
from coordination.forms import ConfirmForm, run_rule
from coordination.i18n import current_language
from coordination.markup import render_markdown
from coordination.policy import can, require
from coordination.taxonomy import SERVICE_AREAS
from coordination.texts import LANGUAGES, localize
from coordination.timeutil import utcnow


@functools.cache
def _labels(language: str) -> dict:
    with force_locale(language):
        return {
            "service_area_labels": {key: str(label) for key, label in SERVICE_AREAS.items()},
            "text_labels": {key: str(label) for key, label in {**SERVICE_TEXTS, **CRITERION_TEXTS}.items()},
            "answer_labels": {key: str(label) for key, label in ANSWER_LABELS.items()},
            "outcome_labels": {str(key): str(label) for key, label in OUTCOME_LABELS.items()},
            "result_labels": {key: str(label) for key, label in guide.RESULT_LABELS.items()},
            "language_labels": {key: str(label) for key, label in LANGUAGE_LABELS.items()},
        }


def _localized(texts: dict | None, language: str, markdown: bool = False) -> Markup:
    """A text of the catalogue in `language`, else in English with a visible mark.

    Python rather than a template macro: the list and the referral sheet show a few hundred texts,
    and a macro call per text was most of their cost.
    """
    value = localize(texts, language)
    if not value:
        return Markup("")
    # Plain concatenation of escaped parts: Markup.format costs several times more, per text.
    mark = ""
    if value.fallback:
        title = _("Shown in %(language)s until it is translated.", language=LANGUAGE_LABELS[value.language])
        mark = (
            f'<span class="badge text-bg-warning fw-normal me-1" title="{escape(title)}">'
            f"{escape(_('not yet translated'))}</span> "
        )
    if markdown:
        html = f'<div lang="{value.language}" dir="auto">{render_markdown(value.text)}</div>'
    else:
        html = f'<span lang="{value.language}" dir="auto">{escape(value.text)}</span>'
    return Markup(mark + html)  # noqa: S704 - every part is escaped or sanitized above


# What a service's page shows as its description, and what the referral sheet repeats of it.
PAGE_TEXTS = tuple(name for name in SERVICE_TEXTS if name not in ("name", "other_references"))
SHEET_TEXTS = (
    "summary",
    "unit",
    "access_steps",
    "access_where",
    "hours",
    "contact",
    "documents_needed",
    "languages_served",
)


def _described(texts: dict, names: tuple[str, ...], language: str) -> list[tuple[str, Markup]]:
    """The texts among `names` that a service has, each with its label, as the reader reads them
    (one call per service where the sheet made three per text)."""
    labels = _labels(language)["text_labels"]
    return [
        (labels[name], _localized(texts[name], language, markdown=True)) for name in names if texts.get(name)
    ]


@functools.lru_cache(maxsize=4096)
def _long_date(day: date, language: str) -> str:
    return babel_dates.format_date(day, "long", locale=language)


def _reviewed(service, language: str) -> str:
    """When an organizer last checked the service (else when it last changed), the reader's way:
    a list shows one per service, and Babel's formatting was a fifth of the list's cost."""
    day = (service.reviewed_at or service.updated_at).astimezone(get_timezone()).date()
    if service.reviewed_at:
        return _("Last reviewed on %(date)s", date=_long_date(day, language))
    return _("Last updated on %(date)s", date=_long_date(day, language))


@bp.context_processor
def helpers():
    language = current_language()
    return {
        **_labels(language),
        "tr": lambda texts: localize(texts, language),
        "localized": lambda texts, markdown=False: _localized(texts, language, markdown),
        "reviewed": lambda service: _reviewed(service, language),
        "described": lambda texts, names: _described(texts, names, language),
    }


def _may(action: str, *records) -> None:
    """Like `require`, but sends an anonymous reader to sign in first."""
    if can(current_user, action, *records):
        return
    if not current_user.is_authenticated:
        abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
    raise PermissionDenied(action)


def _service(service_id: int):
    _may("catalogue.view")
    service = rules.load_service(service_id)
    if service is None or (service.archived_at and not can(current_user, "service.view_withdrawn")):
        abort(404)
    return service


@bp.get("/services")
def index():
    _may("catalogue.view")
    manager = can(current_user, "service.view_withdrawn")
    return render_template(
        "catalogue/index.html",
        services=rules.service_cards(),
        withdrawn=rules.service_cards(withdrawn=True) if manager else [],
    )


@bp.get("/services/<int:service_id>")
def detail(service_id: int):
    service = _service(service_id)
    reader = current_user._get_current_object()
    # An anonymous reader of a public catalogue sees no document.
    documents = rules.documents_for_service(reader, service.id) if reader.is_authenticated else []
    return render_template("catalogue/detail.html", service=service, texts=PAGE_TEXTS, documents=documents)


def _links_from(form, criteria) -> list[rules.CriterionLink]:
    links = []
    for criterion in criteria:
        prefix = f"criterion_{criterion.id}"
        if getattr(form, f"{prefix}_asked").data:
            links.append(
                rules.CriterionLink(
                    criterion.id,
                    getattr(form, f"{prefix}_yes").data,
                    getattr(form, f"{prefix}_no").data,
                    getattr(form, f"{prefix}_unknown").data,
                )
            )
    return links


def _edit_service(service):
    require(current_user, "catalogue.manage")
    criteria = rules.all_criteria()
    form = service_form(criteria)
    form.document_ids.choices = document_choices(rules.linkable_documents(service))
    if request.method == "GET" and service is not None:
        form.service_area.data = service.service_area
        form.position.data = service.position
        form.fill_texts(service.texts)
        form.document_ids.data = [document.id for document in service.documents]
        for link in service.links:
            prefix = f"criterion_{link.criterion_id}"
            getattr(form, f"{prefix}_asked").data = True
            getattr(form, f"{prefix}_yes").data = link.on_yes
            getattr(form, f"{prefix}_no").data = link.on_no
            getattr(form, f"{prefix}_unknown").data = link.on_unknown
    if form.validate_on_submit():
        saved, result = run_rule(
            form,
            rules.save_service,
            current_user,
            service,
            texts=form.texts_data(),
            service_area=form.service_area.data,
            links=_links_from(form, criteria),
            position=form.position.data or 0,
            document_ids=form.document_ids.data or [],
        )
        if saved:
            flash(
                _("The service has been saved as revision %(number)s.", number=result.revision_count),
                "success",
            )
            return redirect(url_for("catalogue.detail", service_id=result.id))
    return render_template(
        "catalogue/form.html",
        form=form,
        service=service,
        criteria=criteria,
        texts=SERVICE_TEXTS,
        languages=LANGUAGES,
    )


@bp.route("/services/new", methods=["GET", "POST"])
def create():
    _may("catalogue.manage")
    return _edit_service(None)


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
def edit(service_id: int):
    service = _service(service_id)
    _may("catalogue.manage")
    return _edit_service(service)


@bp.post("/services/<int:service_id>/review")
def review(service_id: int):
    service = _service(service_id)
    _may("service.review", service)
    if ConfirmForm().validate_on_submit():
        rules.mark_reviewed(current_user, service)
        db.session.commit()
        flash(_("Marked as reviewed today."), "success")
    return redirect(url_for("catalogue.detail", service_id=service.id))


@bp.route("/services/<int:service_id>/withdraw", methods=["GET", "POST"])
def withdraw(service_id: int):
    service = _service(service_id)
    _may("service.withdraw", service)
    form = ConfirmForm()
    if form.validate_on_submit():
        rules.withdraw_service(current_user, service)
        db.session.commit()
        flash(_("The service is withdrawn: members and the guide no longer see it."), "success")
        return redirect(url_for("catalogue.detail", service_id=service.id))
    return render_template("catalogue/withdraw.html", form=form, service=service)


@bp.post("/services/<int:service_id>/restore")
def restore(service_id: int):
    service = _service(service_id)
    _may("service.restore", service)
    if ConfirmForm().validate_on_submit():
        rules.restore_service(current_user, service)
        db.session.commit()
        flash(_("The service is back in the catalogue and the guide."), "success")
    return redirect(url_for("catalogue.detail", service_id=service.id))


@bp.get("/services/<int:service_id>/revisions")
def revisions(service_id: int):
    service = _service(service_id)
    _may("service.view_revisions", service)
    return render_template("catalogue/revisions.html", service=service, revisions=rules.revisions_of(service))


@bp.get("/services/<int:service_id>/revisions/<int:number>")
def revision(service_id: int, number: int):
    service = _service(service_id)
    _may("service.view_revisions", service)
    found = rules.revision_of(service, number)
    if found is None:
        abort(404)
    return render_template("catalogue/revision.html", service=service, revision=found, texts=SERVICE_TEXTS)


@bp.get("/services/translations")
def translations():
    _may("catalogue.manage")
    services, criteria = rules.translation_gaps()
    return render_template("catalogue/translations.html", services=services, criteria=criteria)


@bp.get("/criteria")
def criteria():
    _may("catalogue.manage")
    return render_template(
        "catalogue/criteria.html", criteria=rules.all_criteria(), usage=rules.criteria_usage()
    )


def _edit_criterion(criterion: Criterion | None):
    form = CriterionForm()
    if request.method == "GET" and criterion is not None:
        form.fill_texts(criterion.texts)
        form.position.data = criterion.position
    if form.validate_on_submit():
        saved, _criterion = run_rule(
            form,
            rules.save_criterion,
            current_user,
            criterion,
            texts=form.texts_data(),
            position=form.position.data or 0,
        )
        if saved:
            flash(_("The criterion has been saved."), "success")
            return redirect(url_for("catalogue.criteria"))
    return render_template(
        "catalogue/criterion_form.html",
        form=form,
        criterion=criterion,
        texts=CRITERION_TEXTS,
        languages=LANGUAGES,
    )


@bp.route("/criteria/new", methods=["GET", "POST"])
def create_criterion():
    _may("catalogue.manage")
    return _edit_criterion(None)


@bp.route("/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
def edit_criterion(criterion_id: int):
    _may("catalogue.manage")
    return _edit_criterion(db.get_or_404(Criterion, criterion_id))


# The eligibility guide. The answers travel in the body of POST requests only: never in an
# address (which access logs, browser history and Referer headers keep), never in a row or a log line.


@bp.route("/guide", methods=["GET", "POST"])
def eligibility_guide():
    _may("catalogue.use_guide")
    questions = rules.guide_questions()
    if request.method == "GET":
        return _guide_step(questions, {}, 0, None)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    answers = guide.read_answers(request.form, questions)
    move = guide.next_step(questions, answers, request.form.get("step"), request.form.get("action"))
    if move.step is None:
        language = request.form.get("sheet_language")
        if language in LANGUAGES:
            with force_locale(language):
                return _guide_result(questions, answers)
        return _guide_result(questions, answers)
    if move.restart:
        answers = {}
    error = _("Choose an answer: yes, no or don't know.") if move.unanswered else None
    return _guide_step(questions, answers, move.step, error)


def _guide_step(questions, answers, step, error):
    return render_template(
        "catalogue/guide_step.html",
        questions=questions,
        answers=answers,
        step=step,
        question=questions[step] if questions else None,
        error=error,
        field_name=guide.field_name,
    )


def _guide_result(questions, answers):
    language = current_language()  # the sheet's, when it is asked in another
    return render_template(
        "catalogue/guide_result.html",
        # Each question once, though the sheet names it for every service it concerns.
        question_texts={
            criterion.id: _localized(criterion.texts.get("question"), language) for criterion in questions
        },
        results=guide.evaluate(rules.guide_services(questions), answers),
        questions=questions,
        answers=answers,
        field_name=guide.field_name,
        form=ConfirmForm(),
        outcome_ask=Outcome.ASK,
        sheet_languages=LANGUAGES,
        now_label=format_date(utcnow(), "long"),
        texts=SHEET_TEXTS,
    )
