"""Suggestions for areas of intervention: proposed by members, supported, discussed and triaged."""

from flask import Blueprint

bp = Blueprint("suggestions", __name__)
