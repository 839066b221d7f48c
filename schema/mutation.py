"""The root Mutation: every change is authorized by the policy and written to the access log.

Every mutation has Relay's shape: one `input: XInput!` carrying `clientMutationId`, answered by an `XPayload` that
echoes it back with what changed, each under its own name. A payload is nullable at the root, so one refused
mutation leaves the others' answers in place.
"""

import datetime

import strawberry
from strawberry.scalars import JSON

from credit.model import LONG_TEXT, TITLE
from resolvers import (
    consents,
    declarations,
    documents,
    listings,
    measures,
    notices,
    objections,
    publication,
    records,
    repairs,
    statements,
)

from .consents import Consent, GrantConsentInput, RevokeConsentInput
from .enums import DeclarationKind
from .listings import ListSeriousDishonestyInput, RemoveListingInput
from .measures import ApplyMeasureInput
from .notices import Notice, ServeNoticeInput, WaiveDefenceInput
from .objections import DecideObjectionInput, FileObjectionInput, Objection, RequestAssistanceInput
from .repairs import ApplyForRepairInput, DecideRepairInput, RepairApplication
from .types import CreditRecord, Document, Info, Listing, Measure, MutationInput, Statement


@strawberry.input(description="A subject's statement or defence on a measure, listing or notice against it (Art. 37).")
class SubmitStatementInput(MutationInput):
    target_id: strawberry.ID = strawberry.field(
        description="The measure or listing the statement is about, or the PRE_MEASURE or PRE_LISTING notice served "
        "on you, from its service until the measure or listing is decided on it (then that decision's id)."
    )
    text: str = strawberry.field(
        description=f"The statement, up to {LONG_TEXT:,} characters; shown with the measure or listing (one made on a "
        "notice, with the measure or listing decided on it)."
    )


@strawberry.input(description="The report that a judgment, ruling or penalty decision was revoked (Art. 34).")
class RevokeDocumentInput(MutationInput):
    document_id: strawberry.ID = strawberry.field(description="The document revoked.")
    reason: str = strawberry.field(description="Why: shown in the version of every record it revokes.")


@strawberry.input(description="The report that a judgment, ruling or penalty decision was changed (Art. 34).")
class AmendDocumentInput(MutationInput):
    document_id: strawberry.ID = strawberry.field(description="The document changed.")
    number: str = strawberry.field(description="Its official number (文号) as changed.")
    issued_on: datetime.date = strawberry.field(description="The date the changed document was issued.")
    reason: str = strawberry.field(description="Why: shown in the new version of every record based on it.")


@strawberry.input(description="A provider's correction of a record it supplied (Art. 33).")
class CorrectRecordInput(MutationInput):
    record_id: strawberry.ID = strawberry.field(description="The record to correct.")
    title: str = strawberry.field(description="The corrected title.")
    content: JSON = strawberry.field(description="The corrected content, in the record's catalog item format.")
    reason: str = strawberry.field(description="Why: shown with the old version, to the subject too.")


@strawberry.input(description="A subject's declaration about itself (Art. 14), published as a SELF_DECLARED record.")
class DeclareInput(MutationInput):
    kind: DeclarationKind = strawberry.field(description="A statement, self-reported information or a commitment.")
    title: str = strawberry.field(description=f"The title, up to {TITLE:,} characters.")
    content: str = strawberry.field(description=f"What the subject declares, up to {LONG_TEXT:,} characters.")


@strawberry.input(description="The subject's own record to publish to everyone (Art. 16).")
class PublishRecordInput(MutationInput):
    record_id: strawberry.ID = strawberry.field(description="One of your records disclosed as SUBJECT_PUBLISHED.")


@strawberry.input(description="The subject's own published record to make non-public again (Art. 16).")
class WithdrawPublicationInput(MutationInput):
    record_id: strawberry.ID = strawberry.field(description="One of your records you published.")


@strawberry.type(description="What every mutation answers: the input's clientMutationId, and what it changed.")
class Payload:
    client_mutation_id: str | None = strawberry.field(description="The input's clientMutationId, echoed back.")


