"""GraphiQL at GET /graphql (a browser's Accept: text/html), served from this API's own files: no CDN.

`make web` bundles GraphiQL 5 with its explorer plugin from web/package-lock.json into web/dist/graphiql/
(web/graphiql/build.mjs); the app serves that folder at /graphiql/. GraphiQL is there only where the schema answers
introspection (GRAPHQL_INTROSPECTION: development, not production), since it cannot work without it.
"""

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from .middleware import CONTENT_SECURITY_POLICY
from .pages import templates

BUILT = Path(__file__).resolve().parent.parent / "web/dist/graphiql"
"""What `make web` builds (not committed: it is made again from the lock file in a few seconds)."""


POLICY = f"{CONTENT_SECURITY_POLICY}; style-src 'self' 'unsafe-inline'"
"""The one page whose policy is looser than the app's, and only for styles: Monaco, GraphiQL's editor, positions
every line with a style attribute and themes itself with <style> elements it writes, neither of which a nonce can
cover. Scripts, workers, fonts, images and requests stay this origin's only, so a style cannot fetch or send
anything elsewhere."""


class BuiltFiles(StaticFiles):
    """The bundle, kept by the browser but checked again each time (its names carry no hash; ETag makes it 304)."""

    def __init__(self) -> None:
        super().__init__(directory=BUILT, check_dir=False)

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["Cache-Control"] = "no-cache"
        return response


def graphiql_page(request: Request, tabs: list[dict[str, str]]) -> Response:
    if not (BUILT / "graphiql.js").exists():
        return PlainTextResponse("GraphiQL is not built: run `make web`", status_code=404)
    settings: dict[str, Any] = {"endpoint": "/graphql", "tabs": tabs}
    headers = {"Cache-Control": "no-store", "Content-Security-Policy": POLICY}
    return templates.TemplateResponse(request, "graphiql.html", {"settings": settings}, headers=headers)
