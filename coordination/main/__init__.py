"""Home page, health check, language choice and error pages."""

from flask import Blueprint

bp = Blueprint("main", __name__)
