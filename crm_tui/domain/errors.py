"""Errors the domain raises. Each carries a sentence a user can read."""


class DomainError(Exception):
    """A rule of the policy was not met; nothing was changed."""


class PermissionDenied(DomainError):
    """The acting user's role may not do this."""


class InvalidTransition(DomainError):
    """The case is not in a state where this can happen. `why`: the reason alone, without
    the step it refuses ("the case is under appeal"), for a message that names the step."""

    def __init__(self, message: str, *, why: str = "") -> None:
        super().__init__(message)
        self.why = why or message


class RequirementMissing(DomainError):
    """Something the policy requires before this step has not been recorded. `why`: as for
    InvalidTransition."""

    def __init__(self, message: str, *, why: str = "") -> None:
        super().__init__(message)
        self.why = why or message


class ValidationError(DomainError):
    """A value given is not acceptable. `field` names where it was given."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class NotFound(DomainError):
    """The thing asked for does not exist."""


class Destroyed(NotFound):
    """The case asked for was destroyed at the end of its retention period: only its
    tombstone remains. The message says who destroyed it and when."""


class DatabaseBusy(DomainError):
    """Another person's write held the database for longer than this one could wait; nothing
    was written."""


class StaleEdit(DomainError):
    """The record was changed by someone else since this view of it was read; nothing was
    written. The message says who changed it, when, and what."""


class Problems(ValidationError):
    """Several values refused at once, as a form shows every field's problem in one save:
    `found` holds each (its field and message), in the order they were given. The first is
    this error's own `field` and `message`, for a caller that shows one."""

    def __init__(self, found: list[ValidationError]) -> None:
        super().__init__(found[0].field, found[0].message)
        self.found: list[ValidationError] = []
        for error in found:
            self.found += error.found if isinstance(error, Problems) else [error]
        self.args = ("; ".join(str(p) for p in self.found),)


def raise_all(found: list[ValidationError]) -> None:
    """Raise every problem found at once (nothing when none was): one as itself, several
    together as Problems."""
    if len(found) == 1:
        raise found[0]
    if found:
        raise Problems(found)


class Placeholder(ValidationError):
    """A reason typed that stands for nothing ("n/a", "TBC", "-"): a problem with what was
    typed, as a blank is, not a refusal by the rules."""


class NotKnown(ValidationError):
    """A value typed names nothing there is (a login no one has): a problem with what was
    typed, as a day that is no date is, not a refusal by the rules."""
