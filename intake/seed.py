"""Deterministic synthetic demo data in the import format (docs/contract.md, "Command line and import").

`credit-graph seed` streams these objects into the importer, so every object refers only to objects yielded
before it and the stream can be committed in ordered chunks. Reference data (query purposes, providers, catalog)
comes first and does not depend on the seed. Faker is slow per call, so person names are drawn from per-seed
pools; everything else is drawn from the `demo_data` tables (`intake/demo/*.json`) with one `random.Random(seed)`.
"""

import datetime
import functools
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from faker import Faker

from credit.identifiers import resident_id_check_character, uscc_check_character
from credit.model import (
    CHINA,
    COLLECTION_PURPOSE,
    PUBLIC_PROVIDER_TYPES,
    Category,
    DisclosureMode,
    DocumentType,
    MeasureType,
    Nature,
    ProviderType,
    Publicity,
    RepresentationRole,
    Severity,
    SubjectKind,
)

from . import demo_data as data

Object = dict[str, Any]
Filler = Callable[["_Random", dict[str, Any]], Any]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
ORG_SERIAL_LENGTH = 6
ORG_SERIAL_SPACE = len(USCC_ALPHABET) ** ORG_SERIAL_LENGTH
ORG_SERIAL_MULTIPLIER = 104_729  # a prime: the counter -> serial map is a bijection, so codes never repeat
NAME_POOL_SIZE = 3000
HISTORY_DAYS = 5 * 365  # records are confirmed over the last five years, so some are past their window
BIRTH_RANGE = (datetime.date(1950, 1, 1), datetime.date(2005, 12, 31))
ADULT_AGE_DAYS = 18 * 365 + 5
MEASURE_SHARE = {MeasureType.PUNITIVE: 0.6, MeasureType.REGULATORY: 0.3, MeasureType.INCENTIVE: 0.25}
MEASURE_GROUNDS = {
    MeasureType.PUNITIVE: (Nature.DISHONEST.value, Severity.SERIOUS.value),
    MeasureType.REGULATORY: (Nature.DISHONEST.value, None),
    MeasureType.INCENTIVE: (Nature.TRUSTWORTHY.value, None),
}  # (nature, severity or None for any) of the records a measure may cite
MEASURE_TEMPLATES = {kind: data.MEASURES[kind.value] for kind in MeasureType}
DISHONEST = Nature.DISHONEST.value
RELIGIOUS_VENUE_PREFIX = "71"
"""GB 32100: registered by religious affairs departments (7), a religious venue (1)."""
QUERY_CONSENT_SHARE = 0.15
EXPIRED_CONSENT_SHARE = 0.35


@dataclass(frozen=True, slots=True)
class District:
    code: str
    city: str
    city_name: str
    name: str

    @property
    def full_name(self) -> str:
        """How courts and shops are named: "长沙市芙蓉区", but "浏阳市" and "长沙县" stand alone."""
        return f"{self.city_name}{self.name}" if self.name.endswith("区") else self.name

    @property
    def company_locality(self) -> str:
        """Companies in an urban district carry the city's name, others the county's."""
        return self.city_name if self.name.endswith("区") else self.name


@dataclass(frozen=True, slots=True)
class Provider:
    code: str
    name: str
    type: ProviderType
    region: str
    abbreviation: str

    @property
    def publicity(self) -> Publicity:
        return Publicity.PUBLIC if self.type in PUBLIC_PROVIDER_TYPES else Publicity.NON_PUBLIC

    @property
    def court_code(self) -> str:
        """The court prefix of case numbers: 湘 (high court), 湘01 (Changsha), 湘0102 (Furong district)."""
        if self.region == data.PROVINCE_CODE:
            return data.PROVINCE_ABBREVIATION
        suffix = self.region[2:4] if self.region.endswith("00") else self.region[2:]
        return f"{data.PROVINCE_ABBREVIATION}{suffix}"

    def as_object(self) -> Object:
        return {
            "kind": "provider",
            "code": self.code,
            "name": self.name,
            "publicity": self.publicity.value,
            "type": self.type.value,
            "region": self.region,
        }


@dataclass(frozen=True, slots=True)
class DocumentPlan:
    type: DocumentType
    issuer_role: str
    number: str
    days_before: tuple[int, int]
    fields: dict[str, str]


