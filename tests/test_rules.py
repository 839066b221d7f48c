"""The law's small rules, without a database: codes, masking, disclosure windows, banned data."""

import datetime

import pytest

from credit.banned_data import banned_term
from credit.disclosure import add_months, base_disclosure_until
from credit.identifiers import InvalidCode, validate_code, validate_resident_id, validate_uscc
from credit.model import Category, Nature, Severity
from credit.record_content import canonical_json, content_problem, fast_validator, personal_fields, validator
from graph_store.rows import mask_name, mask_resident_id, masked_at


def test_standard_examples_of_both_codes_are_valid():
    assert validate_uscc("91350100M000100Y43") == "91350100M000100Y43"
    assert validate_resident_id("11010519491231002x") == "11010519491231002X"


def test_resident_id_of_a_newer_district_is_accepted():
    assert validate_code("430103199001010012") == "430103199001010012"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "has check character 4, expected 3"),
        ("91350100M00010", "must have 18 characters, not 14"),
        ("9135010OM000100Y43", "is malformed"),
        ("430103199002300013", "has no valid birth date"),
        ("430103199001010017", "has check character 7, expected 2"),
    ],
)
def test_bad_codes_say_what_is_wrong(code: str, reason: str):
    with pytest.raises(InvalidCode, match=reason):
        validate_code(code)


@pytest.mark.parametrize(
    ("name", "masked"), [("张三", "张*"), ("张三丰", "张*丰"), ("欧阳娜娜", "欧**娜"), ("李", "李")]
)
def test_names_keep_first_and_last_character(name: str, masked: str):
    assert mask_name(name) == masked


def test_resident_id_keeps_first_and_last_four():
    assert mask_resident_id("430103199001011234") == "4301**********1234"


@pytest.mark.parametrize(
    ("category", "severity", "until"),
    [
        (Category.ADMINISTRATIVE_PENALTY, Severity.MINOR, datetime.date(2026, 6, 10)),
        (Category.ADMINISTRATIVE_PENALTY, Severity.GENERAL, datetime.date(2027, 3, 10)),
        (Category.ADMINISTRATIVE_PENALTY, Severity.SERIOUS, datetime.date(2029, 3, 10)),
        (Category.JUDGMENT_DEFAULT, Severity.MINOR, datetime.date(2029, 3, 10)),
    ],
)
def test_dishonesty_is_disclosed_for_its_tier(category: Category, severity: Severity, until: datetime.date):
    assert base_disclosure_until(Nature.DISHONEST, category, severity, datetime.date(2026, 3, 10)) == until


def test_records_that_are_not_dishonest_have_no_end():
    confirmed = datetime.date(2020, 1, 1)
    assert base_disclosure_until(Nature.TRUSTWORTHY, Category.COMMENDATION, None, confirmed) is None


def test_month_arithmetic_clamps_to_the_end_of_shorter_months():
    assert add_months(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2024, 2, 29), 36) == datetime.date(2027, 2, 28)


@pytest.mark.parametrize("name", ["bloodType", "blood_type", "fingerPrint", "religiousBelief", "geneSequence", "DNA",
                                  "medicalHistory", "diseaseName", "宗教信仰", "基因检测", "指纹", "血型", "既往病史"])  # fmt: skip
def test_banned_personal_data_is_recognised_in_field_names(name: str):
    assert banned_term(name) is not None


@pytest.mark.parametrize("name", ["general", "generalManager", "fineAmount", "medicalDeviceLicence", "goodFaith"])
def test_lawful_field_names_are_not_mistaken_for_banned_data(name: str):
    assert banned_term(name) is None


def test_person_fields_are_found_in_nested_objects_and_arrays_and_masked_whatever_their_shape():
    data_format = {"type": "object", "properties": {
        "operator": {"type": "object", "properties": {"name": {"type": "string", "x-personal": True}}},
        "partners": {"type": "array", "items": {"type": "object", "properties": {"id": {"x-personal": True}}}},
        "contact": {"type": "object", "x-personal": True},
        "capital": {"type": "number"},
    }}  # fmt: skip
    paths = personal_fields(data_format)
    assert paths == ["contact", "operator.name", "partners.id"]
    content = {"operator": {"name": "张三丰"}, "partners": [{"id": 430103198503121236}], "capital": 5,
               "contact": {"name": "欧阳娜娜", "phone": "13800000000"}}  # fmt: skip
    for path in paths:
        content = masked_at(content, path.split("."))
    assert content == {"operator": {"name": "张*丰"}, "partners": [{"id": "4301**********1236"}], "capital": 5,
                       "contact": {"name": "欧**娜", "phone": "1*********0"}}  # fmt: skip


FAST_FORMAT = {"type": "object", "additionalProperties": False, "required": ["on"],
               "properties": {"on": {"type": "string", "format": "date"}, "level": {"type": "string", "enum": ["A"]},
                              "year": {"type": "string", "pattern": "^[0-9]{4}$"},
                              "amount": {"type": "number", "minimum": 0, "maximum": 10}}}  # fmt: skip


@pytest.mark.parametrize(
    "content",
    [{"on": "2024-02-29"}, {"on": "2024-02-30"}, {"on": "29 Feb"}, {"on": 5}, {}, {"on": "2024-02-29", "x": 1},
     {"on": "2024-02-29", "level": "B"}, {"on": "2024-02-29", "year": "24"}, {"on": "2024-02-29", "amount": 11},
     {"on": "2024-02-29", "amount": True}, {"on": "2024-02-29", "amount": 2.5, "level": "A", "year": "2024"}],
)  # fmt: skip
def test_the_compiled_content_check_accepts_exactly_what_the_format_accepts(content: dict[str, object]):
    data_format = canonical_json(FAST_FORMAT)
    fast = fast_validator(data_format)
    assert fast is not None
    assert fast(content) == validator(data_format).is_valid(content)


@pytest.mark.parametrize(
    ("data_format", "content"),
    [({"type": "object", "properties": {"n": {"enum": [1]}}}, {"n": True}),
     ({"type": "object", "properties": {"a": {"type": "object", "properties": {"on": {"format": "date"}}}}},
      {"a": {"on": "2024-02-30"}}),
     ({"type": "object", "patternProperties": {"^x": {"type": "string"}}}, {"x1": 1}),
     ({"type": "object", "additionalProperties": {"type": "string"}}, {"y": 1}),
     ({"type": "object", "properties": {"x": {"$ref": "#/$defs/s"}}, "$defs": {"s": {"type": "string"}}}, {"x": 1})],
)  # fmt: skip
def test_a_format_beyond_what_compiles_alike_is_checked_by_the_full_validator(
    data_format: dict[str, object], content: dict[str, object]
):
    assert fast_validator(canonical_json(data_format)) is None
    assert content_problem(canonical_json(data_format), content, "CAT-X", about_person=False) is not None
