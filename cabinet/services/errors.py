"""The coded error every service raises; pages map the code to Russian text in cabinet.texts."""

from __future__ import annotations


class DomainError(Exception):
    """A rule refused the request. `code` keys texts.ERRORS; `params` fill its placeholders."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.params!r})"
