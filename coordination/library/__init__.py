"""The shared library: collections, documents and their versions, search, comments, follows."""

from flask import Blueprint

bp = Blueprint("library", __name__)
