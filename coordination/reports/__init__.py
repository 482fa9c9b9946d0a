"""Reports: the organizers' engagement dashboard and each organization's own record."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
