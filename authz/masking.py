"""Masking of natural persons for viewers who may not know who they are (REQUIREMENTS.md).

Name: first and last character kept (张三 -> 张*, 张三丰 -> 张*丰, 欧阳娜娜 -> 欧**娜).
Resident ID: first 4 and last 4 kept (4301**********1234).
"""

from typing import Any

from graph_store.model import SubjectKind


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_resident_id(code: str) -> str:
    return code[:4] + "*" * (len(code) - 8) + code[-4:]


def mask_subject(subject: dict[str, Any], reveal_persons: bool) -> dict[str, Any]:
    """The subject as this viewer may see it; organizations are never masked."""
    if reveal_persons or subject["kind"] != SubjectKind.NATURAL_PERSON.value:
        return subject
    return {**subject, "name": mask_name(subject["name"]), "code": mask_resident_id(subject["code"]), "masked": True}
