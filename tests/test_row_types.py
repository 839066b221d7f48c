"""Each Cypher projection returns what its TypedDict names: the same keys, values of the named types.

The row types (graph_store: reads.SubjectRow, listings.ListingRow, ...) are what the resolvers and the schema are
type-checked against; nothing but a run against Neo4j checks that a projection still says the same. Here every
function that returns rows runs on the sample graph (changes included), and each row is held to its type.
"""

import datetime
import types
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import httpx

from authz.principal import Principal
from authz.read_filter import compile_read_filter
from credit.model import Relation, china_now
from graph_store import (
    access_log,
    consents,
    declarations,
    documents,
    listings,
    measures,
    notices,
    objections,
    reads,
    record_versions,
    relations,
    repairs,
    statements,
    versions,
)
from graph_store.connection import Store
from graph_store.predicate import EVERYTHING

from .conftest import COMPANY, CREDIT_AGENCY, MARKET_REGULATOR, PERSON, PURPOSE, ask, headers, load, sample_objects
from .test_import import with_line


def mismatches(value: Any, annotation: Any, where: str) -> list[str]:
    """Where `value` is not what `annotation` says: a missing or unnamed key, or a value of another type."""
    if is_typeddict(annotation):
        if not isinstance(value, dict):
            return [f"{where}: {value!r} is not a map"]
        required = annotation.__required_keys__
        named = required | annotation.__optional_keys__
        found = (
            [f"{where}: {annotation.__name__} lacks {sorted(required - value.keys())}"]
            if required - value.keys()
            else []
        )
        found += (
            [f"{where}: {annotation.__name__} does not name {sorted(value.keys() - named)}"]
            if value.keys() - named
            else []
        )
        hints = get_type_hints(annotation)
        return found + [
            problem for key in value.keys() & named for problem in mismatches(value[key], hints[key], f"{where}.{key}")
        ]
    origin, arguments = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType):
        each = [mismatches(value, option, where) for option in arguments]
        return [] if [] in each else min(each, key=len)
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {value!r} is not a list"]
        return [problem for item in value for problem in mismatches(item, arguments[0], f"{where}[]")]
    if origin is dict:
        return [] if isinstance(value, dict) else [f"{where}: {value!r} is not a map"]
    if origin is Literal:
        return [] if value in arguments else [f"{where}: {value!r} is not one of {arguments}"]
    if annotation is Any:
        return []
    if annotation is float and type(value) is int:
        return []
    expected = type(None) if annotation is None else annotation
    return (
        [] if type(value) is expected else [f"{where}: {value!r} is a {type(value).__name__}, not {expected.__name__}"]
    )


def conform(rows: list[Any], row_type: Any, what: str) -> None:
    """Each of `rows` is a `row_type`; there is at least one."""
    assert rows, f"{what} returned no rows: nothing checked"
    problems = [problem for row in rows for problem in mismatches(row, row_type, what)]
    assert not problems, "\n".join(problems)


def by_id(found: dict[str, Any]) -> list[Any]:
    """The rows of a map by id, whose values are rows or lists of rows."""
    return [row for value in found.values() for row in (value if isinstance(value, list) else [value])]


ADMIN = Principal("admin", "管理员", "ADMIN", "ADMIN-1")


