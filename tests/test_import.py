"""Import: every kind of the contract, upsert by id, all-or-nothing, and `line N: reason` for each bad line."""

import asyncio
import copy
import datetime
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from credit.record_content import canonical_json
from graph_store import bulk_writes
from graph_store.connection import Store
from graph_store.migrations import migrate
from graph_store.predicate import published
from graph_store.record_versions import content_hash
from intake import import_lines, importer
from intake.importer import ImportFailed, ImportResult, import_stream
from server.cli import app

from .conftest import SAMPLE_DAY, load, sample_objects, wipe

pytestmark = pytest.mark.sample_day  # the sample's consents are valid on its day (tests/conftest.py SAMPLE_DAY)

COMPANY = "914301023210987656"
PERSON = "430103198503121236"
CREDIT_AGENCY = "91430100587654321X"
SAMPLE_NOW = datetime.datetime.combine(SAMPLE_DAY, datetime.time(12), datetime.UTC)
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

GRAPH_STATE = """
    MATCH (n)
    OPTIONAL MATCH (n)-[rel]->()
    WITH n, collect(type(rel) + '>' + coalesce(rel.since, '') ) AS rels
    RETURN count(n) AS nodes, sum(size(rels)) AS relationships,
           collect(n {.*, labels: labels(n), rels: rels}) AS everything
"""


async def graph_state(store: Store) -> dict[str, Any]:
    rows = await store.read(GRAPH_STATE)
    state = rows[0]
    state["everything"] = sorted(json.dumps(node, sort_keys=True, default=str) for node in state["everything"])
    return state


def line_of(objects: list[dict[str, Any]], kind: str, key: str) -> int:
    return next(
        number
        for number, obj in enumerate(objects, start=1)
        if obj["kind"] == kind and key in (obj.get("id"), obj.get("code"))
    )


def with_line(objects: list[dict[str, Any]], kind: str, key: str, **changes: Any) -> list[dict[str, Any]]:
    """The objects with one of them changed: the one of `kind` whose id or code is `key`."""
    changed = copy.deepcopy(objects)
    changed[line_of(objects, kind, key) - 1].update(changes)
    return changed


async def problems_of(store: Store, objects: list[dict[str, Any]]) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        await load(store, objects)
    return failure.value.problems


async def test_importing_every_kind_of_the_contract(empty_store: Store):
    result = await load(empty_store, sample_objects())
    assert result.counts == {
        "provider": 4, "queryPurpose": 2, "subject": 5, "representation": 2, "investment": 3, "branch": 1,
        "catalogItem": 5, "document": 3, "record": 5, "measure": 2, "consent": 1,
    }  # fmt: skip


async def test_reimporting_the_same_file_changes_nothing(empty_store: Store):
    await load(empty_store, sample_objects())
    before = await graph_state(empty_store)
    await load(empty_store, sample_objects())
    assert await graph_state(empty_store) == before


async def test_new_objects_wait_unread_until_the_import_publishes_them_and_a_failure_removes_them(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch
):
    seen: dict[str, int] = {}
    labels = ("Provider", "QueryPurpose", "CatalogItem", "Subject", "Document", "Record", "Measure", "Consent")

    async def fail_before_commit(*_: Any) -> None:  # inside the last transaction, before it commits
        for label in labels:  # another session: what is committed, as every read sees it
            rows = await empty_store.read(f"MATCH (n:{label}) WHERE {published('n')} RETURN count(n) AS n")
            seen[label] = rows[0]["n"]
        seen["staged"] = (await empty_store.read("MATCH (n:Staged) RETURN count(n) AS n"))[0]["n"]
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(bulk_writes, "STAGE_FROM", 1)  # a large file's way, for a small one
    monkeypatch.setattr(bulk_writes, "finish", fail_before_commit)
    with pytest.raises(RuntimeError):
        await load(empty_store, sample_objects())
    # 4 providers, 2 purposes, 5 catalog items, 5 subjects, 3 documents, 5 records, 2 measures and a consent
    assert seen == {label: 0 for label in labels} | {"staged": 27}
    assert (await graph_state(empty_store))["nodes"] == 0


