"""Routes of two-step sign-in: the code after the password, enrolment, recovery codes, turning it off."""

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from coordination.auth import bp, second_factor, signin
from coordination.auth.second_factor_forms import (
    DisableSecondFactorForm,
    EnrolForm,
    RecoveryCodesForm,
    SecondStepForm,
)
from coordination.errors import ValidationFailed
from coordination.extensions import db, limiter
from coordination.forms import attach_error, run_rule

# What an organizer who must enrol can still reach: the enrolment itself, signing out, the language.
_REACHABLE_BEFORE_ENROLMENT = {
    "auth.second_factor",
    "auth.enable_second_factor",
    "auth.logout",
    "main.set_language",
    "main.healthz",
    "static",
}


@bp.before_app_request
def require_organizers_second_factor():
    """With ORGANIZER_SECOND_FACTOR_REQUIRED, an organizer without a second factor must enrol first."""
    if not current_app.config["ORGANIZER_SECOND_FACTOR_REQUIRED"]:
        return None
    if request.endpoint in _REACHABLE_BEFORE_ENROLMENT or not current_user.is_authenticated:
        return None
    if current_user.is_organizer and not second_factor.is_enrolled(current_user):
        flash(_("Organizers must turn on two-step sign-in before going further."), "warning")
        return redirect(url_for("auth.second_factor"))
    return None


@bp.app_template_global()
def second_factor_enrolled(user) -> bool:
    return second_factor.is_enrolled(user)


def _pending_account_key() -> str:
    user, _pending = signin.pending_user()
    return f"second-step:{user.id if user else 'none'}"


def _secret_page(template: str, **context):
    """A page that shows a secret (the key, recovery codes): no cache, on the way or in the browser."""
    response = make_response(render_template(template, **context))
    response.headers["Cache-Control"] = "no-store"
    return response


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed)
@limiter.limit(
    lambda: current_app.config["SECOND_STEP_LIMIT_PER_ACCOUNT"],
    key_func=_pending_account_key,
    methods=["POST"],
    deduct_when=_failed,
)
def second_step():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user, pending = signin.pending_user()
    if user is None:
        flash(_("Sign in again: the time to type the code has run out."), "info")
        return redirect(url_for("auth.login"))
    form = SecondStepForm()
    if form.validate_on_submit():
        try:
            second_factor.check_second_step(user, form.code.data)
        except ValidationFailed as error:
            db.session.commit()  # keeps the audit of the failed attempt
            attach_error(form, error)
        else:
            return signin.finish_sign_in(user, pending["remember"], pending["next"])
    form.code.data = ""
    return render_template("auth/second_factor_step.html", form=form)


@bp.get("/profile/two-step", endpoint="second_factor")
@login_required
def two_step_page():
    if second_factor_enrolled(current_user):
        return _managed_page()
    return _enrolment_page(EnrolForm())


def _enrolment_page(form: EnrolForm):
    factor = second_factor.start_enrolment(current_user)
    db.session.commit()
    uri = second_factor.provisioning_uri(current_user, factor)
    secret = second_factor.secret_of(factor)
    return _secret_page(
        "auth/second_factor_enrol.html",
        form=form,
        qr_code=second_factor.qr_code_svg(uri),
        # In groups of four, as the apps show and people type them.
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )


@bp.post("/profile/two-step/enable")
@login_required
def enable_second_factor():
    form = EnrolForm()
    if form.validate_on_submit():
        done, codes = run_rule(form, second_factor.confirm_enrolment, current_user, form.code.data)
        if done:
            flash(_("Two-step sign-in is on."), "success")
            return _secret_page("auth/second_factor_codes.html", codes=codes)
    if second_factor_enrolled(current_user):
        return redirect(url_for("auth.second_factor"))
    form.code.data = ""
    return _enrolment_page(form)


@bp.post("/profile/two-step/recovery-codes")
@login_required
def renew_recovery_codes():
    form = RecoveryCodesForm()
    if form.validate_on_submit():
        done, codes = run_rule(form, second_factor.regenerate_recovery_codes, current_user, form.code.data)
        if done:
            flash(_("Your new recovery codes replace the old ones."), "success")
            return _secret_page("auth/second_factor_codes.html", codes=codes)
    return _managed_page(codes_form=form)


@bp.post("/profile/two-step/disable")
@login_required
def disable_second_factor():
    form = DisableSecondFactorForm()
    if form.validate_on_submit():
        done, _result = run_rule(
            form, second_factor.disable, current_user, form.password.data, form.code.data
        )
        if done:
            flash(_("Two-step sign-in is off."), "success")
            return redirect(url_for("auth.profile"))
    return _managed_page(disable_form=form)


def _managed_page(codes_form=None, disable_form=None):
    """The page of an enrolled user; a form given back keeps its errors but not the codes typed."""
    if not second_factor_enrolled(current_user):
        return redirect(url_for("auth.second_factor"))
    for form in (codes_form, disable_form):
        if form is not None:
            form.code.data = ""
    return render_template(
        "auth/second_factor.html",
        factor=second_factor.factor_of(current_user),
        codes_left=second_factor.unused_recovery_codes(current_user),
        codes_form=codes_form or RecoveryCodesForm(),
        disable_form=disable_form or DisableSecondFactorForm(),
    )
