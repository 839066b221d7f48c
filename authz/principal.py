"""Who is asking. Until tokens arrive every request is anonymous."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    id: str | None
    name: str | None
    role: str | None
    unit: str | None
    purpose: str | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.role is None


ANONYMOUS = Principal(id=None, name=None, role=None, unit=None)