async def test_a_staged_import_writes_what_one_transaction_writes(empty_store: Store, monkeypatch: pytest.MonkeyPatch):
    now = SAMPLE_NOW
    await load(empty_store, sample_objects(), now=now)
    at_once = await graph_state(empty_store)
    await wipe(empty_store)
    monkeypatch.setattr(bulk_writes, "STAGE_FROM", 1)
    await load(empty_store, sample_objects(), now=now)
    staged = await graph_state(empty_store)

    def comparable(node: str) -> str:  # a subject's and a provider's id are random; relationships come in no order
        found = json.loads(node)
        found["rels"] = sorted(found["rels"])
        found["id"] = "random" if {"Subject", "Provider"} & set(found["labels"]) else found.get("id")
        return json.dumps(found, sort_keys=True)

    assert sorted(map(comparable, staged.pop("everything"))) == sorted(map(comparable, at_once.pop("everything")))
    assert staged == at_once


async def test_migrate_finishes_what_an_import_killed_a_day_ago_left(empty_store: Store):
    await empty_store.write(
        """
        CREATE (:Record:Staged {id: 'REC-1', importRun: 'import:x'})
                 -[:STAGED_IN]->(:ImportRun {id: 'import:x', startedAt: $longAgo, published: false}),
               (:Record:Staged {id: 'REC-2', importRun: 'import:y'})
                 -[:STAGED_IN]->(:ImportRun {id: 'import:y', startedAt: $now, published: false}),
               (:Record:Staged {id: 'REC-3', importRun: 'import:z'})
                 -[:STAGED_IN]->(:ImportRun {id: 'import:z', startedAt: $longAgo, published: true})
        """,
        longAgo=SAMPLE_NOW - datetime.timedelta(days=2),
        now=datetime.datetime.now(datetime.UTC),
    )
    await migrate(empty_store)
    rows = await empty_store.read(
        """
        MATCH (r:Record)
        RETURN r.id AS id, r:Staged AS staged, COLLECT { MATCH (r)-[:STAGED_IN]->(run) RETURN run.id }[0] AS run
        ORDER BY id
        """
    )
    assert rows == [
        {"id": "REC-2", "staged": True, "run": "import:y"},  # a running import's is left alone
        {"id": "REC-3", "staged": False, "run": None},  # a published one's is unhooked, never removed
    ]
    assert await empty_store.read("MATCH (run:ImportRun) RETURN run.id AS id") == [{"id": "import:y"}]


async def subject_ids(store: Store) -> dict[str, str]:
    return {row["code"]: row["id"] for row in await store.read("MATCH (s:Subject) RETURN s.code AS code, s.id AS id")}


async def test_a_subjects_id_is_random_and_kept_when_it_is_imported_again(empty_store: Store):
    await load(empty_store, sample_objects())
    first = await subject_ids(empty_store)
    assert all(UUID4.match(subject_id) for subject_id in first.values())
    await load(empty_store, with_line(sample_objects(), "subject", COMPANY, name="长沙市芙蓉区星辰科技股份有限公司"))
    assert await subject_ids(empty_store) == first  # an upsert by code keeps the id clients hold
    await wipe(empty_store)
    await load(empty_store, sample_objects())
    again = await subject_ids(empty_store)
    assert set(again) == set(first) and not set(again.values()) & set(first.values())  # not derived from the code


async def test_a_bad_line_fails_the_whole_file_and_writes_nothing(empty_store: Store):
    objects = sample_objects()
    objects[-1] = {**objects[-1], "recordIds": ["REC-DOES-NOT-EXIST"]}
    problems = await problems_of(empty_store, objects)
    assert problems == [
        f"line {len(objects)}: recordIds: record 'REC-DOES-NOT-EXIST' does not exist (not in this file nor in the store)"
    ]
    assert (await graph_state(empty_store))["nodes"] == 0


