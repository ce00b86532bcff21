"""The coded error every rule raises; the page maps the code to Russian text in cabinet.texts."""

from __future__ import annotations

# The field a refusal belongs to when it is about the whole form rather than one input.
FORM = "form"


class DomainError(Exception):
    """A rule refused the request.

    `code` keys texts.ERRORS and `params` fill its placeholders; `field` names the input the message
    goes next to (FORM for the form as a whole), so a State never guesses it from the code.
    """

    def __init__(self, code: str, *, field: str = FORM, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, field={self.field!r}, {self.params!r})"
