"""Routes of the accounts area: sign in and out, invitations, resets, profile."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from coordination.auth import bp, rules, second_factor, signin
from coordination.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    SetPasswordForm,
)
from coordination.auth.session import start_session
from coordination.errors import ValidationFailed
from coordination.extensions import db, limiter
from coordination.forms import attach_error
from coordination.mail.outbox import queue_after_response


def _account_and_address_key() -> str:
    # Never the account alone: every address is in the directory, so anyone could lock anyone out.
    email = rules.normalize_email(request.form.get("email", ""))
    return f"login-account:{email}|{get_remote_address()}"


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], methods=["POST"], deduct_when=_failed)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS"],
    key_func=_account_and_address_key,
    methods=["POST"],
    deduct_when=_failed,
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = rules.authenticate(form.email.data, form.password.data)
        if user is not None:
            if second_factor.is_enrolled(user):
                return signin.ask_for_second_step(user, form.remember.data, request.args.get("next"))
            return signin.finish_sign_in(user, form.remember.data, request.args.get("next"))
        rules.record_failed_login(form.email.data)
        db.session.commit()
        form.password.errors.append(_("The email address or password is not correct."))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    rules.end_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user_id = rules.request_password_reset(form.email.data)
        db.session.commit()
        queue_after_response(lambda: rules.send_reset_link(user_id))
        # The same answer, after the same work, whether or not the address has an account.
        flash(
            _("If an account uses this address, we have sent it a link to choose a new password."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = rules.load_token(token, rules.RESET)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            rules.reset_password(user, form.password.data)
        except ValidationFailed as error:
            attach_error(form, error)
        else:
            db.session.commit()
            logout_user()
            flash(_("Your password has been changed. You can sign in with it now."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user, purpose="reset")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    user = rules.load_token(token, rules.INVITATION)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            rules.accept_invitation(user, form.password.data)
        except ValidationFailed as error:
            attach_error(form, error)
        else:
            rules.record_login(user)
            db.session.commit()
            start_session(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/set_password.html", form=form, user=user, purpose="invitation")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        rules.update_profile(
            current_user,
            name=form.name.data,
            position=form.position.data,
            phone=form.phone.data,
            preferred_language=form.preferred_language.data,
        )
        db.session.commit()
        session["language"] = current_user.preferred_language
        flash(_("Your profile has been saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, password_form=ChangePasswordForm())


@bp.post("/profile/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            rules.change_password(current_user, form.current_password.data, form.password.data)
        except ValidationFailed as error:
            attach_error(form, error)
        else:
            db.session.commit()
            login_user(
                current_user._get_current_object()
            )  # the new stamp would otherwise sign this session out too
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=ProfileForm(obj=current_user), password_form=form)