async def test_every_bad_line_is_reported_with_its_number(empty_store: Store):
    objects = sample_objects()
    objects[2] = {**objects[2], "code": "11430000006147849Q"}
    objects[5] = {"kind": "spaceship"}
    problems = await problems_of(empty_store, objects)
    assert problems[0].startswith(
        "line 3: code: unified social credit code '11430000006147849Q' has check character Q, expected R"
    )
    assert problems[1].startswith("line 6: unknown kind 'spaceship'")


async def test_changed_record_keeps_its_old_version(empty_store: Store):
    await load(empty_store, sample_objects())
    changed = with_line(sample_objects(), "record", "REC-REG-0001", title="企业设立登记（更正）")
    await load(empty_store, changed)
    rows = await empty_store.read(
        "MATCH (r:Record {id: 'REC-REG-0001'})-[:PREVIOUS]->(v:RecordVersion) RETURN r.title AS now, r.version AS version, v.title AS before, v.version AS old"
    )
    assert rows == [{"now": "企业设立登记（更正）", "version": 2, "before": "企业设立登记", "old": 1}]


@pytest.mark.parametrize(
    ("kind", "key", "changes", "reason"),
    [
        (
            "subject",
            PERSON,
            {"code": "430103198503121237"},
            "resident ID '430103198503121237' has check character 7, expected 6",
        ),
        ("subject", PERSON, {"code": "430103198502301236"}, "has no valid birth date"),
        ("subject", COMPANY, {"subjectKind": "COMPANY"}, "subject subjectKind: 'COMPANY' is not one of"),
        ("subject", COMPANY, {"region": "110101"}, "subject region: '110101' does not match"),
        (
            "provider",
            CREDIT_AGENCY,
            {"publicity": "PUBLIC"},
            "a CREDIT_SERVICE_AGENCY provider is NON_PUBLIC, not PUBLIC",
        ),
        ("record", "REC-PEN-0001", {"documentIds": []}, "a DISHONEST record must cite at least one legal document"),
        (
            "record",
            "REC-PEN-0001",
            {"content": {"decisionNumber": "x", "violation": "y", "fineAmount": -1}},
            "content.fineAmount does not match the format of catalog item 'CAT-AMR-PEN': -1 is less than the minimum of 0",
        ),
        (
            "record",
            "REC-CSA-0001",
            {"content": {"rating": "AA", "bloodType": "A"}},
            "content field 'bloodType' concerns 'blood', which may never be collected (Art. 15)",
        ),
        (
            "record",
            "REC-CSA-0001",
            {"content": {"rating": "AA", "宗教信仰": "无"}},
            "content field '宗教信仰' concerns '宗教'",
        ),
        ("record", "REC-PEN-0001", {"catalogItemId": "CAT-COURT-JD"}, "catalog item 'CAT-COURT-JD' is supplied by"),
        ("record", "REC-PEN-0001", {"confirmedAt": "2025-02-30"}, "confirmedAt '2025-02-30' is not a real date"),
        ("record", "REC-PEN-0001", {"documentIds": ["DOC-2025-TAX-0001"]}, "document 'DOC-2025-TAX-0001' concerns"),
        ("record", "REC-REG-0001", {"severity": "MINOR"}, "severity is for DISHONEST records only"),
        (
            "catalogItem",
            "CAT-AMR-REG",
            {"disclosureMode": "SUBJECT_PUBLISHED"},
            "PUBLIC information is disclosed by AUTHORIZED_QUERY, GOVERNMENT_SHARING, PUBLIC_NOTICE, not SUBJECT_PUBLISHED",
        ),
        ("catalogItem", "CAT-AMR-REG", {"name": "宗教活动场所登记"}, "concerns '宗教'"),
        (
            "catalogItem",
            "CAT-AMR-REG",
            {"dataFormat": {"type": "object", "properties": {"fingerPrint": {"type": "string"}}}},
            "dataFormat field 'fingerPrint' concerns 'fingerprint'",
        ),
        ("catalogItem", "CAT-AMR-REG", {"dataFormat": {"type": 12}}, "dataFormat is not a valid JSON Schema"),
        (
            "measure",
            "MEA-0001",
            {"recordIds": ["REC-REG-0001"]},
            "a PUNITIVE measure must be based on a SERIOUS DISHONEST record",
        ),
        ("measure", "MEA-0001", {"endsAt": "2020-01-01"}, "endsAt 2020-01-01 is before startsAt 2024-06-01"),
        (
            "consent",
            "CON-0001",
            {"purpose": "SPYING"},
            "purpose 'SPYING' is neither COLLECTION nor in the query catalog",
        ),
        ("consent", "CON-0001", {"categories": ["GOSSIP"]}, "consent categories.0: 'GOSSIP' is not one of"),
        (
            "consent",
            "CON-0001",
            {"validUntil": "2024-01-01T00:00:00+08:00"},
            "validUntil 2024-01-01T00:00:00+08:00 is not after validFrom",
        ),
    ],
)
async def test_bad_line_is_refused_with_a_reason_a_person_can_act_on(
    empty_store: Store, kind: str, key: str, changes: dict[str, Any], reason: str
):
    number = line_of(sample_objects(), kind, key)
    objects = with_line(sample_objects(), kind, key, **changes)
    problems = await problems_of(empty_store, objects)
    assert any(problem.startswith(f"line {number}: ") and reason in problem for problem in problems), problems
    assert (await graph_state(empty_store))["nodes"] == 0


