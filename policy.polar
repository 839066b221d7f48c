# Who may read and change what: the whole policy, one file (docs/contract.md, authorization model).
#
# Kept inside what Oso data filtering can compile to Cypher: no negation, no
# method calls on resources, revocation as a positive status. "Now" and the
# declared purpose come on the viewer. A viewer's purpose is set only when it is
# in the query application catalog (Art. 20); the server refuses any other.

# --- credit data at all (Art. 20) ---------------------------------------------------------
# An agency reads credit data only for a purpose of the query application catalog. Without one it reads none: its
# requests are refused (PURPOSE_REQUIRED), not answered with what anyone may see. Everyone else reads what the
# rules below allow, a purpose or not.

allow(viewer: Viewer, "read", "CREDIT_DATA") if viewer.role != "AGENCY";

allow(viewer: Viewer, "read", "CREDIT_DATA") if viewer.role = "AGENCY" and viewer.purpose != nil;

# --- records --------------------------------------------------------------------------

# Disclosable: active, confirmed, and inside the disclosure window (Arts. 34-36). The one definition of the window:
# the read filter compiles it twice, inside every record rule below and alone, as "disclose" (what is disclosed
# today, whoever asks: what the risk network rings red), and the repair code asks it of a single record
# (authz/read_filter.py). Past its window a record gets no query service (Art. 35): only the rules for its provider,
# the department and auditors (and its subject's own history, Art. 31) do not ask for it.
disclosable(record: Record, viewer: Viewer) if
    record.status = "ACTIVE" and record.confirmedAt <= viewer.today and record.disclosureUntil = nil;
disclosable(record: Record, viewer: Viewer) if
    record.status = "ACTIVE" and record.confirmedAt <= viewer.today and
    record.disclosureUntil != nil and record.disclosureUntil >= viewer.today;  # a missing end is not comparable

allow(viewer: Viewer, "disclose", record: Record) if disclosable(record, viewer);

# Everyone, anonymous viewers and auditors included: public notice (Art. 16).
allow(viewer: Viewer, "read", record: Record) if
    record.disclosureMode = "PUBLIC_NOTICE" and
    disclosable(record, viewer);

# Everyone, too: the subject's own publication (Art. 16), but only while its subject has published it (a declaration
# is published by declaring it; publishRecord, withdrawPublication). Unpublished, it reads as an authorized query.
allow(viewer: Viewer, "read", record: Record) if
    record.disclosureMode = "SUBJECT_PUBLISHED" and record.publishedBySubjectAt != nil and
    disclosable(record, viewer);

# Government sharing: agencies whose query has a catalogued purpose (Art. 20), in the categories that purpose serves
# (Art. 21, minimum necessity). The viewer carries them, as the catalog says when the request runs; compiled, the
# list is one parameter (authz/cypher_filter.py MEMBERS).
allow(viewer: Viewer, "read", record: Record) if
    viewer.role = "AGENCY" and viewer.purpose != nil and
    record.disclosureMode = "GOVERNMENT_SHARING" and
    record.category in viewer.categories and
    disclosable(record, viewer);

# Authorized query: an organization holding the subject's consent for this purpose and category (Arts. 16, 28).
allow(viewer: Viewer, "read", record: Record) if
    organization(viewer) and viewer.purpose != nil and
    record.disclosureMode in ["AUTHORIZED_QUERY", "SUBJECT_PUBLISHED"] and  # published or not
    disclosable(record, viewer) and
    consent in record.subject.consents and
    consent_holds(consent, viewer) and
    record.category in consent.categories;

# The subject reads all of its own records, disclosable or not (Art. 31): its own history, not a query service
# to others (Art. 35).
allow(viewer: Viewer, "read", record: Record) if
    viewer.role = "SUBJECT" and record.subject.code = viewer.unit;

# A provider reads what it provided.
allow(viewer: Viewer, "read", record: Record) if
    viewer.role = "PROVIDER" and record.providerCode = viewer.unit;

# The competent department and auditors read everything, past its window too (Arts. 18, 35, 38-40).
allow(viewer: Viewer, "read", _record: Record) if
    viewer.role in ["ADMIN", "AUDITOR"];

# --- who a natural person is ------------------------------------------------------------
# "reveal": the full name and resident ID. Organizations are never masked; a
# person is shown to themself, the department, agencies with a purpose (the person
# it asks for: see "reveal_listed"), holders of the person's consent, and providers
# of a record about them.

allow(_viewer: Viewer, "reveal", subject: Subject) if
    subject.kind in ["LEGAL_PERSON", "UNINCORPORATED_ORG"];

allow(viewer: Viewer, "reveal", _subject: Subject) if
    viewer.role = "ADMIN";

allow(viewer: Viewer, "reveal", _subject: Subject) if
    viewer.role = "AGENCY" and viewer.purpose != nil;

