"""Helpers for the preview tests: a project to serve, raw HTTP, and the reload channel."""

from __future__ import annotations

import http.client
import json
from pathlib import Path
from typing import Any

ARTICLE = """---
title: Niger reopens the Benin border
date: 2026-11-20
summary: Trucks cross again at Malanville.
---

The first convoy crossed at dawn, {marker}.
"""
BROKEN = """---
title: [Niger reopens the Benin border
date: 2026-11-20
---

The first convoy crossed at dawn.
"""


def make_project(root: Path, marker: str = "first version") -> Path:
    (root / "content").mkdir(parents=True)
    (root / "content" / "niger-border.md").write_text(ARTICLE.format(marker=marker))
    (root / "sahelbrief.yaml").write_text("title: Test Brief\n")
    return root


class Client:
    """Real HTTP against the preview, with the request path sent exactly as given."""

    def __init__(self, url: str) -> None:
        self.host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
        self.port = int(port)

    def request(
        self, path: str, method: str = "GET", host: str | None = "default"
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            if host == "default":
                connection.putheader("Host", f"{self.host}:{self.port}")
            elif host is not None:
                connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, bytes]:
        status, _, body = self.request(path)
        return status, body


class EventStream:
    """The reload channel as a page sees it."""

    def __init__(self, client: Client) -> None:
        self.connection = http.client.HTTPConnection(client.host, client.port, timeout=10)
        self.connection.request(
            "GET", "/__sahelbrief__/events", headers={"Host": f"{client.host}:{client.port}"}
        )
        self.response = self.connection.getresponse()

    def next(self) -> dict[str, Any]:
        """The next state message (skipping the retry hint and keep-alive comments)."""
        while True:
            line = self.response.fp.readline()
            if not line:
                raise EOFError("the event stream ended")
            if line.startswith(b"data: "):
                message: dict[str, Any] = json.loads(line[6:])
                return message

    def close(self) -> None:
        self.connection.close()
