"""Routes of the feedback area: build forms, answer them, read and export the results."""

import json

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from coordination import i18n
from coordination.directory.forms import KIND_LABELS
from coordination.directory.models import Organization
from coordination.errors import ValidationFailed
from coordination.extensions import db
from coordination.feedback import anonymity, audience, bp, export, invitations, results, rules
from coordination.feedback import answers as rules_answers
from coordination.feedback.forms import KIND_NAMES, CopyForm, FeedbackFormForm, ImportForm, QuestionForm
from coordination.feedback.models import (
    CODED_KINDS,
    FeedbackForm,
    FeedbackQuestion,
    OnePer,
    QuestionKind,
)
from coordination.forms import ConfirmForm, run_rule
from coordination.inputs import JSONRefused, arg_int, load_json, page_number
from coordination.policy import can, require
from coordination.roundtables.models import Roundtable, RoundtableStatus
from coordination.taxonomy import SERVICE_AREAS
from coordination.timeutil import utcnow

STATE_NAMES = {
    "draft": _l("Draft"),
    "scheduled": _l("Not open yet"),
    "open": _l("Open"),
    "closed": _l("Closed"),
}


@bp.context_processor
def vocabularies():
    return {
        "kind_names": KIND_NAMES,
        "state_names": STATE_NAMES,
        "service_area_names": SERVICE_AREAS,
        "organization_kinds": KIND_LABELS,
        "now": utcnow(),
        "min_group": anonymity.MIN_GROUP,
    }


def _form(form_id: int) -> FeedbackForm:
    form = db.session.scalar(
        select(FeedbackForm)
        .where(FeedbackForm.id == form_id)
        .options(selectinload(FeedbackForm.questions).selectinload(FeedbackQuestion.options))
    )
    if form is None or not can(current_user, "feedback_form.view", form):
        abort(404)
    return form


def _question(question_id: int) -> FeedbackQuestion:
    question = db.get_or_404(FeedbackQuestion, question_id)
    if not can(current_user, "feedback_form.view", question.form):
        abort(404)
    require(current_user, "feedback_form.manage", question.form)
    return question


def _roundtable_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Roundtable.id, Roundtable.title, Roundtable.starts_at)
        .where(Roundtable.status != RoundtableStatus.CANCELLED)
        .order_by(Roundtable.starts_at.desc())
        .limit(200)
    )
    return [(row.id, f"{row.title} ({row.starts_at:%Y-%m-%d})") for row in rows]


def _organization_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Organization.id, Organization.name)
        .where(Organization.active.is_(True))
        .order_by(Organization.name)
    )
    return [(row.id, row.name) for row in rows]


def _translations(form, names: tuple[str, ...]) -> dict:
    """The "<name>_<language>" fields of a WTForms form as {language: {name: text}}."""
    return {
        language: {name: getattr(form, f"{name}_{language}").data for name in names}
        for language in rules.LANGUAGES
    }


def _fill_translations(form, record, names: tuple[str, ...]) -> None:
    for language in rules.LANGUAGES:
        for name in names:
            getattr(form, f"{name}_{language}").data = (record.translations or {}).get(language, {}).get(name)


def _form_fields(form: FeedbackFormForm) -> dict:
    fields = {name: getattr(form, name).data for name in rules.FORM_FIELDS if name != "translations"}
    fields["organization_ids"] = form.organization_ids.data or []
    fields["translations"] = _translations(form, rules.FORM_TEXTS)
    return fields


@bp.get("/feedback")
@login_required
def index():
    if can(current_user, "feedback.create"):
        page = db.paginate(
            select(FeedbackForm)
            .options(selectinload(FeedbackForm.roundtable))
            .order_by(FeedbackForm.created_at.desc(), FeedbackForm.id.desc()),
            per_page=25,
            error_out=False,
        )
        return render_template("feedback/index.html", page=page)
    forms = db.session.scalars(
        audience.forms_for(current_user)
        .options(selectinload(FeedbackForm.roundtable))
        .order_by(FeedbackForm.closes_at.desc().nullsfirst(), FeedbackForm.id.desc())
        .limit(200)
    ).all()
    answered = rules_answers.answered_forms(current_user, [form.id for form in forms])
    return render_template("feedback/mine.html", forms=forms, answered=answered)


