"""Masking of natural persons for viewers who may not know who they are (REQUIREMENTS.md).

Name: first and last character kept (张三 -> 张*, 张三丰 -> 张*丰, 欧阳娜娜 -> 欧**娜).
Resident ID: first 4 and last 4 kept (4301**********1234). Whether a subject is
revealed is decided by the policy, in the query that read it (`revealed`).
"""

from typing import Any


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_resident_id(code: str) -> str:
    return code[:4] + "*" * (len(code) - 8) + code[-4:]


def mask_subject(subject: dict[str, Any]) -> dict[str, Any]:
    """The subject as this viewer may see it."""
    shown = {key: value for key, value in subject.items() if key != "revealed"}
    if subject["revealed"]:
        return {**shown, "masked": False}
    return {**shown, "name": mask_name(shown["name"]), "code": mask_resident_id(shown["code"]), "masked": True}