async def test_non_public_record_about_a_person_needs_their_collection_consent(empty_store: Store):
    objects = [obj for obj in sample_objects() if obj["kind"] != "consent"]
    problems = await problems_of(empty_store, objects)
    assert len(problems) == 1
    assert (
        f"needs that person's active COLLECTION consent to {CREDIT_AGENCY} for category OTHER (Art. 15)" in problems[0]
    )


async def test_expired_collection_consent_does_not_allow_collection(empty_store: Store):
    objects = with_line(
        sample_objects(),
        "consent",
        "CON-0001",
        validFrom="2020-01-01T00:00:00+08:00",
        validUntil="2021-01-01T00:00:00+08:00",
    )
    problems = await problems_of(empty_store, objects)
    assert any("COLLECTION consent" in problem for problem in problems)


async def test_references_may_point_into_the_store(empty_store: Store):
    objects = sample_objects()
    await load(empty_store, [obj for obj in objects if obj["kind"] != "measure"])
    result = await load(empty_store, [obj for obj in objects if obj["kind"] == "measure"])
    assert result.counts == {"measure": 2}


async def test_a_record_cannot_move_to_another_subject_on_reimport(empty_store: Store):
    await load(empty_store, sample_objects())
    moved = with_line(sample_objects(), "record", "REC-REG-0001", subjectCode="91430103876543210P")
    problems = await problems_of(empty_store, moved)
    assert any("record 'REC-REG-0001' already exists with subject '914301023210987656'" in p for p in problems)


async def test_the_same_id_twice_in_a_file_is_refused(empty_store: Store):
    objects = sample_objects()
    objects.append(objects[-1])
    problems = await problems_of(empty_store, objects)
    assert problems == [f"line {len(objects)}: measure 'MEA-0002' is already defined on line {len(objects) - 1}"]


async def test_new_representative_ends_the_term_of_the_previous_one(empty_store: Store):
    await load(empty_store, sample_objects())
    successor = "430104199211072461"
    await load(
        empty_store,
        [
            {
                "kind": "representation",
                "personCode": successor,
                "orgCode": COMPANY,
                "role": "LEGAL_REPRESENTATIVE",
                "since": "2026-01-05",
            }
        ],
    )
    rows = await empty_store.read(
        "MATCH (p:Subject)-[rep:REPRESENTS]->(:Subject {code: $code}) RETURN p.code AS person, rep.until AS until ORDER BY rep.since",
        code=COMPANY,
    )
    assert [(row["person"], str(row["until"])) for row in rows] == [(PERSON, "2026-01-05"), (successor, "None")]


