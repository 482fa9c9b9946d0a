"""Domain errors raised by the rules, mapped to HTTP answers or form errors in one place."""


class DomainError(Exception):
    """Base of the errors a rule raises on purpose; the message is shown to the user."""

    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The acting user may not do this (HTTP 403)."""


class NotFound(DomainError):
    """The record does not exist or is hidden from the acting user (HTTP 404)."""


class ValidationFailed(DomainError):
    """The input breaks a rule; `field` names the form field to attach the message to."""


class InvalidToken(DomainError):
    """A signed link is malformed, expired or already used."""
