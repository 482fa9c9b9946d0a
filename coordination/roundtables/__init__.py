"""Roundtables: scheduling, agenda, invitations, registrations, the day, minutes, commitments."""

from flask import Blueprint

bp = Blueprint("roundtables", __name__)
