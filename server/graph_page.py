"""GET /graph/{code}?hops=2: the network around a subject, drawn in the browser with cytoscape.js.

The server asks GraphQL for the related subjects, whether each is dishonest,
and every relationship among them, through the same schema and context as
/graphql, and hands the drawing its nodes and edges as JSON.
"""

from pathlib import Path
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from resolvers.context import RequestContext

from .pages import answer, error_page, page
from .reports import NO_SUCH_SUBJECT

TITLE = "关系图谱"
MAX_NODES = 100
"""The picture shows the nearest 100 subjects; the page says how many there are in all."""
VENDOR_SCRIPTS = {
    "cytoscape.min.js": Path(__file__).resolve().parent.parent / "web/node_modules/cytoscape/dist/cytoscape.min.js"
}

GRAPH_QUERY = """
query GraphPage($code: String!, $hops: Int!, $first: Int!) {
  subject(code: $code) { id code name kind masked dishonest }
  relatedSubjects(code: $code, maxHops: $hops, first: $first) {
    totalCount
    edges { node { hops subject { id code name kind masked dishonest } } }
    relationships { relation share from { id } to { id } }
  }
}
"""


async def graph_page(request: Request, context: RequestContext) -> Response:
    hops = request.query_params.get("hops", "2")
    if hops not in ("1", "2", "3"):
        return error_page(request, context, TITLE, f"hops is 1, 2 or 3, not {hops!r}", 400)
    variables = {"code": request.path_params["code"], "hops": int(hops), "first": MAX_NODES}
    data = await answer(request, context, GRAPH_QUERY, variables, title=TITLE)
    if isinstance(data, Response):
        return data
    if data.get("relatedSubjects") is None or data.get("subject") is None:
        return error_page(request, context, TITLE, NO_SUCH_SUBJECT, 404)
    network = drawing(data)
    values = {"subject": data["subject"], "hops": int(hops), "network": network,
              "total": data["relatedSubjects"]["totalCount"]}  # fmt: skip
    return page("graph.html", request, values)


def drawing(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Cytoscape elements: a node per subject (kind, dishonest or not), an edge per relationship among them."""
    origin = data["subject"]
    subjects = {origin["id"]: origin | {"hops": 0}}
    for edge in data["relatedSubjects"]["edges"]:
        node = edge["node"]
        subjects[node["subject"]["id"]] = node["subject"] | {"hops": node["hops"]}
    edges = [
        {"source": tie["from"]["id"], "target": tie["to"]["id"], "relation": tie["relation"], "share": tie["share"]}
        for tie in data["relatedSubjects"]["relationships"]
    ]
    return {
        "nodes": [
            {"id": subject_id, "code": subject["code"], "name": subject["name"], "kind": subject["kind"],
             "hops": subject["hops"], "dishonest": subject["dishonest"]}
            for subject_id, subject in subjects.items()
        ],
        "edges": [edge for edge in edges if edge["source"] in subjects and edge["target"] in subjects],
    }  # fmt: skip


async def vendor_script(request: Request) -> Response:
    """The browser libraries installed from npm (web/package.json), served as they were published."""
    path = VENDOR_SCRIPTS.get(request.path_params["name"])
    if path is None or not path.exists():
        raise HTTPException(404, "not found: run `make web` to install the browser libraries")
    return FileResponse(path, media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})