@dataclass(frozen=True, slots=True)
class ItemPlan:
    """A catalog item and how to fill records under it (see `intake/demo/catalog.json`)."""

    obj: Object
    provider: Provider
    category: Category
    title: str
    once: bool
    natures: tuple[str, ...]
    nature_weights: tuple[float, ...]
    severities: tuple[str, ...]
    severity_weights: tuple[float, ...]
    documents: tuple[DocumentPlan, ...]
    fillers: tuple[tuple[str, Filler], ...]
    cases: tuple[dict[str, Any], ...]
    nature_content: dict[str, dict[str, Any]]

    @property
    def id(self) -> str:
        return str(self.obj["id"])


@dataclass(slots=True)
class Subject:
    code: str
    name: str
    kind: SubjectKind
    district: District
    records_from: int  # first ordinal on which a record about the subject may be confirmed
    env: dict[str, Any]  # content values fixed by the subject (its representative's name, its form)
    form: str = ""  # an organization's USCC prefix (91 a company, 71 a religious venue, ...); "" for a person


class RecordSummary(NamedTuple):
    """What measures need to know of a record; enum values as strings, as in the output."""

    id: str
    nature: str
    severity: str | None
    category: str
    confirmed: datetime.date


class _Random(random.Random):
    """`randint` and `choice` from a single `random()` call: faster than the originals (docs/performance.md,
    "Parsing bodies and import lines"), and as deterministic; their exact bit-for-bit distribution is not needed
    here."""

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Any) -> Any:
        return seq[int(self.random() * len(seq))]


DRAWN_ON = datetime.date(2026, 12, 2)
"""The day the demo data is drawn as of. Which subjects it holds, with which codes and records, depends on the day
it is drawn as of (who is of age to represent a company, how many records fit in a subject's history), and the
README, GraphiQL and examples/operations/ name some of them: so from this day on it is drawn as of this day, then
every date in it moved by the days from this day to the one it is seeded on. (Seeded on an earlier day, which only a
test's clock can be, it is drawn as of that day.)"""


def generate(subjects: int, *, seed: int = 0, today: datetime.date) -> Iterator[Object]:
    """Yield reference data, then `subjects` subjects with their records, dated as of `today`; same arguments, same
    objects, and the same subjects on any day."""
    if subjects < 0:
        raise ValueError(f"subjects must be 0 or more, not {subjects}")
    drawn_on = min(today, DRAWN_ON)
    objects = _Generator(seed, drawn_on).run(subjects)
    shift = today - drawn_on
    return (_moved(obj, shift) for obj in objects) if shift else objects


def _moved(value: Any, shift: datetime.timedelta) -> Any:
    """`value` with every ISO date and date-time in it (in records' content too) moved by `shift`."""
    if isinstance(value, dict):
        return {key: _moved(item, shift) for key, item in value.items()}
    if isinstance(value, list):
        return [_moved(item, shift) for item in value]
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        if len(value) == 10:
            return (datetime.date.fromisoformat(value) + shift).isoformat()
        return (datetime.datetime.fromisoformat(value) + shift).isoformat()  # the consents' validity
    return value


def districts() -> dict[str, District]:
    """The districts subjects live in, by code."""
    return {
        district["code"]: District(district["code"], city["code"], city["name"], district["name"])
        for city in data.CITIES
        for district in city["districts"]
    }


def providers() -> dict[str, Provider]:
    """Every provider, keyed "region:role" (e.g. "430100:market"); codes are stable across seeds."""
    rows: list[tuple[str, str, str, str, str]] = [
        (data.PROVINCE_CODE, p["role"], p["name"], p["type"], data.PROVINCE_ABBREVIATION)
        for p in data.PROVINCIAL_PROVIDERS
    ]
    court = data.DISTRICT_COURT
    for city in data.CITIES:
        rows += [
            (city["code"], p["role"], p["name"].format(city=city["name"]), p["type"], city["abbreviation"])
            for p in data.CITY_PROVIDERS
        ]
        rows += [
            (
                district["code"],
                court["role"],
                District(district["code"], city["code"], city["name"], district["name"]).full_name + court["suffix"],
                ProviderType.COURT.value,
                city["abbreviation"],
            )
            for district in city["districts"]
        ]
    rows += [
        (data.PROVINCE_CODE, p["role"], p["name"], p["type"], data.PROVINCE_ABBREVIATION)
        for p in data.PROVINCIAL_APPENDED
    ]
    return {
        f"{region}:{role}": Provider(
            _provider_code(kind, region, index), name, ProviderType(kind), region, abbreviation
        )
        for index, (region, role, name, kind, abbreviation) in enumerate(rows)
    }


