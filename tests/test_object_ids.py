"""Object identification: every object a client caches has a stable id, unique within its type, that reveals nothing.

Apollo and urql normalize a cache by `__typename` and `id`; objects without identity (pages, edges, paths, a report's
sections, a catalog item's, document's or measure's earlier state) are values, cached inside the object that holds them.
"""

import httpx
from graphql import is_object_type

from graph_store.connection import Store
from schema import schema

from .conftest import COURT, MARKET_REGULATOR, PERSON, PURPOSE, ask, headers
from .test_corrections import CORRECT, correction

VALUES = {
    "PageInfo", "PathStep", "SubjectPath", "RelatedSubject", "RiskSubject", "ReportSection", "CreditReport",
    "Viewer", "Capabilities", "Version",
}  # fmt: skip
"""Object types without identity of their own: what holds them is cached, and they with it (the viewer describes the
request, under the root field `viewer`). Connections, edges and mutation payloads are values too."""


def test_every_object_type_is_an_entity_with_an_id_or_a_value_without_one():
    roots = {schema._schema.query_type, schema._schema.mutation_type}
    wrong = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or not is_object_type(graphql_type) or graphql_type in roots:
            continue
        id_field = graphql_type.fields.get("id")
        if name in VALUES or name.endswith(("Connection", "Edge", "Payload")):
            if id_field is not None:
                wrong.append(f"{name} is a value but has an id")
        elif id_field is None or str(id_field.type) != "ID!":
            wrong.append(f"{name} has no `id: ID!`")
    assert wrong == []


async def test_a_versions_id_stays_with_it_when_a_correction_supersedes_it(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    provider = headers("PROVIDER", MARKET_REGULATOR)
    versions = '{ record(id: "REC-REG-0001") { versions { id version title } } }'
    before = (await ask(client, versions, provider))["data"]["record"]["versions"]
    assert before == [{"id": "REC-REG-0001@1", "version": 1, "title": "企业设立登记"}]
    assert "errors" not in await ask(client, CORRECT, provider, input=correction())
    after = (await ask(client, versions, provider))["data"]["record"]["versions"]
    assert after[0] == before[0] and after[1]["id"] == "REC-REG-0001@2"


async def test_an_access_log_entry_has_one_id_for_the_subject_and_the_auditors(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    for _ in range(2):
        await ask(client, "query($code: String!) { subject(code: $code) { name } }", headers("AGENCY", COURT, PURPOSE),
                  code=PERSON)  # fmt: skip
    mine = await ask(client, "{ myAccessLog { edges { node { id at } } } }", headers("SUBJECT", PERSON))
    seen_by_subject = [edge["node"] for edge in mine["data"]["myAccessLog"]["edges"]]
    log = await ask(client, "{ accessLog { edges { node { id at hash subjectCodes } } } }", headers("ADMIN", "ADMIN-1"))
    entries = [edge["node"] for edge in log["data"]["accessLog"]["edges"]]
    assert all(entry["id"] == entry["hash"] for entry in entries)
    assert len({entry["id"] for entry in entries}) == len(entries)
    touching = [{"id": entry["id"], "at": entry["at"]} for entry in entries if PERSON in entry["subjectCodes"]]
    assert seen_by_subject == touching and len(touching) == 2
