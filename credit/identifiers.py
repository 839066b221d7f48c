"""Unified social credit codes (GB 32100) and resident ID numbers (GB 11643).

`stdnum.cn.uscc` is right for organizations. For resident IDs we check only the
mod-11 character and the birth date: `stdnum.cn.ric` also checks the area code
against an old table and rejects valid IDs of newer districts (e.g. 430103).
"""

import datetime
from functools import lru_cache

from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


class InvalidCode(ValueError):
    """A code that is not a well-formed USCC or resident ID; the message says why."""


def normalize(code: str) -> str:
    """The canonical spelling: no spaces, upper case (a trailing `x` becomes `X`)."""
    return "".join(code.split()).upper()


def resident_id_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def uscc_check_character(first17: str) -> str:
    return uscc.calc_check_digit(first17)


@lru_cache(maxsize=65536)  # an import names the same providers and subjects on many lines
def validate_resident_id(code: str) -> str:
    """Return the canonical resident ID or raise InvalidCode."""
    code = normalize(code)
    if len(code) != 18 or not code[:17].isdigit() or not (code[17].isdigit() or code[17] == "X"):
        raise InvalidCode(f"resident ID {code!r} must be 17 digits and a check character (digit or X)")
    try:
        birth = datetime.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        raise InvalidCode(f"resident ID {code!r} has no valid birth date (digits 7-14)") from None
    if not datetime.date(1900, 1, 1) <= birth <= datetime.date.today():
        raise InvalidCode(f"resident ID {code!r} has a birth date outside 1900 to today")
    expected = resident_id_check_character(code[:17])
    if code[17] != expected:
        raise InvalidCode(f"resident ID {code!r} has check character {code[17]}, expected {expected}")
    return code


@lru_cache(maxsize=65536)
def validate_uscc(code: str) -> str:
    """Return the canonical unified social credit code or raise InvalidCode."""
    code = normalize(code)
    try:
        return uscc.validate(code)
    except InvalidLength:
        raise InvalidCode(f"unified social credit code {code!r} must have 18 characters, not {len(code)}") from None
    except InvalidChecksum:
        expected = uscc_check_character(code[:17])
        raise InvalidCode(
            f"unified social credit code {code!r} has check character {code[17]}, expected {expected}"
        ) from None
    except ValidationError:
        raise InvalidCode(
            f"unified social credit code {code!r} is malformed (8 digits, then digits or letters except I, O, S, V, Z)"
        ) from None


def validate_code(code: str) -> str:
    """A subject or provider code of either kind: 18 characters, told apart by the checks."""
    code = normalize(code)
    if len(code) == 18 and code[:17].isdigit() and code[17] in "0123456789X":
        try:
            return validate_resident_id(code)
        except InvalidCode as person_error:
            try:
                return validate_uscc(code)
            except InvalidCode:
                raise person_error from None
    return validate_uscc(code)


def is_resident_id(code: str) -> bool:
    try:
        validate_resident_id(code)
    except InvalidCode:
        return False
    return True