async def test_each_read_projection_returns_the_keys_its_type_names(
    fresh_sample_store: Store, client: httpx.AsyncClient
):
    store, now = fresh_sample_store, china_now()
    filters = compile_read_filter(ADMIN, now)
    subjects = (await reads.subjects_page(store, reads.SubjectSearch(), 100, None, filters)).subjects
    conform(subjects, reads.SubjectRow, "subjects_page")
    ids = [subject["id"] for subject in subjects]
    conform(
        by_id(await reads.findable_subjects_by_code(store, [COMPANY], filters)), reads.SubjectRow, "findable_subjects"
    )
    conform(by_id(await reads.subjects_by_id(store, ids, filters)), reads.SubjectRow, "subjects_by_id")
    conform(
        by_id(await reads.current_representatives(store, ids, filters)), reads.SubjectRow, "current_representatives"
    )
    conform(
        by_id(await reads.represented_organizations(store, ids, filters)), reads.SubjectRow, "represented_organizations"
    )

    pages = await reads.records_of_subjects(store, ids, category=None, first=100, after=None, filters=filters)
    records = [record for page in pages.values() for record in page.records]
    conform(records, reads.RecordRow, "records_of_subjects")
    record_ids = [record["id"] for record in records]
    conform(by_id(await reads.records_by_id(store, record_ids, filters)), reads.RecordRow, "records_by_id")
    found_documents = await reads.documents_of_records(store, record_ids)
    conform(by_id(found_documents), reads.DocumentRow, "documents_of_records")
    document_id = next(document["id"] for found in found_documents.values() for document in found)
    conform([await documents.by_id(store, document_id)], documents.DocumentStatusRow, "documents.by_id")
    conform(by_id(await reads.versions_of_records(store, record_ids, filters)), reads.VersionRow, "versions_of_records")
    conform([await reads.query_purpose(store, PURPOSE)], reads.PurposeRow, "query_purpose")
    conform(await reads.providers_page(store, reads.ProviderSearch(), 100, None), reads.ProviderRow, "providers_page")
    conform([await reads.provider_by_code(store, MARKET_REGULATOR)], reads.ProviderRow, "provider_by_code")
    conform(await reads.catalog(store), reads.CatalogItemRow, "catalog")
    measured = await reads.measures_of_subjects(store, ids, filters)
    conform(by_id(measured), reads.MeasureRow, "measures_of_subjects")
    measure_id = next(measure["id"] for found in measured.values() for measure in found)
    conform(by_id(await reads.measures_by_id(store, [measure_id], filters)), reads.MeasureRow, "measures_by_id")
    conform(await consents.of_subject(store, PERSON), consents.ConsentRow, "consents.of_subject")

    lookup = relations.Traversal(COMPANY, 3, tuple(Relation), limit=100)
    related = await relations.related(store, lookup, first=100, after=None, filters=filters, timeout=30)
    assert related is not None
    conform(related.rows, relations.ReachedRow, "related")
    conform(related.subjects, reads.SubjectRow, "related subjects")
    risky = await relations.risky(store, lookup, first=100, after=None, filters=filters, timeout=30)
    assert risky is not None
    conform(risky.rows, relations.ReachedRow, "risky")
    other = related.rows[-1]["subjectId"]
    other_code = next(subject["code"] for subject in related.subjects if subject["id"] == other)
    paths = await relations.shortest_paths(
        store, COMPANY, other_code, max_hops=3, relations=tuple(Relation), filters=filters, timeout=30
    )
    assert paths is not None
    conform(paths.rows, relations.PathRow, "shortest_paths")
    conform(await relations.between(store, ids, tuple(Relation)), relations.StepRow, "between")

    shown = await ask(
        client, "query ($code: String!) { subject(code: $code) { name } }", headers("ADMIN"), code=COMPANY
    )
    assert "errors" not in shown, shown
    conform(await access_log.entries_touching(store, COMPANY, 10, None), access_log.AccessRecordRow, "entries_touching")
    everything = access_log.LogSearch()
    conform(await access_log.search(store, everything, 10, None), access_log.AuditEntryRow, "access_log.search")


