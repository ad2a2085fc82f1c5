"""A local HTTP server in the Hugging Face hub's layout, serving a model folder, for testing the
download path without any network. It can drop the first transfer of a file part-way, as a
flaky link would, and records the requests it saw."""

from __future__ import annotations

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMIT = "c0ffee" + "0" * 34


class FakeHub:
    def __init__(
        self, folder: Path, repo: str, *, cut_after: int | None = None, cut_file: str = "model.bin"
    ) -> None:
        self.files = {p.name: p for p in folder.iterdir() if p.is_file()}
        self.repo, self.cut_after, self.cut_file = repo, cut_after, cut_file
        self.requests: list[tuple[str, str, str | None]] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                hub.serve(self, head=True)

            def do_GET(self) -> None:
                hub.serve(self, head=False)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _json(self, h: BaseHTTPRequestHandler, value: object) -> None:
        body = json.dumps(value).encode()
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def serve(self, h: BaseHTTPRequestHandler, *, head: bool) -> None:
        path = h.path.split("?")[0]
        self.requests.append((h.command, path, h.headers.get("Range")))
        api = f"/api/models/{self.repo}/"
        if path.startswith(api + "tree/"):
            self._json(
                h,
                [
                    {"type": "file", "path": n, "size": p.stat().st_size, "oid": "0" * 40}
                    for n, p in self.files.items()
                ],
            )
            return
        if path.startswith(api + "revision/"):
            self._json(
                h,
                {
                    "id": self.repo,
                    "sha": COMMIT,
                    "siblings": [{"rfilename": n} for n in self.files],
                },
            )
            return
        name = path.rsplit("/", 1)[-1]
        if not path.startswith(f"/{self.repo}/resolve/") or name not in self.files:
            h.send_response(404)
            h.end_headers()
            return
        data = self.files[name].read_bytes()
        rng = h.headers.get("Range", "")
        start = int(rng[6:].split("-")[0]) if rng.startswith("bytes=") else 0
        h.send_response(206 if start else 200)
        h.send_header("X-Repo-Commit", COMMIT)
        h.send_header("ETag", f'"{hashlib.sha256(data).hexdigest()}"')
        h.send_header("Content-Length", str(len(data) - start))
        h.send_header("Accept-Ranges", "bytes")
        h.end_headers()
        if head:
            return
        body = data[start:]
        if self.cut_after is not None and name == self.cut_file and not start:
            self.cut_after, cut = None, self.cut_after
            h.wfile.write(body[:cut])
            h.wfile.flush()
            h.close_connection = True
            return
        h.wfile.write(body)
