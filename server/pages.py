"""Pages for people, not programs: each runs a GraphQL query through the same schema and context as /graphql,
so the same token, policy, masking and access log apply, and lays the answer out with a Jinja2 template."""

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from resolvers.context import RequestContext

STATUS_BY_CODE = {
    "BAD_USER_INPUT": 400, "UNAUTHENTICATED": 401, "FORBIDDEN": 403, "PURPOSE_REQUIRED": 403, "NOT_FOUND": 404,
    "LIMIT_EXCEEDED": 422, "UNAVAILABLE": 503,
}  # fmt: skip

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


async def answer(
    request: Request, context: RequestContext, query: str, variables: dict[str, Any], *, title: str
) -> dict[str, Any] | Response:
    """The query's data, or the error page to send instead."""
    result = await request.app.state.schema.execute(query, variable_values=variables, context_value=context)
    if result.errors:
        code = str((result.errors[0].extensions or {}).get("code", "INTERNAL"))
        return error_page(request, context, title, result.errors[0].message, STATUS_BY_CODE.get(code, 500))
    return result.data or {}


def error_page(request: Request, context: RequestContext, title: str, error: str, status: int) -> Response:
    values = {"title": title, "code": request.path_params.get("code", ""), "error": error,
              "request_id": context.request_id}  # fmt: skip
    return page("error.html", request, values, status)


def page(template: str, request: Request, values: dict[str, Any], status: int = 200) -> Response:
    return templates.TemplateResponse(
        request, template, values, status_code=status, headers={"Cache-Control": "no-store"}
    )