allow(viewer: Viewer, "reveal", subject: Subject) if
    viewer.role = "SUBJECT" and subject.code = viewer.unit;

allow(viewer: Viewer, "reveal", subject: Subject) if
    organization(viewer) and viewer.purpose != nil and
    consent in subject.consents and
    consent_holds(consent, viewer);

allow(viewer: Viewer, "reveal", subject: Subject) if
    viewer.role = "PROVIDER" and
    record in subject.records and
    record.providerCode = viewer.unit;

# "reveal_listed": who a natural person is, in a list of subjects by kind, region or name. An agency knows only the
# persons it asks for (Arts. 20-21, minimum necessity): by code or id, as the subject of a record it reads, on a
# relationship lookup; in a list it sees them masked, and a name does not find them. Everyone else sees a person in
# a list as it would anywhere.
allow(viewer: Viewer, "reveal_listed", subject: Subject) if
    viewer.role != "AGENCY" and allow(viewer, "reveal", subject);

allow(viewer: Viewer, "reveal_listed", subject: Subject) if
    viewer.role = "AGENCY" and subject.kind in ["LEGAL_PERSON", "UNINCORPORATED_ORG"];

# --- the people a record names ----------------------------------------------------------
# A record's content may name natural persons (a company's legal representative, a shop's operator: the fields its
# catalog item marks "x-personal"). "reveal" on a record: they are shown in full, as a person is, to the department,
# agencies with a purpose, the record's subject, its provider, and holders of the subject's consent; masked for
# everyone else.

allow(viewer: Viewer, "reveal", _record: Record) if viewer.role = "ADMIN";

allow(viewer: Viewer, "reveal", _record: Record) if
    viewer.role = "AGENCY" and viewer.purpose != nil;

allow(viewer: Viewer, "reveal", record: Record) if
    viewer.role = "SUBJECT" and record.subjectCode = viewer.unit;

allow(viewer: Viewer, "reveal", record: Record) if
    viewer.role = "PROVIDER" and record.providerCode = viewer.unit;

allow(viewer: Viewer, "reveal", record: Record) if
    organization(viewer) and viewer.purpose != nil and
    consent in record.subject.consents and
    consent_holds(consent, viewer);

# Who changed a record (its versions' actors) is for the department, auditors and the record's provider (Arts. 18,
# 38-40); everyone else reads what changed, when and why.

allow(viewer: Viewer, "see_actors", _record: Record) if viewer.role in ["ADMIN", "AUDITOR"];

allow(viewer: Viewer, "see_actors", record: Record) if
    viewer.role = "PROVIDER" and record.providerCode = viewer.unit;

# What a record said before it was corrected (its earlier versions' titles and contents) is not published (Arts.
# 32-33): it is for the subject, the record's provider, the department and auditors; everyone else reads each
# version's number, time and reason, and the record as it is now.

allow(viewer: Viewer, "read_earlier_content", _record: Record) if viewer.role in ["ADMIN", "AUDITOR"];

allow(viewer: Viewer, "read_earlier_content", record: Record) if
    viewer.role = "SUBJECT" and record.subjectCode = viewer.unit;

allow(viewer: Viewer, "read_earlier_content", record: Record) if
    viewer.role = "PROVIDER" and record.providerCode = viewer.unit;

# --- shared ----------------------------------------------------------------------------

organization(viewer: Viewer) if viewer.role in ["AGENCY", "CREDIT_SERVICE", "PROVIDER"];

# A consent the subject granted to the viewer's organization, for the declared purpose, in force now.
consent_holds(consent, viewer: Viewer) if
    consent.granteeCode = viewer.unit and
    consent.purpose = viewer.purpose and
    consent.status = "ACTIVE" and
    consent.validFrom <= viewer.now and
    consent.validUntil >= viewer.now;

# --- the access log (Arts. 21, 31) --------------------------------------------------------
# A subject reads who touched its data; auditors and the department read the whole log.

allow(viewer: Viewer, "read", "OWN_ACCESS_LOG") if viewer.role = "SUBJECT";

allow(viewer: Viewer, "read", "ACCESS_LOG") if viewer.role in ["AUDITOR", "ADMIN"];

# --- consent (Arts. 15, 16) ---------------------------------------------------------------
# A subject grants, lists and revokes its own consents; nobody else does.

allow(viewer: Viewer, "grant_consent", subject: Subject) if
    viewer.role = "SUBJECT" and subject.code = viewer.unit;

allow(viewer: Viewer, "revoke", consent: Consent) if
    viewer.role = "SUBJECT" and consent.subjectCode = viewer.unit;

allow(viewer: Viewer, "read", "OWN_CONSENTS") if viewer.role = "SUBJECT";