@strawberry.type(description="A consent granted.")
class GrantConsentPayload(Payload):
    consent: Consent = strawberry.field(description="The consent, ACTIVE.")


@strawberry.type(description="A consent revoked.")
class RevokeConsentPayload(Payload):
    consent: Consent = strawberry.field(description="The consent, REVOKED: it stops holding on the next request.")


@strawberry.type(description="A record corrected by its provider (Art. 33).")
class CorrectRecordPayload(Payload):
    record: CreditRecord = strawberry.field(description="The record as corrected, its old version kept.")


@strawberry.type(description="An objection filed (Art. 32).")
class FileObjectionPayload(Payload):
    objection: Objection = strawberry.field(description="The objection, OPEN, with its due date.")


@strawberry.type(description="An objection whose verification other units help with: due later.")
class RequestAssistancePayload(Payload):
    objection: Objection = strawberry.field(description="The objection, due 5 working days after receipt.")


@strawberry.type(description="An objection decided.")
class DecideObjectionPayload(Payload):
    objection: Objection = strawberry.field(description="The objection, UPHELD or REJECTED, with its notice.")


@strawberry.type(description="A revoked document and the records that stopped being disclosed with it (Art. 34).")
class RevokeDocumentPayload(Payload):
    document: Document = strawberry.field(description="The document, now REVOKED.")
    revoked_record_ids: list[strawberry.ID] = strawberry.field(
        description="Records based only on revoked documents: now REVOKED, each with a version saying why."
    )


@strawberry.type(description="A changed document and the records based on it, each with a new version (Art. 34).")
class AmendDocumentPayload(Payload):
    document: Document = strawberry.field(description="The document as changed (its earlier state kept).")
    versioned_record_ids: list[strawberry.ID] = strawberry.field(
        description="Every record based on it: each has a new version saying why."
    )


@strawberry.type(description="A repair application filed (Art. 36).")
class ApplyForRepairPayload(Payload):
    repair_application: RepairApplication = strawberry.field(description="The application, PENDING.")


@strawberry.type(description="A repair application decided.")
class DecideRepairPayload(Payload):
    repair_application: RepairApplication = strawberry.field(
        description="The application, APPROVED or REJECTED, with its notice."
    )


@strawberry.type(description="A written notice served (Arts. 23-24).")
class ServeNoticePayload(Payload):
    notice: Notice = strawberry.field(description="The notice as served.")


@strawberry.type(description="A subject's defence period waived (Art. 37).")
class WaiveDefencePayload(Payload):
    notice: Notice = strawberry.field(description="The notice, with defenceWaivedAt.")


@strawberry.type(description="A measure applied (Art. 19).")
class ApplyMeasurePayload(Payload):
    measure: Measure = strawberry.field(description="The measure.")


@strawberry.type(description="A subject listed as seriously dishonest (Art. 24).")
class ListSeriousDishonestyPayload(Payload):
    listing: Listing = strawberry.field(description="The listing, ACTIVE.")


@strawberry.type(description="A subject taken off the serious-dishonesty list.")
class RemoveListingPayload(Payload):
    listing: Listing = strawberry.field(description="The listing, REMOVED.")


@strawberry.type(description="A statement or defence made (Art. 37).")
class SubmitStatementPayload(Payload):
    statement: Statement = strawberry.field(description="The statement, shown with the measure or listing.")


@strawberry.type(description="A subject's declaration published (Art. 14).")
class DeclarePayload(Payload):
    record: CreditRecord = strawberry.field(description="The SELF_DECLARED record.")


@strawberry.type(description="A subject's record published (Art. 16).")
class PublishRecordPayload(Payload):
    record: CreditRecord = strawberry.field(description="The record, now readable by everyone while disclosed.")


@strawberry.type(description="A subject's publication withdrawn (Art. 16).")
class WithdrawPublicationPayload(Payload):
    record: CreditRecord = strawberry.field(
        description="The record, now read as an authorized query: by holders of your consent, not by everyone."
    )


