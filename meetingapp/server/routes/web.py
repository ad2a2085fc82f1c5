"""The web pages (``/seat/``, ``/display/``, shared files under ``/common/``) and their texts;
``meetingapp.server.web`` says how they are served and kept safe."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

from meetingapp.errors import NotFound
from meetingapp.i18n import LANGUAGES
from meetingapp.server.host import Host
from meetingapp.server.web import Assets, asset_response


def add_routes(app: FastAPI, host: Host) -> None:
    assets = Assets()
    app.state.assets = assets

    @app.get("/api/texts/{lang}")
    async def texts(lang: str, request: Request) -> Any:
        """The catalogue's texts the web pages show, in one language (vi or en)."""
        if lang not in LANGUAGES:
            raise NotFound(kind="language", ident=lang[:8])
        return asset_response(assets.texts[lang], request.headers)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/seat/", status_code=302)

    for area in assets.areas:
        _add_area(app, assets, area)


def _add_area(app: FastAPI, assets: Assets, area: str) -> None:
    @app.get(f"/{area}", include_in_schema=False)
    async def bare() -> RedirectResponse:
        return RedirectResponse(f"/{area}/", status_code=308)

    @app.get(f"/{area}/{{name:path}}", include_in_schema=False)
    async def file(name: str, request: Request) -> Any:
        asset = assets.get(area, name)
        if asset is None:
            raise NotFound(kind="file", ident=f"/{area}/{name}"[:80])
        return asset_response(asset, request.headers)
