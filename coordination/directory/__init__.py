"""The directory of participating organizations and their people."""

from flask import Blueprint

bp = Blueprint("directory", __name__)