@strawberry.type(description="Change the credit graph. Every change is authorized by the policy and logged.")
class Mutation:
    @strawberry.mutation(description="As a SUBJECT, consent to an organization's collecting or querying your data.")
    async def grant_consent(self, info: Info, input: GrantConsentInput) -> GrantConsentPayload | None:
        row = await consents.grant(
            info.context,
            grantee_code=input.grantee_code,
            purpose=input.purpose,
            categories=input.categories,
            expires_at=input.expires_at,
            client_mutation_id=input.client_mutation_id,
        )
        return GrantConsentPayload(client_mutation_id=input.client_mutation_id, consent=Consent.from_row(row))

    @strawberry.mutation(description="As a SUBJECT, revoke one of your consents; it stops holding on the next request.")
    async def revoke_consent(self, info: Info, input: RevokeConsentInput) -> RevokeConsentPayload | None:
        row = await consents.revoke(
            info.context, consent_id=str(input.consent_id), client_mutation_id=input.client_mutation_id
        )
        return RevokeConsentPayload(client_mutation_id=input.client_mutation_id, consent=Consent.from_row(row))

    @strawberry.mutation(
        description="As the PROVIDER that supplied it, correct a record: a new version, the old one kept (Art. 33)."
    )
    async def correct_record(self, info: Info, input: CorrectRecordInput) -> CorrectRecordPayload | None:
        row = await records.correct(
            info.context,
            record_id=str(input.record_id),
            title=input.title,
            content=input.content,
            reason=input.reason,
            client_mutation_id=input.client_mutation_id,
        )
        return CorrectRecordPayload(client_mutation_id=input.client_mutation_id, record=CreditRecord.from_row(row))

    @strawberry.mutation(
        description="As the SUBJECT, object to one of your records, listings or measures, or to a provider; decided "
        "within 3 working days."
    )
    async def file_objection(self, info: Info, input: FileObjectionInput) -> FileObjectionPayload | None:
        row = await objections.file(
            info.context,
            record_id=None if input.record_id is None else str(input.record_id),
            listing_id=None if input.listing_id is None else str(input.listing_id),
            measure_id=None if input.measure_id is None else str(input.measure_id),
            provider_code=input.provider_code,
            kind=input.kind,
            reason=input.reason,
            client_mutation_id=input.client_mutation_id,
        )
        return FileObjectionPayload(client_mutation_id=input.client_mutation_id, objection=Objection.from_row(row))

    @strawberry.mutation(description="As its handler, say other units help verify: due 5 working days after receipt.")
    async def request_assistance(self, info: Info, input: RequestAssistanceInput) -> RequestAssistancePayload | None:
        row = await objections.request_assistance(
            info.context, objection_id=str(input.objection_id), client_mutation_id=input.client_mutation_id
        )
        return RequestAssistancePayload(client_mutation_id=input.client_mutation_id, objection=Objection.from_row(row))

    @strawberry.mutation(
        description="As its handler (the record's provider, the listing's or measure's agency, the provider objected "
        "to) or ADMIN, decide an objection; the subject is served the written result."
    )
    async def decide_objection(self, info: Info, input: DecideObjectionInput) -> DecideObjectionPayload | None:
        correction = (
            {"title": input.correction.title, "content": input.correction.content} if input.correction else None
        )
        row = await objections.decide(
            info.context,
            objection_id=str(input.objection_id),
            outcome=input.outcome,
            reply=input.reply,
            correction=correction,
            client_mutation_id=input.client_mutation_id,
        )
        return DecideObjectionPayload(client_mutation_id=input.client_mutation_id, objection=Objection.from_row(row))

    @strawberry.mutation(
        description="As its issuer, the provider of a record based on it, or ADMIN, report that a document was "
        "revoked: records based only on revoked documents are revoked, and their subjects served a notice."
    )
    async def revoke_document(self, info: Info, input: RevokeDocumentInput) -> RevokeDocumentPayload | None:
        document, revoked = await documents.revoke(
            info.context,
            document_id=str(input.document_id),
            reason=input.reason,
            client_mutation_id=input.client_mutation_id,
        )
        return RevokeDocumentPayload(
            client_mutation_id=input.client_mutation_id,
            document=Document.from_row(document),
            revoked_record_ids=[strawberry.ID(record_id) for record_id in revoked],
        )

    @strawberry.mutation(
        description="As its issuer, the provider of a record based on it, or ADMIN, report that a document was changed "
        "(its number, its date of issue): the document and every record based on it get a new version, and their "
        "subjects are served a notice."
    )
    async def amend_document(self, info: Info, input: AmendDocumentInput) -> AmendDocumentPayload | None:
        document, versioned = await documents.amend(
            info.context,
            document_id=str(input.document_id),
            number=input.number,
            issued_on=input.issued_on,
            reason=input.reason,
            client_mutation_id=input.client_mutation_id,
        )
        return AmendDocumentPayload(
            client_mutation_id=input.client_mutation_id,
            document=Document.from_row(document),
            versioned_record_ids=[strawberry.ID(record_id) for record_id in versioned],
        )

    @strawberry.mutation(
        description="As the SUBJECT, apply to repair a dishonesty record still disclosed (Art. 36), with evidence."
    )
    async def apply_for_repair(self, info: Info, input: ApplyForRepairInput) -> ApplyForRepairPayload | None:
        row = await repairs.apply(
            info.context,
            record_id=str(input.record_id),
            statement=input.statement,
            evidence=input.evidence,
            client_mutation_id=input.client_mutation_id,
        )
        return ApplyForRepairPayload(
            client_mutation_id=input.client_mutation_id, repair_application=RepairApplication.from_row(row)
        )

    @strawberry.mutation(
        description="As the record's provider or ADMIN, decide a repair: approved, the record is no longer disclosed."
    )
    async def decide_repair(self, info: Info, input: DecideRepairInput) -> DecideRepairPayload | None:
        row = await repairs.decide(
            info.context,
            application_id=str(input.application_id),
            approve=input.approve,
            reason=input.reason,
            client_mutation_id=input.client_mutation_id,
        )
        return DecideRepairPayload(
            client_mutation_id=input.client_mutation_id, repair_application=RepairApplication.from_row(row)
        )

    @strawberry.mutation(
        description="As an AGENCY, serve a written notice on a subject before a regulatory or punitive measure or a "
        "listing (Arts. 23-24): it names the records relied on and their providers, and the subject's rights, and "
        "opens the subject's defence period (defenceEndsOn, Art. 37)."
    )
    async def serve_notice(self, info: Info, input: ServeNoticeInput) -> ServeNoticePayload | None:
        row = await notices.serve(
            info.context,
            subject_code=input.subject_code,
            kind=input.kind,
            record_ids=[str(record_id) for record_id in input.record_ids],
            text=input.text,
            listing={
                "ground": input.ground.value if input.ground else None,
                "basis": input.basis,
                "removalConditions": input.removal_conditions,
            },
            client_mutation_id=input.client_mutation_id,
        )
        return ServeNoticePayload(client_mutation_id=input.client_mutation_id, notice=Notice.from_row(row))

    @strawberry.mutation(
        description="As the SUBJECT, give up in writing the rest of your defence period on a PRE_MEASURE or "
        "PRE_LISTING notice served on you (Art. 37): the listing or measure may be decided at once. CONFLICT once "
        "waived, once the period is over or once decided."
    )
    async def waive_defence(self, info: Info, input: WaiveDefenceInput) -> WaiveDefencePayload | None:
        row = await notices.waive_defence(
            info.context, notice_id=str(input.notice_id), client_mutation_id=input.client_mutation_id
        )
        return WaiveDefencePayload(client_mutation_id=input.client_mutation_id, notice=Notice.from_row(row))

    @strawberry.mutation(
        description="As an AGENCY, apply an incentive, regulatory or punitive measure (Arts. 19, 22-27); refused with "
        "CONFLICT, saying what is missing, without the notice or the SERIOUS record or listing it needs, and for a "
        "punitive one while the subject's defence period on the notice runs (Arts. 24, 37)."
    )
    async def apply_measure(self, info: Info, input: ApplyMeasureInput) -> ApplyMeasurePayload | None:
        row = await measures.apply(
            info.context,
            subject_code=input.subject_code,
            type=input.type,
            item=input.item,
            means=input.means,
            basis=input.basis,
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            record_ids=[str(record_id) for record_id in input.record_ids],
            notice_id=str(input.notice_id) if input.notice_id else None,
            listing_id=str(input.listing_id) if input.listing_id else None,
            client_mutation_id=input.client_mutation_id,
        )
        return ApplyMeasurePayload(client_mutation_id=input.client_mutation_id, measure=Measure.from_row(row))

    @strawberry.mutation(
        description="As an AGENCY, list a subject as seriously dishonest after serving a PRE_LISTING notice "
        "(Art. 24), as the notice said (ground, basis, removal conditions, records), once the subject's defence "
        "period is over or waived (Art. 37); an organization's listing names its legal representative (Art. 26)."
    )
    async def list_serious_dishonesty(
        self, info: Info, input: ListSeriousDishonestyInput
    ) -> ListSeriousDishonestyPayload | None:
        row = await listings.add(
            info.context,
            subject_code=input.subject_code,
            ground=input.ground,
            basis=input.basis,
            removal_conditions=input.removal_conditions,
            record_ids=[str(record_id) for record_id in input.record_ids],
            notice_id=str(input.notice_id),
            client_mutation_id=input.client_mutation_id,
        )
        return ListSeriousDishonestyPayload(client_mutation_id=input.client_mutation_id, listing=Listing.from_row(row))

    @strawberry.mutation(
        description="As the deciding agency or ADMIN, take a subject off the list; punitive measures under it end."
    )
    async def remove_listing(self, info: Info, input: RemoveListingInput) -> RemoveListingPayload | None:
        row = await listings.remove(
            info.context,
            listing_id=str(input.listing_id),
            reason=input.reason,
            client_mutation_id=input.client_mutation_id,
        )
        return RemoveListingPayload(client_mutation_id=input.client_mutation_id, listing=Listing.from_row(row))

    @strawberry.mutation(
        description="As the SUBJECT, make a statement or defence on a measure or listing against you, or on a "
        "PRE_MEASURE or PRE_LISTING notice served on you until it is decided on (Arts. 24, 37)."
    )
    async def submit_statement(self, info: Info, input: SubmitStatementInput) -> SubmitStatementPayload | None:
        row = await statements.submit(
            info.context, target_id=str(input.target_id), text=input.text, client_mutation_id=input.client_mutation_id
        )
        return SubmitStatementPayload(client_mutation_id=input.client_mutation_id, statement=Statement.from_row(row))

    @strawberry.mutation(
        description="As a SUBJECT, declare about yourself (Art. 14): a SELF_DECLARED record everyone may read."
    )
    async def declare(self, info: Info, input: DeclareInput) -> DeclarePayload | None:
        row = await declarations.declare(
            info.context,
            kind=input.kind,
            title=input.title,
            text=input.content,
            client_mutation_id=input.client_mutation_id,
        )
        return DeclarePayload(client_mutation_id=input.client_mutation_id, record=CreditRecord.from_row(row))

    @strawberry.mutation(
        description="As the SUBJECT, publish one of your SUBJECT_PUBLISHED records: everyone may read it while it is "
        "disclosed (Art. 16). Until then it is read as an authorized query; a declaration is published by declaring."
    )
    async def publish_record(self, info: Info, input: PublishRecordInput) -> PublishRecordPayload | None:
        row = await publication.publish(
            info.context, record_id=str(input.record_id), client_mutation_id=input.client_mutation_id
        )
        return PublishRecordPayload(client_mutation_id=input.client_mutation_id, record=CreditRecord.from_row(row))

    @strawberry.mutation(
        description="As the SUBJECT, withdraw the publication of one of your records: it is read as an authorized "
        "query again, by holders of your consent (Art. 16)."
    )
    async def withdraw_publication(
        self, info: Info, input: WithdrawPublicationInput
    ) -> WithdrawPublicationPayload | None:
        row = await publication.withdraw(
            info.context, record_id=str(input.record_id), client_mutation_id=input.client_mutation_id
        )
        return WithdrawPublicationPayload(
            client_mutation_id=input.client_mutation_id, record=CreditRecord.from_row(row)
        )
