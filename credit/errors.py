"""The errors every layer raises, drawn once. The GraphQL layer maps each to an `extensions.code`.

CreditGraphError
├── BadInput            the request names something malformed: fix the input
├── NotFound            what the request acts on does not exist, or the caller may not see or touch it
│   └── Concealed       it exists but the caller may not see or touch it: answered exactly as NotFound, logged DENIED
├── Unauthenticated     a token was given but cannot be trusted
├── Forbidden           the caller may not do this
│   └── PurposeRequired an AGENCY reads credit data without declaring why (X-Query-Purpose)
├── Conflict            the object is not in a state that allows this
├── LimitExceeded       the request asks for more work than allowed: narrow it
└── StoreError          the store failed, not the request
    ├── StoreUnavailable    Neo4j cannot be reached
    └── StoreTimeout        a query ran past its time limit
"""

__all__ = [
    "BadInput",
    "Concealed",
    "Conflict",
    "CreditGraphError",
    "Forbidden",
    "LimitExceeded",
    "NotFound",
    "PurposeRequired",
    "StoreError",
    "StoreTimeout",
    "StoreUnavailable",
    "Unauthenticated",
]


class CreditGraphError(Exception):
    pass


class BadInput(CreditGraphError):
    pass


class NotFound(CreditGraphError):
    pass


class Concealed(NotFound):
    """Raised with the very message NotFound would carry for a missing object, so the answer tells nothing."""


class Unauthenticated(CreditGraphError):
    pass


class Forbidden(CreditGraphError):
    pass


class PurposeRequired(Forbidden):
    """Refused for who asks, before anything is looked up: the answer is the same whatever the request names."""


class Conflict(CreditGraphError):
    pass


class LimitExceeded(CreditGraphError):
    pass


class StoreError(CreditGraphError):
    pass


class StoreUnavailable(StoreError):
    pass


class StoreTimeout(StoreError):
    pass