# Who may grant or revoke at all, asked before the subject or the consent is looked up: a subject, as itself.
allow(viewer: Viewer, "grant_consent", "OWN_SUBJECT") if viewer.role = "SUBJECT" and viewer.unit != nil;

allow(viewer: Viewer, "revoke", "OWN_CONSENTS") if viewer.role = "SUBJECT" and viewer.unit != nil;

# --- changes to records (Arts. 33-36) ------------------------------------------------------

# The provider corrects what it supplied (Art. 33).
allow(viewer: Viewer, "correct", record: Record) if
    viewer.role = "PROVIDER" and record.providerCode = viewer.unit;

# The subject's own publication (Art. 16): the subject publishes its own records, and withdraws the publication.
allow(viewer: Viewer, "publish", record: Record) if
    viewer.role = "SUBJECT" and record.subjectCode = viewer.unit;

# Objections (Art. 32): the subject objects to its own records, listings and measures, and to a provider (what it
# left out, or how it collected or used the subject's information). Each is decided by whoever the law makes answer
# for its target: a record's provider, the agency that decided a listing, the agency that implements a measure, the
# provider objected to (signed in as the AGENCY or PROVIDER it is, as a provider handles its records); the department
# decides any. A record's provider and the department also decide its repair
# (Art. 36), through "handle" on the record.
allow(viewer: Viewer, "object", record: Record) if
    viewer.role = "SUBJECT" and record.subjectCode = viewer.unit;

allow(viewer: Viewer, "object", listing: Listing) if
    viewer.role = "SUBJECT" and listing.subjectCode = viewer.unit;

allow(viewer: Viewer, "object", measure: Measure) if
    viewer.role = "SUBJECT" and measure.subjectCode = viewer.unit;

allow(viewer: Viewer, "object", "PROVIDERS") if viewer.role = "SUBJECT" and viewer.unit != nil;

allow(viewer: Viewer, "handle", record: Record) if
    viewer.role = "PROVIDER" and record.providerCode = viewer.unit;

allow(viewer: Viewer, "handle", _record: Record) if
    viewer.role = "ADMIN";

allow(viewer: Viewer, "handle", objection: Objection) if
    objection.targetKind = "RECORD" and viewer.role = "PROVIDER" and objection.handlerCode = viewer.unit;

allow(viewer: Viewer, "handle", objection: Objection) if
    objection.targetKind = "LISTING" and viewer.role = "AGENCY" and objection.handlerCode = viewer.unit;

allow(viewer: Viewer, "handle", objection: Objection) if
    objection.targetKind in ["MEASURE", "PROVIDER"] and viewer.role in ["AGENCY", "PROVIDER"] and
    objection.handlerCode = viewer.unit;

allow(viewer: Viewer, "handle", _objection: Objection) if viewer.role = "ADMIN";

# An objection is read by the subject that filed it and by whoever handles it.
allow(viewer: Viewer, "read", objection: Objection) if
    viewer.role = "SUBJECT" and objection.subjectCode = viewer.unit;

allow(viewer: Viewer, "read", objection: Objection) if allow(viewer, "handle", objection);

# Lists of cases: handlers list those they decide (compiled from "handle" above); a subject lists its own objections
# and repair applications.
allow(viewer: Viewer, "read", "OBJECTIONS") if viewer.role in ["AGENCY", "PROVIDER", "ADMIN"];

allow(viewer: Viewer, "read", "REPAIR_APPLICATIONS") if viewer.role in ["PROVIDER", "ADMIN"];

allow(viewer: Viewer, "read", "OWN_CASES") if viewer.role = "SUBJECT";

# A revoked or changed judgment, ruling or penalty decision (Art. 34): its issuer reports it (revokeDocument,
# amendDocument), the original provider of a record based on it, or the department.
allow(viewer: Viewer, "revoke", document: Document) if
    viewer.role in ["AGENCY", "PROVIDER"] and document.issuerCode = viewer.unit;

allow(viewer: Viewer, "revoke", document: Document) if
    viewer.role in ["AGENCY", "PROVIDER"] and viewer.unit in document.providerCodes;

allow(viewer: Viewer, "revoke", _document: Document) if
    viewer.role = "ADMIN";

# Credit repair (Art. 36): the subject applies for its own records; the provider, or the department, decides.
allow(viewer: Viewer, "apply_for_repair", record: Record) if
    viewer.role = "SUBJECT" and record.subjectCode = viewer.unit;

# Statements and defence (Art. 37): a punished or listed subject speaks on its own measures and listings.
allow(viewer: Viewer, "state", measure: Measure) if
    viewer.role = "SUBJECT" and measure.subjectCode = viewer.unit;

# Written notices served on a subject (Arts. 23, 24, 32, 36): read by that subject.
allow(viewer: Viewer, "read", "OWN_NOTICES") if viewer.role = "SUBJECT";

