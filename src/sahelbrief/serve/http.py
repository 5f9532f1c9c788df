"""Request checks for the preview server, kept apart from the handler so each rule is a plain
function: which Host names are ours, and which file (if any) a URL path may serve."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

WILDCARDS = ("", "0.0.0.0", "::")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


@dataclass(frozen=True)
class Redirect:
    location: str


def host_name(host: str) -> str:
    """A bind address as it appears in a Host header ("::1" -> "[::1]")."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def host_allowed(header: str | None, bound_host: str, port: int) -> bool:
    """Whether a Host header names this server: a loopback name, the bound address, or (when bound
    to every interface) any IP address. A DNS name that resolves to us by rebinding is refused."""
    if not header:
        return False
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]") + 1
        name, rest = value[:end], value[end:]
    else:
        name, colon, after = value.partition(":")
        rest = colon + after
    # No port at all is only right for a server on port 80.
    given = "80" if not rest else rest[1:] if rest.startswith(":") else None
    if given != str(port) or not name:
        return False
    if name in LOOPBACK_NAMES or name == host_name(bound_host.lower()):
        return True
    return bound_host in WILDCARDS and _is_ip(name)


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    return True


def resolve(root: Path, url_path: str) -> Path | Redirect | None:
    """The file under `root` that `url_path` (still percent-encoded) names, a redirect to add the
    folder's trailing slash, or None: not found, or outside `root` once every symlink is followed.
    Decoded once only, so "%252e%252e" stays the literal name "%2e%2e"."""
    try:
        decoded = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = [part for part in decoded.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(real_root.joinpath(*parts)))
    if not real.is_relative_to(real_root):
        return None
    if real.is_dir():
        if not decoded.endswith("/"):
            return Redirect("/" + "".join(quote(part) + "/" for part in parts))
        real = Path(os.path.realpath(real / "index.html"))
        if not real.is_relative_to(real_root):
            return None
    elif decoded.endswith("/"):
        return None
    return real if real.is_file() else None
