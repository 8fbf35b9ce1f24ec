"""Signing keys belong to their holder. Only the holder makes their first key. A key in use is
replaced by its holder, who proves it with the old key's passphrase, or by a user
administrator with a recorded reason; it is revoked by its holder or a user administrator,
always with a reason."""

from __future__ import annotations

from enum import StrEnum

from crm_tui.domain.errors import (
    PermissionDenied,
    Placeholder,
    RequirementMissing,
    ValidationError,
)
from crm_tui.domain.grounds import reason_problem
from crm_tui.domain.roles import Actor, Role

KEY_ADMINISTRATORS = frozenset({Role.USER_ADMIN})


class KeyAuthority(StrEnum):
    """On whose word a key is made, replaced or revoked; recorded in the audit trail."""

    HOLDER = "holder"
    ADMINISTRATOR = "user administrator"


def _administrator(actor: Actor, holder: str, doing: str, reason: str) -> KeyAuthority:
    if actor.role not in KEY_ADMINISTRATORS:
        raise PermissionDenied(f"only {holder}, or a user administrator with a reason, may "
                               f"{doing} {holder}'s signing key (you are acting as "
                               f"{actor.login})")
    if not reason.strip():
        raise ValidationError("reason", f"a user administrator who {doing}s someone's signing "
                                        "key must record why")
    if reason_problem(reason):
        raise Placeholder("reason", str(reason_problem(reason)))
    return KeyAuthority.ADMINISTRATOR


def require_new_key(actor: Actor, holder: str, *, has_key: bool, old_passphrase_given: bool,
                    in_use: bool = True, reason: str = "") -> KeyAuthority:
    """May `actor` give `holder` a new key? Only the holder makes their own. `has_key`: they
    have (or had) one, so the new key replaces it: that needs the old key's passphrase, unless
    no key of theirs is in use any more — revoked by them (confirming with that key) or by a
    user administrator with a reason, the route when the passphrase is lost. An administrator
    never makes someone's key: the file would be theirs, not the holder's."""
    if actor.login != holder:
        raise PermissionDenied(
            f"only {holder} makes their own signing key (you are acting as {actor.login}). "
            f"If {holder} lost its passphrase, a user administrator revokes it with a reason "
            f"(crm-tui signing revoke --user {holder} --reason ...), and {holder} then makes "
            "a new one without it")
    if has_key and in_use and not old_passphrase_given:
        raise RequirementMissing(
            f"{holder} already has a signing key: replacing it needs the passphrase of the "
            "key it replaces (or, if that is lost, its revocation by a user administrator)")
    return KeyAuthority.HOLDER


def require_revocation(actor: Actor, holder: str, reason: str) -> KeyAuthority:
    """May `actor` revoke `holder`'s key? The reason is always recorded."""
    if actor.login == holder:
        if not reason.strip():
            raise ValidationError("reason", "say why the key is revoked")
        if reason_problem(reason):
            raise Placeholder("reason", str(reason_problem(reason)))
        return KeyAuthority.HOLDER
    return _administrator(actor, holder, "revoke", reason)
