"""Statements and defence (Art. 37): the subject speaks on a measure against it, and readers see it there."""

import httpx
import pytest

from graph_store.connection import Store

from .conftest import COMPANY, COURT, PERSON, ask, error_codes, headers

SUBMIT = "mutation($input: SubmitStatementInput!) { submitStatement(input: $input) { statement { id text } } }"
MEASURES = '{ subject(code: "914301023210987656") { measures { id statements { text } } } }'
DEFENCE = "本公司已于2025年全额履行判决义务，请求解除限制消费措施。"


async def test_the_subjects_statement_is_shown_with_the_measure(fresh_sample_store: Store, client: httpx.AsyncClient):
    body = await ask(client, SUBMIT, headers("SUBJECT", COMPANY), input={"targetId": "MEA-0001", "text": DEFENCE})
    assert body["data"]["submitStatement"]["statement"]["text"] == DEFENCE
    measures = (await ask(client, MEASURES, headers()))["data"]["subject"]["measures"]
    assert {measure["id"]: measure["statements"] for measure in measures}["MEA-0001"] == [{"text": DEFENCE}]


@pytest.mark.parametrize(
    "viewer", [headers(), headers("SUBJECT", PERSON), headers("PROVIDER", COURT)], ids=["anonymous", "other", "court"]
)
async def test_only_the_subject_of_the_measure_speaks_on_it(
    fresh_sample_store: Store, client: httpx.AsyncClient, viewer: dict[str, str]
):
    body = await ask(client, SUBMIT, viewer, input={"targetId": "MEA-0001", "text": DEFENCE})
    assert error_codes(body) == ["NOT_FOUND"]  # as if there were no such measure: nothing about it is told


async def test_unknown_measure_and_empty_statement_are_refused(fresh_sample_store: Store, client: httpx.AsyncClient):
    subject = headers("SUBJECT", COMPANY)
    assert error_codes(await ask(client, SUBMIT, subject, input={"targetId": "MEA-NONE", "text": DEFENCE})) == [
        "NOT_FOUND"
    ]
    assert error_codes(await ask(client, SUBMIT, subject, input={"targetId": "MEA-0001", "text": "  "})) == [
        "BAD_USER_INPUT"
    ]