@bp.route("/feedback/new", methods=["GET", "POST"])
@login_required
def create():
    require(current_user, "feedback.create")
    form = FeedbackFormForm(roundtables=_roundtable_choices(), organizations=_organization_choices())
    if not form.is_submitted() and arg_int("roundtable") is not None:
        form.roundtable_id.data = arg_int("roundtable")
        form.audience.data = "attendees"
    if form.validate_on_submit():
        saved, created = run_rule(form, rules.create_form, current_user, **_form_fields(form))
        if saved:
            flash(_("The form has been saved as a draft. Add its questions, then publish it."), "success")
            return redirect(url_for("feedback.manage", form_id=created.id))
    return render_template("feedback/settings.html", form=form, feedback_form=None)


@bp.get("/feedback/<int:form_id>")
@login_required
def manage(form_id: int):
    feedback_form = _form(form_id)
    if not can(current_user, "feedback_form.manage", feedback_form):
        return redirect(url_for("feedback.answer", form_id=form_id))
    answered = rules.answered_questions(feedback_form)
    return render_template(
        "feedback/manage.html",
        feedback_form=feedback_form,
        confirm_form=ConfirmForm(),
        answered=answered,
        has_responses=bool(answered) or rules.has_responses(feedback_form),
        zone=rules.timezone_of(feedback_form),
    )


