"""URL images on a server reachable from elsewhere: never from this machine's own network.

A client that may name any URL could otherwise make the server fetch (and show it, as OCR text)
what only the server can reach: a cloud metadata service (169.254.169.254), a router's page,
localhost admin ports. When the server listens beyond loopback, a URL whose host resolves to a
loopback, link-local, private, shared, multicast, reserved or unspecified address is refused,
before the request and at every redirect (``core.download.fetch(check_url=...)``), unless
``--allow-private-urls``. The check resolves the name itself; a DNS answer that changes between the
check and the connection (rebinding) is not caught.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from ..core.errors import DownloadFailed


def public_only(url: str) -> None:
    """DownloadFailed unless every address ``url``'s host resolves to is a public one."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        raise DownloadFailed("the URL names no host", source=url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise DownloadFailed(f"cannot resolve the URL's host ({exc})", source=url) from None
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        mapped = getattr(addr, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
        target = mapped or addr
        if not target.is_global or target.is_multicast:
            raise DownloadFailed(f"the URL's host is a private or local address ({addr}); this server "
                                 "does not fetch those (see --allow-private-urls)", source=url)
