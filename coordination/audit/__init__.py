"""The audit log of who did what."""

from flask import Blueprint

bp = Blueprint("audit", __name__)
