"""Announcements: news posted by organizers, optionally mailed to members, listed and in an Atom feed."""

from flask import Blueprint

bp = Blueprint("announcements", __name__)
