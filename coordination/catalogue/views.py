"""Routes of the catalogue: the services, their revisions and translations, the criteria, the guide."""

import functools

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from coordination.catalogue import bp, freshness, guide, rules
from coordination.catalogue.forms import LANGUAGE_LABELS, CriterionForm, document_choices, service_form
from coordination.catalogue.models import (
    ANSWER_LABELS,
    CRITERION_TEXTS,
    OUTCOME_LABELS,
    SERVICE_TEXTS,
    Criterion,
    Outcome,
)
from coordination.directory.freshness import AREA as DIRECTORY_AREA
from coordination.errors import PermissionDenied
from coordination.extensions import db
from coordination.forms import ConfirmForm, run_rule
from coordination.fragments import current_token, fragments
from coordination.i18n import current_language
from coordination.library.freshness import AREA as LIBRARY_AREA
from coordination.policy import can, require
from coordination.taxonomy import SERVICE_AREAS
from coordination.texts import LANGUAGES, localize
from coordination.timeutil import utcnow

bp.record_once(lambda _state: freshness.watch_catalogue_changes())


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


@bp.context_processor
def helpers():
    language = current_language()
    return {**_labels(language), "tr": lambda texts: localize(texts, language)}


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


# The list, a service's page and the guide's first question are the same for every reader of a
# language (organizers apart) until the catalogue changes (the area's token): they are kept as
# rendered fragments, keyed by language and by whether the reader is an organizer. CSRF tokens are
# filled in per session (see fragments.csrf_token).


@bp.get("/services")
def index():
    _may("catalogue.view")
    manager = can(current_user, "service.view_withdrawn")
    listing = fragments.get_or_render(
        freshness.AREA,
        ("list", current_language(), manager),
        lambda: render_template(
            "catalogue/_list.html",
            services=rules.all_services(),
            withdrawn=rules.all_services(withdrawn=True) if manager else [],
        ),
    )
    return render_template("catalogue/index.html", listing=listing)


@bp.get("/services/<int:service_id>")
def detail(service_id: int):
    _may("catalogue.view")
    language = current_language()
    # What organizers see apart (buttons, withdrawn services) needs no finer right than this one.
    manager = can(current_user, "service.view_withdrawn")
    page = fragments.get_or_render(
        freshness.AREA,
        ("service", service_id, language, manager),
        lambda: _render_service(service_id, manager),
    )
    if not page:
        abort(404)
    title = fragments.get_or_render(
        freshness.AREA, ("service-title", service_id, language), lambda: _service_title(service_id, language)
    )
    return render_template(
        "catalogue/detail.html",
        page=page.replace(DOCUMENTS_SLOT, _related_documents(service_id, language)),
        title=title,
    )


# Where the reader's related documents go in the kept service page.
DOCUMENTS_SLOT = "related-documents-slot-5c1e"


def _related_documents(service_id: int, language: str) -> Markup:
    """The linked documents the reader may see, and the other references, kept per reader.

    Which documents a reader sees depends on who they are (their organization, their role, what
    they uploaded) and on the documents: the key holds the reader, and the library's and the
    directory's tokens. An anonymous reader of a public catalogue sees no document.
    """
    reader = current_user._get_current_object()
    signed_in = reader.is_authenticated
    return fragments.get_or_render(
        freshness.AREA,
        (
            "service-documents",
            service_id,
            language,
            reader.id if signed_in else None,
            current_token(LIBRARY_AREA) if signed_in else None,
            current_token(DIRECTORY_AREA) if signed_in else None,
        ),
        lambda: render_template(
            "catalogue/_related_documents.html",
            service=rules.service_heading(service_id),
            documents=rules.documents_for_service(reader, service_id) if signed_in else [],
        ),
    )


def _render_service(service_id: int, manager: bool) -> str:
    service = rules.load_service(service_id)
    if service is None or (service.archived_at and not manager):
        return ""
    return render_template(
        "catalogue/_detail.html",
        service=service,
        texts=SERVICE_TEXTS,
        documents_slot=Markup(DOCUMENTS_SLOT),  # noqa: S704 - a constant
    )


def _service_title(service_id: int, language: str) -> str:
    service = rules.service_heading(service_id)
    return str(localize(service.texts.get("name"), language)) if service else ""


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
    if request.method == "GET":
        question = fragments.get_or_render(
            freshness.AREA,
            ("guide", current_language()),
            lambda: _render_question(guide.questions(rules.all_services()), {}, 0, None),
        )
        return render_template("catalogue/guide_step.html", question_html=question)
    services = rules.all_services()
    questions = guide.questions(services)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    answers = guide.read_answers(request.form, questions)
    move = guide.next_step(questions, answers, request.form.get("step"), request.form.get("action"))
    if move.step is None:
        language = request.form.get("sheet_language")
        if language in LANGUAGES:
            with force_locale(language):
                return _guide_result(services, questions, answers)
        return _guide_result(services, questions, answers)
    if move.restart:
        answers = {}
    error = _("Choose an answer: yes, no or don't know.") if move.unanswered else None
    return _guide_step(questions, answers, move.step, error)


def _render_question(questions, answers, step, error, **context) -> str:
    return render_template(
        "catalogue/_guide_question.html",
        questions=questions,
        answers=answers,
        step=step,
        question=questions[step] if questions else None,
        error=error,
        field_name=guide.field_name,
        **context,
    )


def _guide_step(questions, answers, step, error):
    question = _render_question(questions, answers, step, error)
    return render_template("catalogue/guide_step.html", question_html=Markup(question))  # noqa: S704 - rendered by Jinja


def _guide_result(services, questions, answers):
    return render_template(
        "catalogue/guide_result.html",
        results=guide.evaluate(services, answers),
        questions=questions,
        answers=answers,
        field_name=guide.field_name,
        form=ConfirmForm(),
        outcome_ask=Outcome.ASK,
        sheet_languages=LANGUAGES,
        now_label=format_date(utcnow(), "long"),
    )