def test_cli_import_exits_non_zero_and_prints_each_problem(tmp_path: Path, store: Store):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"kind":"provider"}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(bad)])
    assert result.exit_code == 1
    assert "line 1: provider 'code' is a required property" in result.output
    assert "line 2: not valid JSON" in result.output


async def test_cli_import_refused_by_neo4j_says_so_and_writes_nothing(tmp_path: Path, empty_store: Store):
    """A provider an unfinished import staged (unpublished, so the import's look-ups do not find it) has the code
    the file's provider has: Neo4j refuses the second one, and the command says so in a sentence, not a traceback."""
    await empty_store.write(
        """
        CREATE (:Provider:Staged {code: $code, id: 'staged', importRun: 'import:x'})
                 -[:STAGED_IN]->(:ImportRun {id: 'import:x', startedAt: $now, published: false})
        """,
        code=next(obj["code"] for obj in sample_objects() if obj["kind"] == "provider"),
        now=SAMPLE_NOW,
    )
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps(obj, ensure_ascii=False) for obj in sample_objects()), encoding="utf-8")
    result = await asyncio.to_thread(CliRunner().invoke, app, ["import", str(good)])
    await bulk_writes.remove_staged(empty_store, "import:x")
    said = " ".join(result.output.split())  # the console wraps lines
    assert result.exit_code == 1, said
    assert "was not imported; nothing was written. Neo4j refused its writes" in said
    assert "ConstraintValidationFailed" in said and "Traceback" not in said
    assert "left unpublished by an import that did not finish" in said
    assert (await graph_state(empty_store))["nodes"] == 0


def test_cli_import_reports_records_per_second(tmp_path: Path, store: Store):
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps(obj, ensure_ascii=False) for obj in sample_objects()), encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(good)])
    assert result.exit_code == 0, result.output
    assert "Imported 33 objects" in result.output


async def test_reimporting_a_revoked_consent_does_not_revive_it(empty_store: Store):
    await load(empty_store, sample_objects())
    await empty_store.write("MATCH (c:Consent {id: 'CON-0001'}) SET c.status = 'REVOKED'")
    problems = await problems_of(empty_store, sample_objects())
    assert any("COLLECTION consent" in problem for problem in problems)
    rows = await empty_store.read("MATCH (c:Consent {id: 'CON-0001'}) RETURN c.status AS status")
    assert rows == [{"status": "REVOKED"}]


INVESTMENT = {"kind": "investment", "investorCode": "430104199211072461", "investeeCode": "914301023210987656",
              "share": 0.1, "since": "2024-01-01"}  # fmt: skip
FUTURE_DAY = (SAMPLE_DAY + datetime.timedelta(days=2)).isoformat()  # by the clock `load` imports at
BRANCH = {"kind": "branch", "branchCode": "91430102MA4RB0K2X6", "parentCode": "914301023210987656",
          "since": "2024-01-01"}  # fmt: skip


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (INVESTMENT | {"investeeCode": "430103198503121236"}, "investeeCode: "),
        (INVESTMENT | {"investorCode": "914301023210987656"}, "a subject does not invest in itself"),
        (INVESTMENT | {"share": 0}, "investment share: 0 is less than or equal to the minimum of 0"),
        (INVESTMENT | {"share": 1.5}, "investment share: 1.5 is greater than the maximum of 1"),
        (
            INVESTMENT | {"investorCode": "91430100MA4L16JQ9D"},
            "investorCode: subject '91430100MA4L16JQ9D' does not exist",
        ),
        (INVESTMENT | {"since": FUTURE_DAY}, f"since {FUTURE_DAY} is in the future"),
        (BRANCH | {"parentCode": "430103198503121236"}, "parentCode: "),
        (BRANCH | {"parentCode": "91430102MA4RB0K2X6"}, "an organization is not a branch of itself"),
        (
            BRANCH | {"parentCode": "91430103876543210P"},
            "91430102MA4RB0K2X6 is already a branch of 914301023210987656: a branch belongs to one organization",
        ),
    ],
    ids=[
        "investee-person",
        "self",
        "zero-share",
        "over-one",
        "unknown",
        "future",
        "branch-of-person",
        "own-branch",
        "second-parent-in-the-file",
    ],
)
async def test_bad_relation_lines_are_refused_and_write_nothing(empty_store: Store, line: dict[str, Any], reason: str):
    problems = await problems_of(empty_store, [*sample_objects(), line])
    assert any(
        problem.startswith(f"line {len(sample_objects()) + 1}: ") and reason in problem for problem in problems
    ), problems
    assert (await graph_state(empty_store))["nodes"] == 0


