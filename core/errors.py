"""The one error type that domain services raise.

Views turn it into a form error or a message; the API turns it into a 4xx in the shared
error format. Its message is written for the person who will read it.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request the rules do not allow, with a message a person can act on."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotPermitted(DomainError):
    """The actor may not do this (HTTP 403)."""

    status_code = 403
    code = "permission_denied"


class Conflict(DomainError):
    """The object is not in a state that allows this (HTTP 409)."""

    status_code = 409
    code = "conflict"


class Invalid(DomainError):
    """Input the rules refuse, field by field (HTTP 400): ``fields`` maps each field to its
    messages, as a form's errors do, and the first message is the error's own. The API
    answers it as a validation error with ``fields``; a page puts each message on its field
    (``core.forms.RefusalForm``)."""

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(next(iter(fields.values()))[0], code="invalid")
        self.fields = fields
