"""Self-declaration (Art. 14): a subject publishes about itself; everyone reads it, shown as SELF_DECLARED."""

import httpx
import pytest

from graph_store.connection import Store
from graph_store.declarations import ensure_platform

from .conftest import COMPANY, MARKET_REGULATOR, PERSON, ask, error_codes, headers, load, sample_objects, wipe

pytestmark = pytest.mark.sample_day  # read on the sample's day (tests/conftest.py SAMPLE_DAY)

DECLARE = """mutation($input: DeclareInput!) { declare(input: $input) { record {
    id nature title content disclosureMode provider { name } subject { code } versions { version reason } } } }"""
COMMITMENT = {"kind": "COMMITMENT", "title": "信用承诺书", "content": "本公司承诺依法诚信经营，如有违反自愿接受惩戒。"}


@pytest.fixture
async def declaring_store(store: Store) -> Store:
    await wipe(store)
    await ensure_platform(store)
    await load(store, sample_objects())
    return store


async def test_a_subjects_commitment_is_a_self_declared_record_everyone_reads(
    declaring_store: Store, client: httpx.AsyncClient
):
    declared = (await ask(client, DECLARE, headers("SUBJECT", COMPANY), input=COMMITMENT))["data"]["declare"]["record"]
    assert declared["nature"] == "SELF_DECLARED" and declared["subject"] == {"code": COMPANY}
    assert declared["content"] == {"kind": "COMMITMENT", "text": COMMITMENT["content"]}
    assert (
        declared["disclosureMode"] == "SUBJECT_PUBLISHED"
        and declared["provider"]["name"] == "湖南省社会信用信息共享平台"
    )
    assert declared["versions"] == [{"version": 1, "reason": "declared by the subject (Art. 14)"}]
    public = await ask(client, "query($id: ID!) { record(id: $id) { nature title } }", headers(), id=declared["id"])
    assert public["data"]["record"] == {"nature": "SELF_DECLARED", "title": "信用承诺书"}


async def test_a_natural_person_declares_about_itself_too(declaring_store: Store, client: httpx.AsyncClient):
    statement = {"kind": "STATEMENT", "title": "情况说明", "content": "本人已结清全部欠款。"}
    body = await ask(client, DECLARE, headers("SUBJECT", PERSON), input=statement)
    assert body["data"]["declare"]["record"]["subject"]["code"] == PERSON


@pytest.mark.parametrize(
    "viewer", [headers(), headers("PROVIDER", MARKET_REGULATOR), headers("ADMIN", "ADMIN-1")],
    ids=["anonymous", "provider", "admin"],
)  # fmt: skip
async def test_only_a_subject_declares(declaring_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]):
    assert error_codes(await ask(client, DECLARE, viewer, input=COMMITMENT)) == ["FORBIDDEN"]


async def test_an_empty_or_oversized_declaration_is_refused(declaring_store: Store, client: httpx.AsyncClient):
    subject = headers("SUBJECT", COMPANY)
    for bad in ({"content": "  "}, {"content": "长" * 5001}, {"title": ""}):
        assert error_codes(await ask(client, DECLARE, subject, input=COMMITMENT | bad)) == ["BAD_USER_INPUT"]
    assert await declaring_store.read("MATCH (r:Record {nature: 'SELF_DECLARED'}) RETURN count(r) AS n") == [{"n": 0}]
