"""Home page, health check and the language bar."""

from urllib.parse import urlsplit

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from coordination.announcements.rules import latest_announcements
from coordination.extensions import db
from coordination.main import bp, home
from coordination.texts import localize
from coordination.timeutil import utcnow
from coordination.urls import safe_next


@bp.get("/")
@login_required
def index():
    user = current_user._get_current_object()
    now = utcnow()
    return render_template(
        "main/index.html",
        upcoming=home.upcoming_roundtables(user, now),
        forms=home.forms_awaiting(user, now),
        commitments=home.commitments_due(user, now.date()),
        documents=home.new_documents(user, now),
        suggestions=home.answered_suggestions(user),
        announcements=latest_announcements(user, limit=3),
        localize=localize,
        today=now.date(),
    )


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        current_app.logger.warning("health check: database unreachable: %s", exc)
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.post("/language")
def set_language():
    language = request.form.get("language", "")
    if language in current_app.config["LANGUAGES"]:
        session["language"] = language
        if current_user.is_authenticated and current_user.preferred_language != language:
            current_user.preferred_language = language
            db.session.commit()
    back = request.form.get("next") or _same_site_path(request.referrer)
    return redirect(safe_next(back) or url_for("main.index"))


def _same_site_path(url: str | None) -> str | None:
    """The path and query of `url` if it points at this site (the page the language bar was on)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc != request.host:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")