async def test_each_change_projection_returns_the_keys_its_type_names(fresh_sample_store: Store):
    store, now = fresh_sample_store, china_now()
    filters = compile_read_filter(ADMIN, now)
    subject = (await reads.findable_subjects_by_code(store, [COMPANY], filters))[COMPANY]
    page = await reads.records_of_subjects(store, [subject["id"]], category=None, first=1, after=None, filters=filters)
    record = page[subject["id"]].records[0]

    filed = await objections.file(
        store,
        "Record",
        {"id": "OBJ-ROWS", "kind": "ERROR", "targetKind": "RECORD", "targetId": record["id"],
         "subjectCode": record["subjectCode"], "handlerCode": record["providerCode"], "reason": "错误",
         "receivedAt": now, "dueDate": now.date(), "dueDateProvisional": False},
    )  # fmt: skip
    conform([filed], objections.ObjectionRow, "objections.file")
    on_provider = await objections.file(
        store,
        "Provider",
        {"id": "OBJ-ROWS-P", "kind": "OMISSION", "targetKind": "PROVIDER", "targetId": MARKET_REGULATOR,
         "subjectCode": record["subjectCode"], "handlerCode": MARKET_REGULATOR, "reason": "遗漏",
         "receivedAt": now, "dueDate": now.date(), "dueDateProvisional": False},
    )  # fmt: skip
    conform([on_provider], objections.ObjectionRow, "objections.file (provider)")
    conform([await objections.extend(store, "OBJ-ROWS", now.date(), True)], objections.ObjectionRow, "extend")
    handled = await objections.for_handlers(store, EVERYTHING, status=None, overdue_on=None, first=10, after=None)
    conform(handled, objections.ObjectionRow, "for_handlers")
    mine = await objections.filed_by(store, record["subjectCode"], status=None, first=10, after=None)
    conform(mine, objections.ObjectionRow, "objections.filed_by")
    conform([await objections.target(store, "Provider", MARKET_REGULATOR)], objections.TargetRow, "target")

    applied = await repairs.apply(
        store,
        {"id": "REP-ROWS", "recordId": record["id"], "statement": "已整改", "evidence": ["证明"], "appliedAt": now,
         "dueDate": now.date(), "dueDateProvisional": False},
    )  # fmt: skip
    conform([applied], repairs.ApplicationRow, "repairs.apply")
    conform(
        await repairs.for_handlers(store, EVERYTHING, status=None, overdue_on=None, first=10, after=None),
        repairs.ApplicationRow,
        "repairs.for_handlers",
    )
    mine_applied = await repairs.filed_by(store, record["subjectCode"], status=None, first=10, after=None)
    conform(mine_applied, repairs.ApplicationRow, "repairs.filed_by")

    notice = await notices.serve_before_acting(
        store,
        {"id": "NTC-ROWS", "subjectId": subject["id"], "servedByCode": MARKET_REGULATOR, "kind": "PRE_LISTING",
         "text": "拟列入", "ground": "MARKET_ORDER", "basis": "依据", "removalConditions": "条件", "rights": "权利",
         "recordIds": [record["id"]], "defenceUntil": now.date() + datetime.timedelta(days=7),
         "defenceUntilProvisional": False},
        now,
    )  # fmt: skip
    conform([notice], notices.NoticeRow, "serve_before_acting")
    notice_statement = await statements.add(
        store, "Notice", {"id": "STM-NTC-ROWS", "targetId": "NTC-ROWS", "subjectId": subject["id"], "text": "申辩",
                          "actorId": "a"}, now
    )  # fmt: skip
    conform([notice_statement], statements.StatementRow, "statements.add on a notice")
    assert await notices.waive_defence(store, "NTC-ROWS", actor_id="a", at=now)
    conform(await notices.served_on(store, COMPANY), notices.NoticeRow, "served_on")
    conform([await notices.defence(store, "NTC-ROWS")], notices.DefenceRow, "notices.defence")
    assert await notices.claim_for_decision(store, "NTC-ROWS", now)

    listing = await listings.add(
        store,
        {"id": "LST-ROWS", "subjectId": subject["id"], "ground": "MARKET_ORDER", "basis": "依据",
         "removalConditions": "条件", "decidedByCode": MARKET_REGULATOR, "noticeId": "NTC-ROWS", "actorId": "a",
         "recordIds": [record["id"]]},
        now,
    )  # fmt: skip
    conform([listing], listings.ListingRow, "listings.add")
    conform(
        by_id(await listings.of_subjects(store, [subject["id"]], filters)), listings.ListingRow, "listings.of_subjects"
    )
    conform(await listings.page(store, filters, first=10, after=None), listings.ListingRow, "listings.page")

    measure_id = await measures.apply(
        store,
        {"id": "MEA-ROWS", "subjectId": subject["id"], "implementedByCode": MARKET_REGULATOR, "type": "PUNITIVE",
         "item": "限制", "means": "方式", "basis": "依据", "startsAt": now.date(),
         "endsAt": now.date() + datetime.timedelta(days=30), "actorId": "a", "recordIds": [record["id"]],
         "noticeId": None, "listingId": "LST-ROWS"},
        now,
    )  # fmt: skip
    conform(by_id(await reads.measures_by_id(store, [measure_id], filters)), reads.MeasureRow, "measures.apply")

    statement = await statements.add(
        store, "Listing", {"id": "STM-ROWS", "targetId": "LST-ROWS", "subjectId": subject["id"], "text": "申辩",
                           "actorId": "a"}, now
    )  # fmt: skip
    conform([statement], statements.StatementRow, "statements.add")
    conform([await statements.target(store, "LST-ROWS")], statements.TargetRow, "statements.target")
    conform([await statements.target(store, "NTC-ROWS")], statements.TargetRow, "statements.target of a notice")
    conform([await notices.served_before_acting(store, "NTC-ROWS")], notices.ServedNoticeRow, "served_before_acting")
    conform(by_id(await statements.on_targets(store, ["LST-ROWS"])), statements.StatementRow, "on_targets")

    consent = await consents.create(
        store,
        subject["id"],
        {"id": "CON-ROWS", "granteeCode": CREDIT_AGENCY, "purpose": "COLLECTION", "categories": ["ADMINISTRATIVE_PENALTY"],
         "validFrom": now, "validUntil": now + datetime.timedelta(days=30)},
    )  # fmt: skip
    conform([consent], consents.ConsentRow, "consents.create")
    conform([await consents.revoke(store, "CON-ROWS", now, "a")], consents.ConsentRow, "consents.revoke")

    await declarations.ensure_platform(store)
    declared = await declarations.declare(
        store,
        {"id": "REC-ROWS", "subjectId": subject["id"], "title": "声明", "content": {"kind": "STATEMENT", "text": "声明"},
         "actorId": "a"},
        now,
    )  # fmt: skip
    conform([declared], declarations.DeclaredRow, "declare")
    corrected = await record_versions.correct(
        store, record, title="更正", content=record["content"], reason="更正", actor_id="a", at=now
    )
    conform([corrected], record_versions.Corrected, "record_versions.correct")
    changed = with_line(sample_objects(), "document", "DOC-2025-AMR-0001", number="湘市监处罚〔2025〕12-1号")
    await load(store, changed)
    kept = await versions.versions_of(store, "Document", ["DOC-2025-AMR-0001"])
    assert kept
    conform(by_id(kept), versions.ObjectVersionRow, "versions.versions_of")
