"""GraphiQL at GET /graphql (a browser's Accept: text/html), served from this API's own files: no CDN.

`make web` bundles GraphiQL 5 with its explorer plugin from web/package-lock.json into web/dist/graphiql/
(web/graphiql/build.mjs); the app serves that folder at /graphiql/. GraphiQL is there only where the schema answers
introspection (GRAPHQL_INTROSPECTION: development, not production), since it cannot work without it. In
development it opens with a tab for each role, an example operation that runs on the demo data (`make run` seeds it).
"""

import json
from dataclasses import dataclass
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


DEMO_PERSON = "43050319931122304X"
"""李波, the first subject `credit-graph seed` makes (seed 0, whatever the day and the number of subjects)."""


@dataclass(frozen=True)
class Example:
    """An operation GraphiQL opens with, as one role: who asks, why, and how to get their token."""

    role: str | None
    """None: anonymous, no token."""
    explains: str
    query: str
    unit: str | None = None
    name: str | None = None
    purpose: str | None = None
    variables: dict[str, Any] | None = None

    def tab(self) -> dict[str, str]:
        """A GraphiQL tab: the operation under a comment that says whose it is, and its request headers."""
        if self.role is None:
            comment = f"# Anonymous: {self.explains}\n# No token: anyone on the internet may ask this.\n"
            headers: dict[str, str] = {}
        else:
            unit = f" --unit {self.unit}" if self.unit else ""
            comment = (
                f"# {self.role}: {self.explains}\n"
                "# Headers below: put its token in place of TOKEN. Make one in a shell in the project:\n"
                f"#   CREDIT_GRAPH_ENV=development .venv/bin/credit-graph token --role {self.role}{unit} "
                f"--name {self.name}\n"
            )
            headers = {"Authorization": "Bearer TOKEN"}
        if self.purpose:
            comment += "# X-Query-Purpose: why it asks, a code of the query application catalog (Art. 20).\n"
            headers["X-Query-Purpose"] = self.purpose
        return {
            "query": comment + self.query.strip() + "\n",
            "variables": json.dumps(self.variables, ensure_ascii=False, indent=2) if self.variables else "",
            "headers": json.dumps(headers, indent=2),
        }


EXAMPLES = (
    Example(
        None,
        "public records only (Art. 16); natural persons are masked.",
        """
query Anonymous {
  subjects(nameContains: "有限公司", first: 5) {
    totalCount
    edges { node {
      code name kind
      legalRepresentative { name }
      records(first: 3) { totalCount edges { node { id title category nature } } }
    } }
  }
  seriousDishonestyList(first: 5) { totalCount edges { node { ground subject { name } } } }
}""",
    ),
    Example(
        "SUBJECT",
        "李波, the first subject of the demo data, reads his own credit report and the notices served on him "
        "(Art. 31).",
        """
query Subject($code: String!) {
  creditReport(code: $code) {
    subject { code name }
    recordCount
    sections { category records { id title nature provider { name } } }
  }
  myNotices { kind text }
}""",
        unit=DEMO_PERSON,
        name="李波",
        variables={"code": DEMO_PERSON},
    ),
    Example(
        "AGENCY",
        "the provincial market regulator looks a person up and who stands behind him (Arts. 20, 24-26).",
        """
query Agency($code: String!) {
  subject(code: $code) {
    code name
    records(first: 10) { totalCount edges { node { id title category nature provider { name } } } }
  }
  relatedSubjects(code: $code, maxHops: 2, first: 10) {
    totalCount
    edges { node { hops subject { code name kind } } }
  }
}""",
        unit="11430000001242486D",
        name="张伟",
        variables={"code": DEMO_PERSON},
        purpose="MARKET_SUPERVISION",
    ),
    Example(
        "PROVIDER",
        "the provincial tax bureau reads a person it provided a record about, with the record's versions, and "
        "the objections to its records (Arts. 32, 33).",
        """
query Provider($code: String!) {
  provider(code: "11430000001250405B") { code name type region }
  subject(code: $code) {
    code name
    records(first: 10) { edges { node { id title provider { name } versions { version reason } } } }
  }
  objections(first: 10) {
    totalCount
    edges { node { id status reason record { id title subject { name } } } }
  }
}""",
        unit="11430000001250405B",
        name="王芳",
        variables={"code": DEMO_PERSON},
    ),
    Example(
        "CREDIT_SERVICE",
        "a credit rating company sees the records subjects consented to show it, for the purpose consented to "
        "(Arts. 16, 28).",
        """
query CreditService {
  subjects(nameContains: "有限公司", first: 5) {
    edges { node {
      code name
      records(first: 5) { totalCount edges { node { id title category disclosureMode } } }
    } }
  }
}""",
        unit="91430000001321676B",
        name="刘洋",
        purpose="CREDIT_EVALUATION",
    ),
    Example(
        "ADMIN",
        "the provincial credit department: overdue objections, and the risk around a subject (Arts. 24-26, 32).",
        """
query Admin($code: String!) {
  objections(overdue: true, first: 10) {
    totalCount
    edges { node { id status reason record { title subject { code name } } } }
  }
  riskNetwork(code: $code, maxHops: 2, first: 10) {
    totalCount
    edges { node { hops subject { code name } records { title } } }
  }
}""",
        unit="11430000001234567T",
        name="陈静",
        variables={"code": DEMO_PERSON},
    ),
    Example(
        "AUDITOR",
        "who read or changed what, from the hash-chained access log (Arts. 21, 38-40).",
        """
query Auditor {
  accessLog(first: 10) {
    totalCount
    edges { node { seq actorName role unit purpose operation decision subjectCodes } }
  }
}""",
        name="赵磊",
    ),
)
"""One operation for each role, on the demo data; only queries, which change nothing."""


def graphiql_page(request: Request, tabs: list[dict[str, str]]) -> Response:
    if not (BUILT / "graphiql.js").exists():
        return PlainTextResponse("GraphiQL is not built: run `make web`", status_code=404)
    settings: dict[str, Any] = {"endpoint": "/graphql", "tabs": tabs}
    headers = {"Cache-Control": "no-store", "Content-Security-Policy": POLICY}
    return templates.TemplateResponse(request, "graphiql.html", {"settings": settings}, headers=headers)
