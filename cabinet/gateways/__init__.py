"""Thin adapters to external services; the only modules that import their SDKs."""

from __future__ import annotations


class GatewayError(Exception):
    """An external service did not do what was asked.

    kind: "timeout" (no answer in time), "unavailable" (5xx, 429, connection refused: try
    later), "rejected" (4xx: the request itself was refused), "not_found".
    """

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