async def test_reimported_relations_update_instead_of_duplicating(empty_store: Store):
    await load(empty_store, [*sample_objects(), INVESTMENT, BRANCH])
    await load(empty_store, [*sample_objects(), INVESTMENT | {"share": 0.25}, BRANCH])
    rows = await empty_store.read(
        "MATCH (:Subject {code: $investor})-[i:INVESTS_IN]->(:Subject {code: $investee}) RETURN i.share AS share",
        investor=INVESTMENT["investorCode"], investee=INVESTMENT["investeeCode"],
    )  # fmt: skip
    assert rows == [{"share": 0.25}]
    branches = await empty_store.read("MATCH ()-[b:BRANCH_OF]->() RETURN b.since AS since")
    assert branches == [{"since": datetime.date(2024, 1, 1)}]


async def test_a_branch_already_stored_under_one_organization_is_not_put_under_another(empty_store: Store):
    await load(empty_store, sample_objects())
    problems = await problems_of(empty_store, [BRANCH | {"parentCode": "91430103876543210P"}])
    assert problems == [
        "line 1: 91430102MA4RB0K2X6 is already a branch of 914301023210987656: a branch belongs to one organization"
    ]


def sample_file(path: Path, objects: list[dict[str, Any]]) -> Path:
    path.write_bytes(b"".join(json.dumps(obj, ensure_ascii=False).encode() + b"\n" for obj in objects))
    return path


async def import_file(store: Store, path: Path) -> ImportResult:
    with path.open("rb") as stream:
        return await import_stream(store, stream, now=SAMPLE_NOW)


async def test_a_file_imports_read_twice_as_held_lines_import(empty_store: Store, tmp_path: Path):
    await load(empty_store, sample_objects(), now=SAMPLE_NOW)
    held = await graph_state(empty_store)
    await wipe(empty_store)
    result = await import_file(empty_store, sample_file(tmp_path / "sample.jsonl", sample_objects()))
    assert result.counts["record"] == 5
    read_twice = await graph_state(empty_store)
    assert read_twice["nodes"] == held["nodes"] and read_twice["relationships"] == held["relationships"]


async def test_problems_found_kind_by_kind_in_the_second_read_are_reported_in_file_order(
    empty_store: Store, tmp_path: Path
):
    objects = with_line(sample_objects(), "measure", "MEA-0002", recordIds=["REC-DOES-NOT-EXIST"])
    # a branch is checked (and written) before any measure, but this one comes after them in the file
    objects.append({"kind": "branch", "branchCode": COMPANY, "parentCode": CREDIT_AGENCY, "since": "2026-01-05"})
    objects.append(objects[line_of(objects, "record", "REC-REG-0001") - 1])
    with pytest.raises(ImportFailed) as failure:
        await import_file(empty_store, sample_file(tmp_path / "bad.jsonl", objects))
    measure = line_of(objects, "measure", "MEA-0002")
    assert failure.value.problems == [
        f"line {len(objects)}: record 'REC-REG-0001' is already defined on line {line_of(objects, 'record', 'REC-REG-0001')}",
        f"line {measure}: recordIds: record 'REC-DOES-NOT-EXIST' does not exist (not in this file nor in the store)",
        f"line {len(objects) - 1}: parentCode: subject '{CREDIT_AGENCY}' does not exist (not in this file nor in the "
        "store)",
    ]
    assert (await graph_state(empty_store))["nodes"] == 0