def _provider_code(kind: str, region: str, index: int) -> str:
    """USCC of a provider: type prefix, region, a 9-digit organization code spread out by index, check character."""
    organization = f"00{(index * 7_919 + 1_234_567) % 10**7:07d}"
    first17 = f"{data.USCC_PREFIX_BY_PROVIDER_TYPE[kind]}{region}{organization}"
    return first17 + uscc_check_character(first17)


def role_key(role: str, district: District) -> str:
    """The provider key of `role` for a subject in `district`: "city:market" in 430102 is "430100:market"."""
    scope, name = role.split(":")
    region = {"province": data.PROVINCE_CODE, "city": district.city, "district": district.code}[scope]
    return f"{region}:{name}"


@functools.lru_cache(maxsize=4)
def name_pools(seed: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(male, female) zh_CN names from Faker, generated once per seed because Faker is slow per call."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    return (
        tuple(fake.name_male() for _ in range(NAME_POOL_SIZE)),
        tuple(fake.name_female() for _ in range(NAME_POOL_SIZE)),
    )


def _cumulative(weights: Any) -> tuple[float, ...]:
    """Cumulative weights: `Random.choices` skips summing them on every draw."""
    total = 0.0
    result = []
    for weight in weights:
        total += weight
        result.append(total)
    return tuple(result)


def _table(rows: list[dict[str, Any]], key: str) -> tuple[tuple[Any, ...], tuple[float, ...]]:
    """(values under `key`, cumulative shares) of a table of rows, ready for `Random.choices`."""
    return tuple(row[key] for row in rows), _cumulative(row["share"] for row in rows)


