"""Feedback forms: build, invite, answer (named or anonymous), read the results, export."""

from flask import Blueprint

bp = Blueprint("feedback", __name__)
