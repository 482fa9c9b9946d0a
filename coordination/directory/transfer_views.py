"""Routes for importing and exporting the directory (CSV and XLSX)."""

from flask import abort
from flask_login import current_user, login_required

from coordination.directory import bp
from coordination.permissions import require


@bp.route("/directory/import", methods=["GET", "POST"])
@login_required
def import_file():
    require(current_user, "directory.import")
    abort(404)


@bp.get("/directory/export/<what>.<fmt>")
@login_required
def export(what: str, fmt: str):
    require(current_user, "directory.export")
    abort(404)