@pytest.mark.parametrize(
    "change",
    [
        pytest.param("a line rewritten", id="a line rewritten in place"),
        pytest.param("a line made wrong", id="a line made wrong in place"),
        pytest.param("lines appended", id="lines appended"),
    ],
)
async def test_a_file_changed_between_its_two_reads_is_refused_and_writes_nothing(
    empty_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
):
    """A provider's system still writing the file, or one who would slip a line past the checks: the second read
    finds bytes the first did not check, and the import is refused as a whole."""
    path = sample_file(tmp_path / "sample.jsonl", sample_objects())
    record = line_of(sample_objects(), "record", "REC-REG-0001")
    load_known = importer.load_known

    async def changing_the_file(store: Store, gathered: Any) -> Any:  # between the two reads
        lines = path.read_bytes().splitlines(keepends=True)
        if change == "lines appended":
            lines.append(json.dumps({"kind": "subject", "code": "91430103876543210P"}).encode() + b"\n")
        else:
            title = "改" * len(json.loads(lines[record - 1])["title"])  # as many bytes: no other line moves
            changed = {**json.loads(lines[record - 1]), "title": title}
            if change == "a line made wrong":
                changed["subjectCode"] = "91430103876543210P"[: len(changed["subjectCode"])]
            lines[record - 1] = json.dumps(changed, ensure_ascii=False).encode() + b"\n"
        path.write_bytes(b"".join(lines))
        return await load_known(store, gathered)

    monkeypatch.setattr(importer, "load_known", changing_the_file)
    with pytest.raises(ImportFailed) as failure:
        await import_file(empty_store, path)
    if change == "lines appended":
        assert failure.value.problems[0].startswith("the file was ")
        assert "modified during the import; nothing was written" in failure.value.problems[0]
    else:
        assert failure.value.problems == [f"line {record}: {import_lines.CHANGED}"]
    assert (await graph_state(empty_store))["nodes"] == 0


def test_a_records_fingerprint_is_the_same_when_its_content_text_is_given():
    """The import passes the content it serialized once (content_hash's second argument): a re-import compares the
    fingerprint with those stored by every earlier import and correction, so it must not change by a byte."""
    for obj in sample_objects():
        if obj["kind"] == "record":
            state = {**obj, "confirmedAt": datetime.date.fromisoformat(obj["confirmedAt"])}
            state.setdefault("documentIds", [])
            assert content_hash(state, canonical_json(obj["content"])) == content_hash(state)
    odd = {"title": 'a "quoted" 标题', "nature": "NEUTRAL", "severity": None, "documentIds": ["b", "a"],
           "confirmedAt": datetime.date(2020, 1, 2), "content": {"z": [1.5, None, {"b": "中", "a": True}], "a": "\\"}}  # fmt: skip
    assert content_hash(odd, canonical_json(odd["content"])) == content_hash(odd)


async def test_keys_looked_up_while_the_file_is_read_find_what_one_look_up_finds(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch
):
    await load(empty_store, sample_objects())
    at_once = await load(empty_store, sample_objects())
    before = await graph_state(empty_store)
    monkeypatch.setattr(bulk_writes, "KEYS_PER_QUERY", 2)  # a look-up every line, of the keys named since the last
    monkeypatch.setattr(importer, "YIELD_EVERY", 1)
    piecemeal = await load(empty_store, sample_objects())
    assert piecemeal.unchanged == at_once.unchanged > 0
    assert await graph_state(empty_store) == before