class _Generator:
    """One run of `generate`: the random stream, counters and the pools that span subjects."""

    def __init__(self, seed: int, today: datetime.date) -> None:
        self.seed = seed
        self.today = today
        self.rng = _Random(seed)
        self.district_list = tuple(districts().values())
        self.providers = providers()
        self.items = tuple(self._plan_item(spec) for spec in data.CATALOG)
        self.subject_kinds = tuple((SubjectKind(mix["kind"]), mix["usccPrefix"]) for mix in data.SUBJECT_MIX)
        self.items_by_kind = {(kind, prefix): self._items_for(kind, prefix) for kind, prefix in self.subject_kinds}
        self.provider_categories = self._provider_categories()
        self.male_names, self.female_names = name_pools(seed)
        self.counters: dict[str, int] = {}
        self.document_numbers: dict[tuple[str, str, int], int] = {}
        self.used_codes: set[str] = set()
        self.used_names: set[str] = set()
        self.representatives: dict[str, list[list[Any]]] = {city["code"]: [] for city in data.CITIES}
        self.adults: dict[str, list[str]] = {city["code"]: [] for city in data.CITIES}
        self.companies: dict[str, list[str]] = {city["code"]: [] for city in data.CITIES}
        self.holdings: dict[str, list[str]] = {city["code"]: [] for city in data.CITIES}
        """A company code once per investment it holds: picking from it favours the big holders."""
        self.other_investors, self.other_investor_weights = _table(data.OTHER_INVESTORS, "investors")
        self.org_serial_offset = self.rng.randrange(ORG_SERIAL_SPACE)
        self.subject_kind_weights = _cumulative(mix["share"] for mix in data.SUBJECT_MIX)
        self.capacities, self.capacity_weights = _table(data.REPRESENTATION_CAPACITY, "organizations")
        self.record_counts, self.record_count_weights = _table(data.RECORDS_PER_SUBJECT, "records")
        self.company_forms, self.company_form_weights = _table(data.COMPANY_FORMS, "form")
        self.city_codes = tuple(city["code"] for city in data.CITIES)
        self.city_weights = _cumulative(city["share"] for city in data.CITIES)
        self.districts_by_city = {
            city: tuple(district for district in self.district_list if district.city == city)
            for city in self.city_codes
        }

    def run(self, subjects: int) -> Iterator[Object]:
        """Reference data first, so every later object can point at it."""
        yield from ({"kind": "queryPurpose", **purpose} for purpose in data.QUERY_PURPOSES)
        yield from (provider.as_object() for provider in self.providers.values())
        yield from (item.obj for item in self.items)
        for _ in range(subjects):
            yield from self._subject_with_everything()  # a list: nested generators are slower (docs/performance.md)

    # --- reference data -------------------------------------------------------------------------------------------

    def _plan_item(self, spec: dict[str, Any]) -> ItemPlan:
        """The catalog item object and its fillers, prepared once so records are cheap to make."""
        provider = self.providers[f"{data.PROVINCE_CODE}:{spec['provider']}"]
        mode = DisclosureMode(spec["disclosureMode"])
        obj = {
            "kind": "catalogItem",
            "id": spec["id"],
            "name": spec["name"],
            "providerCode": provider.code,
            "category": spec["category"],
            "publicity": provider.publicity.value,
            "disclosureMode": mode.value,
            "subjectKinds": [kind.value for kind in SubjectKind if kind.value in spec["weights"]],
            "dataFormat": {
                "$schema": JSON_SCHEMA_DIALECT,
                "title": spec["name"],
                "type": "object",
                "properties": spec["properties"],
                "required": list(spec["properties"]),
                "additionalProperties": False,
            },
        }
        natures = spec["natures"]
        severities = spec.get("severities", {})
        return ItemPlan(
            obj=obj,
            provider=provider,
            category=Category(spec["category"]),
            title=spec["title"],
            once=spec.get("once", False),
            natures=tuple(Nature(nature).value for nature in natures),
            nature_weights=_cumulative(natures.values()),
            severities=tuple(Severity(severity).value for severity in severities),
            severity_weights=_cumulative(severities.values()),
            documents=tuple(
                DocumentPlan(DocumentType(kind), issuer, number, days, fields)
                for kind, issuer, number, days, fields in spec.get("documents", ())
            ),
            fillers=tuple((name, self._filler(spec, name, schema)) for name, schema in spec["properties"].items()),
            cases=spec.get("cases", ()),
            nature_content={Nature(nature).value: values for nature, values in spec.get("natureContent", {}).items()},
        )

    def _filler(self, spec: dict[str, Any], name: str, schema: dict[str, Any]) -> Filler:
        """How to fill property `name` when the record's context has no value for it."""
        if pattern := spec.get("formats", {}).get(name):
            return lambda rng, env: pattern.format_map(env)
        if role := spec.get("authorities", {}).get(name):
            return lambda rng, env: self.providers[role_key(role, env["district"])].name
        if choices := schema.get("examples") or schema.get("enum"):
            return lambda rng, env: rng.choice(choices)
        if schema.get("type") == "integer":
            low, high = schema["minimum"], schema["maximum"]
            return lambda rng, env: rng.randint(low, high)
        if schema.get("type") == "number":
            low, high = schema["minimum"], schema["maximum"]
            return lambda rng, env: round(rng.uniform(low, high), 2)
        if schema.get("format") == "date":
            first, last = spec.get("dateOffsets", {}).get(name, (0, 0))
            if first == last == 0:
                return lambda rng, env: env["confirmedAt"]
            return lambda rng, env: (env["confirmed"] + datetime.timedelta(days=rng.randint(first, last))).isoformat()
        return lambda rng, env: env[name]  # context only: a document field, a case, the representative

    def _items_for(self, kind: SubjectKind, prefix: str) -> tuple[tuple[ItemPlan, ...], tuple[float, ...]]:
        """The catalog items about subjects of `kind` (no licence to build for a person) and how often. An item that
        names `usccPrefixes` is only about organizations of those forms (a religious venue, 71), and they have
        no other: a temple is not registered as a company."""
        special = {named for spec in data.CATALOG for named in spec.get("usccPrefixes", ())}

        def about(spec: dict[str, Any]) -> bool:
            forms = spec.get("usccPrefixes")
            return kind.value in spec["weights"] and (prefix in forms if forms else prefix not in special)

        chosen = [(item, spec) for item, spec in zip(self.items, data.CATALOG, strict=True) if about(spec)]
        return tuple(item for item, _ in chosen), _cumulative(spec["weights"][kind.value] for _, spec in chosen)

    def _provider_categories(self) -> dict[str, list[str]]:
        """Categories each provider collects under the catalog: what a collection consent must cover."""
        categories: dict[str, set[Category]] = {}
        for item in self.items:
            categories.setdefault(item.provider.code, set()).add(item.category)
        order = list(Category)
        return {code: [c.value for c in sorted(found, key=order.index)] for code, found in categories.items()}

    # --- subjects ---------------------------------------------------------------------------------------------------

    def _subject_with_everything(self) -> list[Object]:
        """One subject, then what refers to it: representation, records (with documents, consents), measures."""
        rng = self.rng
        kind, prefix = rng.choices(self.subject_kinds, cum_weights=self.subject_kind_weights)[0]
        city = rng.choices(self.city_codes, cum_weights=self.city_weights)[0]
        district = rng.choice(self.districts_by_city[city])
        if kind is not SubjectKind.NATURAL_PERSON and not self.representatives[city]:
            kind = SubjectKind.NATURAL_PERSON  # nobody here can represent it yet
        subject = (
            self._person(district) if kind is SubjectKind.NATURAL_PERSON else self._organization(kind, prefix, district)
        )
        out: list[Object] = [
            {
                "kind": "subject",
                "code": subject.code,
                "name": subject.name,
                "subjectKind": subject.kind.value,
                "region": district.code,
            }
        ]
        if kind is not SubjectKind.NATURAL_PERSON:
            representation = self._representation(subject)
            out.append(representation)
            if prefix == "91":
                out.extend(self._ownership(subject, representation["personCode"]))
        records = self._records(subject, out)
        out.extend(self._measures(subject, records))
        if rng.random() < QUERY_CONSENT_SHARE:
            out.append(self._query_consent(subject))
        return out

    def _person(self, district: District) -> Subject:
        """A person; adults join their city's pool of possible representatives."""
        rng = self.rng
        male = rng.random() < 0.5
        name = rng.choice(self.male_names if male else self.female_names)
        birth = datetime.date.fromordinal(rng.randint(BIRTH_RANGE[0].toordinal(), BIRTH_RANGE[1].toordinal()))
        code = self._resident_id(district, birth, male)
        adult = birth.toordinal() + ADULT_AGE_DAYS
        if adult < self.today.toordinal():
            capacity = rng.choices(self.capacities, cum_weights=self.capacity_weights)[0]
            self.representatives[district.city].append([code, name, capacity, adult])
            self.adults[district.city].append(code)
        return Subject(code, name, SubjectKind.NATURAL_PERSON, district, adult, {})

    def _resident_id(self, district: District, birth: datetime.date, male: bool) -> str:
        """GB 11643: area, birth date, a sequence odd for men and even for women, mod-11 check character."""
        while True:
            sequence = 2 * self.rng.randint(0, 498) + (1 if male else 2)
            first17 = f"{district.code}{birth.year:04d}{birth.month:02d}{birth.day:02d}{sequence:03d}"
            code = first17 + resident_id_check_character(first17)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def _organization(self, kind: SubjectKind, prefix: str, district: District) -> Subject:
        """An organization; its form (个体工商户, 农民专业合作社) or a religious venue's religion is content of its
        registration record."""
        code = self._organization_code(prefix, district)
        if prefix == RELIGIOUS_VENUE_PREFIX:
            venue = self.rng.choice(data.RELIGIOUS_VENUES)
            name = self._unique_name(
                lambda: (
                    f"{district.full_name}{''.join(self.rng.sample(data.TRADE_NAME_CHARACTERS, 2))}{venue['suffix']}"
                )
            )
            return Subject(code, name, kind, district, 0, {"religion": venue["religion"]}, prefix)
        name = self._unique_name(lambda: self._organization_name(prefix, district))
        form = data.ORGANIZATION_FORMS.get(prefix)
        env = {"organizationForm": form} if form else {}
        return Subject(code, name, kind, district, 0, env, prefix)

    def _organization_code(self, prefix: str, district: District) -> str:
        """A new-style USCC ("MA" series organization code) whose serial never repeats within a run."""
        serial = (self._next("org") * ORG_SERIAL_MULTIPLIER + self.org_serial_offset) % ORG_SERIAL_SPACE
        characters = []
        for _ in range(ORG_SERIAL_LENGTH):
            serial, digit = divmod(serial, len(USCC_ALPHABET))
            characters.append(USCC_ALPHABET[digit])
        first17 = f"{prefix}{district.code}MA4{''.join(characters)}"
        return first17 + uscc_check_character(first17)

    def _organization_name(self, prefix: str, district: District) -> str:
        """Place, trade name, business and form, as registered names are built: 长沙市鑫华科技有限公司."""
        rng = self.rng
        trade = "".join(rng.sample(data.TRADE_NAME_CHARACTERS, 2))
        if prefix == "92":
            return f"{district.full_name}{trade}{rng.choice(data.INDIVIDUAL_BUSINESS_KINDS)}"
        if prefix == "93":
            return f"{district.full_name}{trade}{rng.choice(data.COOPERATIVE_KINDS)}{data.COOPERATIVE_SUFFIX}"
        locality = "湖南" if rng.random() < data.PROVINCIAL_COMPANY_SHARE else district.company_locality
        form = rng.choices(self.company_forms, cum_weights=self.company_form_weights)[0]
        return f"{locality}{trade}{rng.choice(data.COMPANY_INDUSTRIES)}{form}"

    def _unique_name(self, make: Callable[[], str], attempts: int = 20) -> str:
        """Registered names are unique; after a few collisions accept a duplicate rather than loop."""
        for _ in range(attempts):
            name = make()
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name

    def _representation(self, organization: Subject) -> Object:
        """Pick an adult of the same city who still represents fewer organizations than they may."""
        rng = self.rng
        pool = self.representatives[organization.district.city]
        index = rng.randint(0, len(pool) - 1)
        entry = pool[index]
        person_code, person_name, _, adult = entry
        entry[2] -= 1
        if entry[2] == 0:
            pool[index] = pool[-1]
            pool.pop()
        legal_person = organization.kind is SubjectKind.LEGAL_PERSON
        role = RepresentationRole.LEGAL_REPRESENTATIVE if legal_person else RepresentationRole.RESPONSIBLE_PERSON
        organization.env["legalRepresentative" if legal_person else "operatorName"] = person_name
        today = self.today.toordinal()
        since = datetime.date.fromordinal(rng.randint(max(adult, today - 20 * 365), today - 1))
        return {
            "kind": "representation",
            "personCode": person_code,
            "orgCode": organization.code,
            "role": role.value,
            "since": since.isoformat(),
        }

    def _ownership(self, company: Subject, representative: str) -> list[Object]:
        """Who holds the new company's shares, and whether it is a branch: the relations agencies trace."""
        rng = self.rng
        city = company.district.city
        investors = [representative] if rng.random() < data.REPRESENTATIVE_INVESTS_SHARE else []
        for _ in range(rng.choices(self.other_investors, cum_weights=self.other_investor_weights)[0]):
            if rng.random() < data.COMPANY_INVESTOR_SHARE and self.companies[city]:
                favour = self.holdings[city] and rng.random() < data.REPEAT_INVESTOR_SHARE
                investor = rng.choice(self.holdings[city] if favour else self.companies[city])
                self.holdings[city].append(investor)
            elif self.adults[city]:
                investor = rng.choice(self.adults[city])
            else:
                continue
            if investor not in investors:
                investors.append(investor)
        today = self.today.toordinal()
        since = datetime.date.fromordinal(rng.randint(today - 15 * 365, today - 1)).isoformat()
        cuts = sorted(rng.random() for _ in range(max(len(investors) - 1, 0)))
        bounds = [0.0, *cuts, 1.0] if investors else []
        shares = [round(max(high - low, 0.01), 4) for low, high in itertools.pairwise(bounds)]
        out: list[Object] = [
            {"kind": "investment", "investorCode": investor, "investeeCode": company.code, "share": share,
             "since": since}
            for investor, share in zip(investors, shares, strict=True)
        ]  # fmt: skip
        if self.companies[city] and rng.random() < data.BRANCH_SHARE:
            parent = rng.choice(self.companies[city])
            out.append({"kind": "branch", "branchCode": company.code, "parentCode": parent, "since": since})
        self.companies[city].append(company.code)
        return out

    # --- records ----------------------------------------------------------------------------------------------------

    def _records(self, subject: Subject, out: list[Object]) -> list[RecordSummary]:
        """Append the subject's records, each after its documents and any consent it needs (Arts. 12, 15)."""
        rng = self.rng
        today = self.today.toordinal()
        first = max(today - HISTORY_DAYS, subject.records_from)
        count = rng.choices(self.record_counts, cum_weights=self.record_count_weights)[0] if first <= today else 0
        plans, weights = self.items_by_kind[subject.kind, subject.form]
        summaries: list[RecordSummary] = []
        used: set[str] = set()
        consented: set[str] = set()
        for plan in rng.choices(plans, cum_weights=weights, k=count):
            if plan.once and plan.id in used:
                continue
            used.add(plan.id)
            confirmed = datetime.date.fromordinal(rng.randint(first, today))
            if (
                plan.provider.publicity is Publicity.NON_PUBLIC
                and subject.kind is SubjectKind.NATURAL_PERSON
                and plan.provider.code not in consented
            ):
                consented.add(plan.provider.code)
                out.append(self._collection_consent(subject, plan.provider, confirmed))
            summaries.append(self._record(subject, plan, confirmed, out))
        return summaries

    def _record(self, subject: Subject, plan: ItemPlan, confirmed: datetime.date, out: list[Object]) -> RecordSummary:
        """Append a record (after its documents); its content comes from context first, then from the fillers."""
        rng = self.rng
        nature = (
            plan.natures[0] if len(plan.natures) == 1 else rng.choices(plan.natures, cum_weights=plan.nature_weights)[0]
        )
        severity = None
        record_id = self._id("REC")
        env: dict[str, Any] = {
            **subject.env,
            "district": subject.district,
            "region": subject.district.code,
            "code": subject.code,
            "seq": self.counters["REC"],
            "year": confirmed.year,
            "previous_year": confirmed.year - 1,
            "confirmed": confirmed,
            "confirmedAt": confirmed.isoformat(),
        }
        if plan.cases:
            env.update(rng.choice(plan.cases))
        env.update(plan.nature_content.get(nature, {}))
        document_ids = []
        if nature == DISHONEST:
            severity = rng.choices(plan.severities, cum_weights=plan.severity_weights)[0]
            env["fineAmount"] = rng.choice(data.FINE_AMOUNTS_BY_SEVERITY[severity])
            for document_plan in plan.documents:
                document = self._document(document_plan, subject, confirmed, env)
                document_ids.append(document["id"])
                out.append(document)
        content = {name: env[name] if name in env else fill(rng, env) for name, fill in plan.fillers}
        out.append(
            {
                "kind": "record",
                "id": record_id,
                "subjectCode": subject.code,
                "providerCode": plan.provider.code,
                "catalogItemId": plan.id,
                "title": plan.title.format_map(content),
                "nature": nature,
                "severity": severity,
                "confirmedAt": env["confirmedAt"],
                "documentIds": document_ids,
                "content": content,
            }
        )
        return RecordSummary(record_id, nature, severity, plan.category.value, confirmed)

    def _document(self, plan: DocumentPlan, subject: Subject, confirmed: datetime.date, env: dict[str, Any]) -> Object:
        """A legal document about the subject, issued before the record is confirmed; fills `env` from it."""
        issued = confirmed - datetime.timedelta(days=self.rng.randint(*plan.days_before))
        issuer = self.providers[role_key(plan.issuer_role, subject.district)]
        serial = self._document_serial((plan.number, issuer.code, issued.year))
        number = plan.number.format(abbr=issuer.abbreviation, court=issuer.court_code, year=issued.year, n=serial)
        values = {"number": number, "issuedAt": issued.isoformat(), "issuer": issuer.name}
        env.update({name: values[field] for field, name in plan.fields.items()})
        return {
            "kind": "document",
            "id": self._id("DOC"),
            "type": plan.type.value,
            "number": number,
            "issuerCode": issuer.code,
            "issuedAt": values["issuedAt"],
            "subjectCode": subject.code,
        }

    def _document_serial(self, series: tuple[str, str, int]) -> int:
        """The next number in an issuer's yearly series; numbers rise with gaps, as real ones seen from outside."""
        rng = self.rng
        previous = self.document_numbers.get(series)
        if previous is None:
            previous = rng.randint(*data.DOCUMENT_SERIAL_START) - 1
        self.document_numbers[series] = serial = previous + rng.randint(*data.DOCUMENT_SERIAL_STEP)
        return serial

    # --- measures and consents --------------------------------------------------------------------------------------

    def _measures(self, subject: Subject, records: list[RecordSummary]) -> Iterator[Object]:
        """Punishment for SERIOUS dishonesty, regulation for dishonesty, incentives for trustworthiness."""
        for kind, (nature, severity) in MEASURE_GROUNDS.items():
            grounds = [r for r in records if r.nature == nature and severity in (None, r.severity)]
            if grounds and self.rng.random() < MEASURE_SHARE[kind]:
                yield self._measure(kind, subject, grounds, MEASURE_TEMPLATES[kind])

    def _measure(
        self, kind: MeasureType, subject: Subject, grounds: list[RecordSummary], templates: list[dict[str, Any]]
    ) -> Object:
        """A measure from a template that fits the subject and its records, starting after the latest of them."""
        rng = self.rng
        categories = {record.category for record in grounds}
        template = rng.choice(
            [
                t
                for t in templates
                if (not t["categories"] or categories & set(t["categories"]))
                and (not t["kinds"] or subject.kind.value in t["kinds"])
            ]
        )
        cited = [r for r in grounds if not template["categories"] or r.category in template["categories"]]
        starts = min(max(r.confirmed for r in cited) + datetime.timedelta(days=rng.randint(0, 30)), self.today)
        ends = starts + datetime.timedelta(days=rng.randint(*template["days"]))
        implementer = self.providers[role_key(template["implementer"], subject.district)]
        return {
            "kind": "measure",
            "id": self._id("MEA"),
            "type": kind.value,
            "subjectCode": subject.code,
            "implementedByCode": implementer.code,
            "item": template["item"],
            "means": template["means"],
            "basis": template["basis"],
            "startsAt": starts.isoformat(),
            "endsAt": ends.isoformat(),
            "recordIds": [r.id for r in cited],
        }

    def _collection_consent(self, subject: Subject, provider: Provider, confirmed: datetime.date) -> Object:
        """Art. 15: the person's consent to collection, given before the record and still valid today."""
        rng = self.rng
        valid_from = confirmed - datetime.timedelta(days=rng.randint(1, 60))
        valid_until = self.today + datetime.timedelta(days=rng.randint(30, 1500))
        return self._consent(
            subject,
            provider,
            COLLECTION_PURPOSE,
            list(self.provider_categories[provider.code]),
            valid_from,
            valid_until,
        )

    def _query_consent(self, subject: Subject) -> Object:
        """A consent to query for a catalogued purpose; some have expired."""
        rng = self.rng
        template = rng.choice([t for t in data.QUERY_CONSENTS if subject.kind.value in t["kinds"]])
        grantee = self.providers[role_key(template["grantee"], subject.district)]
        if rng.random() < EXPIRED_CONSENT_SHARE:
            valid_from = self.today - datetime.timedelta(days=rng.randint(400, 1500))
            valid_until = valid_from + datetime.timedelta(days=rng.randint(180, 365))
        else:
            valid_from = self.today - datetime.timedelta(days=rng.randint(1, 300))
            valid_until = self.today + datetime.timedelta(days=rng.randint(30, 730))
        return self._consent(
            subject, grantee, template["purpose"], list(template["categories"]), valid_from, valid_until
        )

    def _consent(
        self,
        subject: Subject,
        grantee: Provider,
        purpose: str,
        categories: list[str],
        valid_from: datetime.date,
        valid_until: datetime.date,
    ) -> Object:
        """Valid from office hours on the first day to the end of the last."""
        start = datetime.datetime.combine(
            valid_from, datetime.time(self.rng.randint(9, 16), self.rng.randint(0, 59)), CHINA
        )
        end = datetime.datetime.combine(valid_until, datetime.time(23, 59, 59), CHINA)
        return {
            "kind": "consent",
            "id": self._id("CON"),
            "subjectCode": subject.code,
            "granteeCode": grantee.code,
            "purpose": purpose,
            "categories": categories,
            "validFrom": start.isoformat(),
            "validUntil": end.isoformat(),
        }

    # --- ids --------------------------------------------------------------------------------------------------------

    def _next(self, counter: str) -> int:
        self.counters[counter] = value = self.counters.get(counter, 0) + 1
        return value

    def _id(self, prefix: str) -> str:
        """Readable and stable: "REC-0-000001234" is the 1,234th record of seed 0."""
        return f"{prefix}-{self.seed}-{self._next(prefix):09d}"