@bp.route("/feedback/<int:form_id>/edit", methods=["GET", "POST"])
@login_required
def edit(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.manage", feedback_form)
    form = FeedbackFormForm(
        obj=feedback_form, roundtables=_roundtable_choices(), organizations=_organization_choices()
    )
    zone = rules.timezone_of(feedback_form)
    if not form.is_submitted():
        form.organization_ids.data = [organization.id for organization in feedback_form.organizations]
        _fill_translations(form, feedback_form, rules.FORM_TEXTS)
        form.opens_at.data = rules.to_local(feedback_form.opens_at, zone)
        form.closes_at.data = rules.to_local(feedback_form.closes_at, zone)
    if (
        form.validate_on_submit()
        and run_rule(form, rules.update_form, current_user, feedback_form, **_form_fields(form))[0]
    ):
        flash(_("The form has been saved."), "success")
        return redirect(url_for("feedback.manage", form_id=feedback_form.id))
    return render_template("feedback/settings.html", form=form, feedback_form=feedback_form)


def _one_step(feedback_form: FeedbackForm, rule, success: str, *args):
    """Run a one-button rule; its refusal is flashed. Returns what the rule returned, or None."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = rule(current_user, feedback_form, *args)
        db.session.commit()
    except ValidationFailed as error:
        db.session.rollback()
        flash(str(error.message), "danger")
        return None
    flash(success if not callable(success) else success(result), "success")
    return result


@bp.post("/feedback/<int:form_id>/publish")
@login_required
def publish(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.manage", feedback_form)
    _one_step(feedback_form, rules.publish_form, _("The form is published: its audience can answer it."))
    return redirect(url_for("feedback.manage", form_id=form_id))


@bp.post("/feedback/<int:form_id>/invite")
@login_required
def invite(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.manage", feedback_form)
    _one_step(
        feedback_form,
        invitations.invite_audience,
        lambda sent: ngettext(
            "%(num)d person has been invited.", "%(num)d people have been invited.", len(sent)
        ),
    )
    return redirect(url_for("feedback.manage", form_id=form_id))


@bp.post("/feedback/<int:form_id>/remind")
@login_required
def remind(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.manage", feedback_form)
    _one_step(
        feedback_form,
        invitations.remind_non_respondents,
        lambda sent: ngettext(
            "%(num)d person who has not answered has been reminded.",
            "%(num)d people who have not answered have been reminded.",
            len(sent),
        ),
    )
    return redirect(url_for("feedback.results_page", form_id=form_id))


@bp.route("/feedback/<int:form_id>/copy", methods=["GET", "POST"])
@login_required
def copy(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.manage", feedback_form)
    form = CopyForm(roundtables=_roundtable_choices())
    if form.validate_on_submit():
        roundtable = db.session.get(Roundtable, form.roundtable_id.data) if form.roundtable_id.data else None
        saved, created = run_rule(form, rules.copy_form, current_user, feedback_form, roundtable)
        if saved:
            flash(_("The form has been copied as a new draft."), "success")
            return redirect(url_for("feedback.manage", form_id=created.id))
    return render_template("feedback/copy.html", form=form, feedback_form=feedback_form)


@bp.get("/feedback/<int:form_id>/export.json")
@login_required
def export_json(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.manage", feedback_form)
    body = json.dumps(rules.to_json(feedback_form), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="feedback-form-{form_id}.json"'},
    )


@bp.route("/feedback/import", methods=["GET", "POST"])
@login_required
def import_form():
    require(current_user, "feedback.create")
    form = ImportForm()
    if form.validate_on_submit():
        try:
            data = load_json(form.file.data.read(2_000_000).decode("utf-8"))
        except (JSONRefused, UnicodeDecodeError):
            data = None
        saved, created = run_rule(form, rules.from_json, current_user, data)
        if saved:
            flash(_("The form has been imported as a new draft."), "success")
            return redirect(url_for("feedback.manage", form_id=created.id))
    return render_template("feedback/import.html", form=form)


def _conditions(feedback_form: FeedbackForm, before: int | None) -> list[tuple[str, str]]:
    """Choices of the "show this question" list: each answer of each earlier coded question."""
    choices = []
    language = i18n.current_language()
    words = _answer_words()
    for question in feedback_form.questions:
        if before is not None and question.position >= before:
            break
        if question.kind not in CODED_KINDS:
            continue
        for code, label in results.labels_for(question, language, words):
            choices.append(
                (
                    f"{question.id}:{code}",
                    _("Only if “%(question)s” is %(answer)s", question=question.label, answer=label),
                )
            )
    return choices


def _question_fields(form: QuestionForm) -> dict:
    return {name: getattr(form, name).data for name in rules.QUESTION_FIELDS if name != "translations"} | {
        "condition": form.condition.data or None,
        "translations": _translations(form, rules.QUESTION_TEXTS),
    }


@bp.route("/feedback/<int:form_id>/questions/new", methods=["GET", "POST"])
@login_required
def add_question(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.manage", feedback_form)
    form = QuestionForm(conditions=_conditions(feedback_form, None))
    if form.validate_on_submit():
        options = (form.options.data or "").splitlines()
        saved, _question_added = run_rule(
            form, rules.add_question, current_user, feedback_form, kind=form.kind.data, options=options,
            **_question_fields(form),
        )  # fmt: skip
        if saved:
            flash(_("The question has been added."), "success")
            return redirect(url_for("feedback.manage", form_id=form_id) + "#questions")
    return render_template("feedback/question.html", form=form, feedback_form=feedback_form, question=None)


@bp.route("/feedback/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(question_id: int):
    question = _question(question_id)
    feedback_form = question.form
    form = QuestionForm(obj=question, conditions=_conditions(feedback_form, question.position))
    if not form.is_submitted():
        form.options.data = ""
        _fill_translations(form, question, rules.QUESTION_TEXTS)
        if question.condition_question_id:
            form.condition.data = f"{question.condition_question_id}:{question.condition_value}"
    form.kind.data = question.kind  # the type of a question never changes
    form.options.label.text = _("More options")
    option_labels = {
        option.code: {
            language: request.form.get(f"option-{option.code}-{language}", "")
            for language in ("en", "fr", "ar")
        }
        for option in question.options
    } if form.is_submitted() else None  # fmt: skip
    if form.validate_on_submit():
        saved, _changed = run_rule(
            form, rules.update_question, current_user, question, option_labels=option_labels,
            new_options=(form.options.data or "").splitlines(), **_question_fields(form),
        )  # fmt: skip
        if saved:
            flash(_("The question has been saved."), "success")
            return redirect(url_for("feedback.manage", form_id=feedback_form.id) + "#questions")
    return render_template(
        "feedback/question.html",
        form=form,
        feedback_form=feedback_form,
        question=question,
        option_labels=option_labels,
    )


@bp.route("/feedback/questions/<int:question_id>/delete", methods=["GET", "POST"])
@login_required
def delete_question(question_id: int):
    question = _question(question_id)
    feedback_form = question.form
    form = ConfirmForm()
    if form.validate_on_submit() and run_rule(form, rules.delete_question, current_user, question)[0]:
        flash(_("The question has been deleted."), "success")
        return redirect(url_for("feedback.manage", form_id=feedback_form.id) + "#questions")
    return render_template(
        "feedback/delete_question.html",
        form=form,
        question=question,
        feedback_form=feedback_form,
        has_answers=rules.question_has_answers(question),
    )


@bp.post("/feedback/questions/<int:question_id>/hide")
@login_required
def hide_question(question_id: int):
    question = _question(question_id)
    hidden = request.form.get("hidden") != "0"
    if ConfirmForm().validate_on_submit():
        rules.set_question_hidden(current_user, question, hidden)
        db.session.commit()
        flash(
            _("The question is hidden; its answers are kept.")
            if hidden
            else _("The question is shown again."),
            "success",
        )
    return redirect(url_for("feedback.manage", form_id=question.form_id) + "#questions")


@bp.post("/feedback/questions/<int:question_id>/move/<any(up, down):direction>")
@login_required
def move_question(question_id: int, direction: str):
    question = _question(question_id)
    if ConfirmForm().validate_on_submit():
        try:
            rules.move_question(current_user, question, -1 if direction == "up" else 1)
            db.session.commit()
        except ValidationFailed as error:
            db.session.rollback()
            flash(str(error.message), "danger")
    return redirect(url_for("feedback.manage", form_id=question.form_id) + "#questions")


def _answer_words() -> dict:
    return {"yes": _("Yes"), "no": _("No")}


def _session_key(feedback_form: FeedbackForm) -> str:
    return f"feedback-draft-{feedback_form.id}"


@bp.get("/feedback/<int:form_id>/preview")
@login_required
def preview(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.manage", feedback_form)
    return render_template(
        "feedback/answer.html",
        feedback_form=feedback_form,
        raw={},
        errors={},
        preview=True,
        confirm_form=ConfirmForm(),
        words=_answer_words(),
        language=i18n.current_language(),
        zone=rules.timezone_of(feedback_form),
        editing=False,
    )


@bp.route("/feedback/<int:form_id>/answer", methods=["GET", "POST"])
@login_required
def answer(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.answer", feedback_form)
    zone = rules.timezone_of(feedback_form)
    state = feedback_form.state(utcnow())
    respondent = rules_answers.respondent_of(feedback_form, current_user)
    editing = rules_answers.may_edit(feedback_form, respondent, current_user)
    page = {
        "feedback_form": feedback_form,
        "zone": zone,
        "state": state,
        "respondent": respondent,
        "editing": editing,
        "confirm_form": ConfirmForm(),
        "words": _answer_words(),
        "language": i18n.current_language(),
        "preview": False,
    }
    if state != "open" or (respondent is not None and not editing):
        return render_template("feedback/unavailable.html", **page)
    errors: dict = {}
    form_error = None
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        raw = rules_answers.raw_answers(feedback_form, request.form)
        if request.form.get("action") == "draft":
            form_error = _save_draft(feedback_form, raw)
            if form_error is None:
                flash(
                    _("Your draft has been saved. Come back to finish it before the form closes."), "success"
                )
                return redirect(url_for("feedback.answer", form_id=form_id))
        else:
            rule = rules_answers.edit_response if editing else rules_answers.submit_response
            try:
                rule(current_user, feedback_form, raw)
                db.session.commit()
            except rules_answers.AnswersInvalid as error:
                db.session.rollback()
                errors = error.checked.errors
                form_error = str(error.message)
            except ValidationFailed as error:
                db.session.rollback()
                form_error = str(error.message)
            except IntegrityError:
                db.session.rollback()
                form_error = _already_answered(feedback_form)
            else:
                session.pop(_session_key(feedback_form), None)
                flash(
                    _("Your changes have been saved. Thank you.")
                    if editing
                    else _("Thank you: your response has been received."),
                    "success",
                )
                return redirect(url_for("feedback.answer", form_id=form_id))
    elif editing:
        raw = rules_answers.existing_answers(respondent.response)
    elif feedback_form.anonymous:
        raw = session.get(_session_key(feedback_form)) or {}
    else:
        draft = rules_answers.draft_of(feedback_form, current_user)
        raw = draft.data if draft is not None else {}
        page["draft"] = draft
    return render_template("feedback/answer.html", raw=raw, errors=errors, form_error=form_error, **page)


def _already_answered(feedback_form: FeedbackForm) -> str:
    if feedback_form.one_per == OnePer.ORGANIZATION:
        return _(
            "Your organization has already answered this form: only one response per organization is kept."
        )
    return _("You have already answered this form: only one response per person is kept.")


def _save_draft(feedback_form: FeedbackForm, raw: dict) -> str | None:
    """Keep the answers for later; returns a message when they could not be kept."""
    if feedback_form.anonymous:
        if not rules_answers.session_draft_fits(raw):
            return _("This draft is too long to be kept without linking it to you. Submit it, or shorten it.")
        session[_session_key(feedback_form)] = raw
        return None
    try:
        rules_answers.save_draft(current_user, feedback_form, raw)
        db.session.commit()
    except ValidationFailed as error:
        db.session.rollback()
        return str(error.message)
    return None


def _filters(feedback_form: FeedbackForm) -> results.Filters:
    kind = request.args.get("kind") or None
    return results.Filters(
        kind=kind if kind in KIND_LABELS else None,
        organization_id=None if feedback_form.anonymous else arg_int("organization"),
    )


@bp.get("/feedback/<int:form_id>/results")
@login_required
def results_page(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.view_results", feedback_form)
    filters = _filters(feedback_form)
    computed = results.compute(feedback_form, filters, i18n.current_language(), _answer_words())
    rate, pending, pending_total = results.reach(feedback_form)
    return render_template(
        "feedback/results.html",
        feedback_form=feedback_form,
        results=computed,
        filters=filters,
        rate=rate,
        pending=pending,
        pending_total=pending_total,
        organizations=results.responding_organizations(feedback_form),
        waiting=anonymity.pending_count(feedback_form) if feedback_form.anonymous else 0,
        confirm_form=ConfirmForm(),
        zone=rules.timezone_of(feedback_form),
    )


@bp.get("/feedback/questions/<int:question_id>/answers")
@login_required
def text_answers(question_id: int):
    question = db.get_or_404(FeedbackQuestion, question_id)
    if not can(current_user, "feedback_form.view", question.form):
        abort(404)
    require(current_user, "feedback_form.view_results", question.form)
    if question.kind not in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        abort(404)
    search = (request.args.get("q") or "").strip()[:200] or None
    page = results.text_answers(question, search, page_number())
    if question.form.anonymous and results.released_count(question.form) < anonymity.MIN_GROUP:
        # Responses of before the release rule, fewer than MIN_GROUP: shown, they would point at people.
        page.items, page.total = [], 0
    return render_template("feedback/text_answers.html", question=question, page=page, search=search)


def _export_words() -> dict:
    return {
        "response": _("Response"),
        "submitted_on": _("Submitted on"),
        "organization_kind": _("Kind of organization"),
        "person": _("Person"),
        "email": _("Email"),
        "organization": _("Organization"),
        "code": _("code"),
        "label": _("label"),
        "sheet": _("Responses"),
        "kinds": {kind: str(label) for kind, label in KIND_LABELS.items()},
        "service_areas": {code: str(label) for code, label in SERVICE_AREAS.items()},
        **_answer_words(),
    }


@bp.get("/feedback/<int:form_id>/export.csv")
@login_required
def export_csv(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.view_results", feedback_form)
    language, words = i18n.current_language(), _export_words()
    app = current_app._get_current_object()

    first = export.csv_header(feedback_form, words)

    def lines():
        yield first
        # The rows in an application context (and so a session) of their own, as the body is read.
        with app.app_context():
            yield from export.csv_lines(db.session.get(FeedbackForm, form_id), language, words)

    return Response(
        lines(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="feedback-{form_id}-responses.csv"'},
    )


@bp.get("/feedback/<int:form_id>/export.xlsx")
@login_required
def export_xlsx(form_id: int):
    feedback_form = _form(form_id)
    require(current_user, "feedback_form.view_results", feedback_form)
    handle = export.xlsx_file(feedback_form, i18n.current_language(), _export_words())
    return send_file(
        handle,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"feedback-{form_id}-responses.xlsx",
        max_age=0,
    )
