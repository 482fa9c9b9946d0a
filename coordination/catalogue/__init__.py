"""The service catalogue: IOM's services with their eligibility criteria, revisions, and the guide."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__)
