"""The tables behind the demo data (`seed.py`), read once from the JSON files in `intake/demo/`.

Real Hunan regions, agencies, courts, catalog items, measures and consents, kept as data so a reviewer can check
the realism of names, codes and texts without reading logic; `intake/demo/README.md` says what each key means.
Role keys ("province:market", "city:tax", "district:court") name a provider relative to a subject's district.
"""

import json
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent / "demo"


def _read(name: str) -> Any:
    return json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))


_regions = _read("regions")
PROVINCE_CODE: str = _regions["province"]["code"]
PROVINCE_NAME: str = _regions["province"]["name"]
PROVINCE_ABBREVIATION: str = _regions["province"]["abbreviation"]
CITIES: list[dict[str, Any]] = _regions["cities"]

_providers = _read("providers")
USCC_PREFIX_BY_PROVIDER_TYPE: dict[str, str] = _providers["usccPrefixByType"]
PROVINCIAL_PROVIDERS: list[dict[str, str]] = _providers["provincial"]
PROVINCIAL_APPENDED: list[dict[str, str]] = _providers["provincialAppended"]
"""Provincial providers added later: numbered after every other provider, so that those keep their codes."""
CITY_PROVIDERS: list[dict[str, str]] = _providers["perCity"]
DISTRICT_COURT: dict[str, str] = _providers["districtCourt"]

QUERY_PURPOSES: list[dict[str, Any]] = _read("query_purposes")

_population = _read("population")
SUBJECT_MIX: list[dict[str, Any]] = _population["subjectMix"]
ORGANIZATION_FORMS: dict[str, str] = _population["organizationForms"]
REPRESENTATION_CAPACITY: list[dict[str, float]] = _population["representationCapacity"]
OTHER_INVESTORS: list[dict[str, float]] = _population["otherInvestors"]
REPRESENTATIVE_INVESTS_SHARE: float = _population["representativeInvestsShare"]
COMPANY_INVESTOR_SHARE: float = _population["companyInvestorShare"]
REPEAT_INVESTOR_SHARE: float = _population["repeatInvestorShare"]
BRANCH_SHARE: float = _population["branchShare"]
RECORDS_PER_SUBJECT: list[dict[str, float]] = _population["recordsPerSubject"]

_names = _read("names")
TRADE_NAME_CHARACTERS: str = _names["tradeNameCharacters"]
COMPANY_INDUSTRIES: list[str] = _names["companyIndustries"]
COMPANY_FORMS: list[dict[str, Any]] = _names["companyForms"]
PROVINCIAL_COMPANY_SHARE: float = _names["provincialCompanyShare"]
INDIVIDUAL_BUSINESS_KINDS: list[str] = _names["individualBusinessKinds"]
COOPERATIVE_KINDS: list[str] = _names["cooperativeKinds"]
COOPERATIVE_SUFFIX: str = _names["cooperativeSuffix"]
RELIGIOUS_VENUES: list[dict[str, str]] = _names["religiousVenues"]

_documents = _read("documents")
DOCUMENT_SERIAL_START: list[int] = _documents["serialStart"]
DOCUMENT_SERIAL_STEP: list[int] = _documents["serialStep"]
FINE_AMOUNTS_BY_SEVERITY: dict[str, list[int]] = _documents["fineAmountsBySeverity"]

CATALOG: list[dict[str, Any]] = _read("catalog")
MEASURES: dict[str, list[dict[str, Any]]] = _read("measures")
QUERY_CONSENTS: list[dict[str, Any]] = _read("query_consents")