# --- reading a measure (Arts. 19, 35, 36) ---------------------------------------------------
# A measure is published while it runs: started, not past its last day, and not ended early (a repair of a record
# it rested on, Art. 36, the revocation of such a record's legal document, Art. 34, or the removal of the listing it
# was taken under, Art. 24, set its endReason). Its subject, the implementing agency, the department and auditors
# read it always (Arts. 18, 31). Anyone else reads it after it ran only with a record it rests on that this viewer
# may read under the record rules above (Art. 35): that part is "read" on Record itself, which Oso does not compile
# through a relation, so the read filter adds it as
# `EXISTS { (m)-[:BECAUSE_OF]->(r:Record) WHERE <this viewer's record predicate> }` (authz/read_filter.py).

running(measure: Measure, viewer: Viewer) if
    measure.endReason = nil and measure.startsAt <= viewer.today and measure.endsAt >= viewer.today;

allow(viewer: Viewer, "read", measure: Measure) if running(measure, viewer);

allow(viewer: Viewer, "read", measure: Measure) if
    viewer.role = "SUBJECT" and measure.subjectCode = viewer.unit;

allow(viewer: Viewer, "read", measure: Measure) if
    viewer.role in ["AGENCY", "PROVIDER"] and measure.implementedByCode = viewer.unit;

allow(viewer: Viewer, "read", _measure: Measure) if viewer.role in ["ADMIN", "AUDITOR"];

# --- measures, notices and the serious-dishonesty list (Arts. 19, 22-27) ---------------------
# Agencies act on any subject they may find; the written notice comes first (checked by the resolvers, which need
# the graph). Who may act does not depend on the subject, so it is decided before the subject is looked up.

allow(viewer: Viewer, "serve_notice", "SUBJECTS") if viewer.role = "AGENCY" and viewer.unit != nil;

allow(viewer: Viewer, "impose", "SUBJECTS") if viewer.role = "AGENCY" and viewer.unit != nil;

allow(viewer: Viewer, "list", "SUBJECTS") if viewer.role = "AGENCY" and viewer.unit != nil;

# The deciding agency removes a listing, or the department.
allow(viewer: Viewer, "remove", listing: Listing) if
    viewer.role = "AGENCY" and listing.decidedByCode = viewer.unit;

allow(viewer: Viewer, "remove", _listing: Listing) if viewer.role = "ADMIN";

# The list is public while a listing stands (Art. 24): not removed, and inside its query period (Art. 35: three
# years from the listing, extended while a punitive measure under it runs; graph_store/listings.py keeps
# `disclosureUntil`). "disclose" is the same rule alone, for the list itself. A removed or expired listing stays
# readable by the subject it was about, the agency that decided it, the department and auditors (Art. 18).
standing(listing: Listing, viewer: Viewer) if
    listing.status = "ACTIVE" and listing.disclosureUntil != nil and listing.disclosureUntil >= viewer.today;

allow(viewer: Viewer, "disclose", listing: Listing) if standing(listing, viewer);

allow(viewer: Viewer, "read", listing: Listing) if standing(listing, viewer);

allow(viewer: Viewer, "read", listing: Listing) if
    viewer.role = "SUBJECT" and listing.subjectCode = viewer.unit;

allow(viewer: Viewer, "read", listing: Listing) if
    viewer.role = "AGENCY" and listing.decidedByCode = viewer.unit;

allow(viewer: Viewer, "read", _listing: Listing) if viewer.role in ["ADMIN", "AUDITOR"];

allow(viewer: Viewer, "state", listing: Listing) if
    viewer.role = "SUBJECT" and listing.subjectCode = viewer.unit;

# Defence before the decision (Arts. 24, 37): the subject an agency's notice was served on states its defence on the
# notice until the listing or measure is decided (then on that), and may waive the rest of the period in writing.
allow(viewer: Viewer, "state", notice: Notice) if
    viewer.role = "SUBJECT" and notice.subjectCode = viewer.unit;

allow(viewer: Viewer, "waive", notice: Notice) if
    viewer.role = "SUBJECT" and notice.subjectCode = viewer.unit;

# Self-declaration (Art. 14): a subject declares about itself only.
allow(viewer: Viewer, "declare", subject: Subject) if
    viewer.role = "SUBJECT" and subject.code = viewer.unit;

# Who may declare at all, asked before the subject is looked up.
allow(viewer: Viewer, "declare", "OWN_SUBJECT") if viewer.role = "SUBJECT" and viewer.unit != nil;

# --- relationship lookups (Arts. 24-26) ----------------------------------------------------
# Who stands behind a subject: agencies querying for a catalogued purpose (Art. 20), and the department.

allow(viewer: Viewer, "trace", "RELATIONS") if viewer.role = "AGENCY" and viewer.purpose != nil;

allow(viewer: Viewer, "trace", "RELATIONS") if viewer.role = "ADMIN";
