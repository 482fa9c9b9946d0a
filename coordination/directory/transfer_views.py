"""Routes for importing and exporting the directory (CSV and XLSX)."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from coordination.directory import bp, transfer
from coordination.directory.forms import KIND_LABELS, ConfirmImportForm, ImportForm
from coordination.errors import InvalidToken, ValidationFailed
from coordination.extensions import db
from coordination.forms import attach_error
from coordination.policy import require
from coordination.timeutil import utcnow


@bp.route("/directory/import", methods=["GET", "POST"])
@login_required
def import_file():
    require(current_user, "directory.import")
    # One address for the upload and its confirmation: the confirmation carries the kept file's token.
    if request.method == "POST" and "token" in request.form:
        return _confirm_import()
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read()
        try:
            plan = transfer.check_import(current_user, form.what.data, data)
        except ValidationFailed as error:
            attach_error(form, error)
        else:
            confirm_form = None
            if plan.valid:
                token = transfer.stash_file(current_user, plan.what, data)
                confirm_form = ConfirmImportForm(formdata=None, token=token, what=plan.what)
            return render_template(
                "directory/import_preview.html",
                plan=plan,
                filename=form.file.data.filename,
                confirm_form=confirm_form,
            )
    return render_template(
        "directory/import.html",
        form=form,
        columns=transfer.COLUMNS,
        required=transfer.REQUIRED_COLUMNS,
        max_rows=transfer.MAX_ROWS,
        kind_codes=list(KIND_LABELS),
        language_codes=transfer.LANGUAGES,
    )


def _confirm_import():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        flash(_("This import cannot be found: upload the file again."), "danger")
        return redirect(url_for("directory.import_file"))
    try:
        stashed = transfer.load_stashed_file(current_user, form.what.data, form.token.data)
    except InvalidToken as error:
        flash(str(error.message), "danger")
        return redirect(url_for("directory.import_file"))
    try:
        plan = transfer.import_file(current_user, stashed.what, stashed.data)
        db.session.commit()
    except ValidationFailed:
        db.session.rollback()
        transfer.discard_stashed_file(stashed)
        flash(
            _(
                "The directory changed since the preview and the file no longer passes the checks: "
                "nothing has been imported. Upload it again to see why."
            ),
            "danger",
        )
        return redirect(url_for("directory.import_file"))
    except IntegrityError:
        db.session.rollback()
        flash(
            _(
                "This conflicts with a record saved meanwhile: nothing has been imported. "
                "Upload the file again."
            ),
            "danger",
        )
        return redirect(url_for("directory.import_file"))
    transfer.discard_stashed_file(stashed)
    counts = plan.counts
    flash(
        _(
            "Import done: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.",
            created=counts["create"],
            updated=counts["update"],
            unchanged=counts["unchanged"],
        ),
        "success",
    )
    return redirect(url_for("directory.organizations", status="all"))


@bp.get("/directory/export/<what>.<fmt>")
@login_required
def export(what: str, fmt: str):
    require(current_user, "directory.export")
    if what not in transfer.COLUMNS or fmt not in transfer.FORMATS:
        abort(404)
    data = transfer.export_file(current_user, what, fmt)
    day = to_user_timezone(utcnow()).date().isoformat()
    response = Response(data, content_type=transfer.FORMATS[fmt])
    response.headers.set("Content-Disposition", "attachment", filename=f"roundtable-{what}-{day}.{fmt}")
    # The directory holds people's contact details: no copy in shared caches.
    response.headers["Cache-Control"] = "no-store"
    return response
