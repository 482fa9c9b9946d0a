"""Accounts: sign-in, invitations, password resets and the profile."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
