"""The resident's own address behind trusted proxies (TRUSTED_PROXIES); the peer's otherwise."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from cabinet.config import Settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_SCHEMES = {"http": {"http": "http", "https": "https"}, "websocket": {"http": "ws", "https": "wss"}}


def parse_address(text: str) -> Address | None:
    """An address as proxies write it: bare, `[v6]`, `[v6]:port` or `v4:port`; None for anything else."""
    text, port = text.strip(), ""
    if text.startswith("["):
        text, _, rest = text[1:].partition("]")
        if rest:
            port = rest.removeprefix(":") if rest.startswith(":") else "bad"
    elif text.count(":") == 1:
        text, _, port = text.partition(":")
    if port and not (port.isascii() and port.isdigit()):
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def forwarded_client(forwarded_for: str, networks: Sequence[Network]) -> str | None:
    """The resident's address in X-Forwarded-For as received from a trusted peer; None: the peer itself.

    Each proxy appends the address it was called from, so read from the right: every trusted hop
    vouches for the entry to its left, and the first untrusted one is the resident. Anything left
    of it was written by the resident and is ignored.
    """
    client = None
    for hop in reversed(forwarded_for.split(",")):
        address = parse_address(hop)
        if address is None:
            # A trusted proxy wrote something unreadable: nobody vouches for what lies beyond it.
            break
        client = str(address)
        if not _trusted(address, networks):
            break
    return client


def _header(scope: Scope, name: bytes) -> str:
    """Every value of one header, joined as if sent once (a proxy may add its own line)."""
    return ",".join(value.decode("latin-1") for key, value in scope.get("headers", ()) if key.lower() == name)


def _forwarded_scheme(scope: Scope) -> str | None:
    # The rightmost value is the one our trusted peer set; one a resident sent sits left of it.
    value = _header(scope, b"x-forwarded-proto").rpartition(",")[2].strip().lower()
    return _SCHEMES[scope["type"]].get(value)


def trust_proxies(settings: Settings) -> Callable[[ASGIApp], ASGIApp]:
    """Outermost ASGI middleware: scope["client"] and scope["scheme"] as the resident's, from trusted proxies only.

    Reflex reads a socket's `router.session.client_ip` from the same scope, so the states see it too.
    """
    networks = [ipaddress.ip_network(network, strict=False) for network in settings.trusted_proxies]

    def wrap(app: ASGIApp) -> ASGIApp:
        if not networks:
            return app

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            client = scope.get("client")
            peer = parse_address(str(client[0])) if client else None
            # Only a trusted peer's headers count: anyone else could name any address they like.
            if scope["type"] in _SCHEMES and peer is not None and _trusted(peer, networks):
                scope = _as_forwarded(scope, networks)
            await app(scope, receive, send)

        return middleware

    return wrap


def _as_forwarded(scope: Scope, networks: Sequence[Network]) -> Scope:
    """A copy of the scope with the resident's address and scheme; the server's own is left untouched."""
    scope = dict(scope)
    resident = forwarded_client(_header(scope, b"x-forwarded-for"), networks)
    if resident is not None:
        # The resident's port is not forwarded; 0 says so rather than pass the proxy's off as theirs.
        scope["client"] = (resident, 0)
    scheme = _forwarded_scheme(scope)
    if scheme is not None:
        scope["scheme"] = scheme
    return scope
