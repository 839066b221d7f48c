"""Personal data the platform must never collect (Art. 15; PIPL Art. 28).

Religion, genes, fingerprints, blood type, disease and medical history are
recognised in field names in Chinese or English. Broad words that also name
lawful business facts (medical devices, health inspections) are not banned alone. English words are matched
whole (so `general` is not `gene`); compounds such as `bloodType` or
`fingerPrint` are matched on the joined, lower-cased name.
"""

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

BANNED_WORDS = frozenset(
    {
        "religion",
        "religions",
        "religious",
        "gene",
        "genes",
        "genetic",
        "genetics",
        "genome",
        "genomic",
        "dna",
        "fingerprint",
        "fingerprints",
        "blood",
        "disease",
        "diseases",
        "illness",
        "illnesses",
        "diagnosis",
        "sickness",
    }
)
BANNED_FRAGMENTS = (
    "religio", "genetic", "genom", "fingerprint", "bloodtype", "bloodgroup",
    "medicalhistory", "medicalrecord", "medicalcondition", "healthcondition", "healthstatus",
    "宗教", "信仰", "基因", "指纹", "血型", "疾病", "病史", "病历", "病情", "患病", "诊断", "健康状况",
)  # fmt: skip

WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


@lru_cache(maxsize=8192)  # content field names repeat on every record of a catalog item
def banned_term(name: str) -> str | None:
    """The banned term `name` touches, or None."""
    words: set[str] = {word.lower() for word in WORD.findall(name)}
    if found := sorted(words & BANNED_WORDS):
        return found[0]
    joined = re.sub(r"[\s_\-.]", "", name).lower()
    return next((fragment for fragment in BANNED_FRAGMENTS if fragment in joined), None)


def field_names(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(path, name) of every key in a JSON value, nested objects and arrays included."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            yield here, str(key)
            yield from field_names(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from field_names(item, f"{path}[{index}]")


def banned_field(value: Any) -> tuple[str, str] | None:
    """(path, term) of the first field whose name touches banned data, or None."""
    for path, name in field_names(value):
        if term := banned_term(name):
            return path, term
    return None
