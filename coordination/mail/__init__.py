"""Outgoing mail through the outbox."""

from flask import Blueprint

bp = Blueprint("mail", __name__)
