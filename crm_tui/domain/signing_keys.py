"""Signing keys belong to their holder. Only the holder makes their first key. A key in use is
replaced by its holder, who proves it with the old key's passphrase, or by a user
administrator with a recorded reason; it is revoked by its holder or a user administrator,
always with a reason."""

from __future__ import annotations

from enum import StrEnum

from crm_tui.domain.errors import PermissionDenied, RequirementMissing, ValidationError
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
    return KeyAuthority.ADMINISTRATOR


def require_new_key(actor: Actor, holder: str, *, has_key: bool, old_passphrase_given: bool,
                    reason: str) -> KeyAuthority:
    """May `actor` give `holder` a new key? `has_key`: the holder has (or had) one, so the new
    key replaces it."""
    if actor.login == holder:
        if has_key and not old_passphrase_given:
            raise RequirementMissing(
                f"{holder} already has a signing key: replacing it needs the passphrase of the "
                "key it replaces (or a user administrator, with a reason)")
        return KeyAuthority.HOLDER
    if not has_key:
        raise PermissionDenied(f"only {holder} may make their own signing key (you are "
                               f"acting as {actor.login})")
    return _administrator(actor, holder, "replace", reason)


def require_revocation(actor: Actor, holder: str, reason: str) -> KeyAuthority:
    """May `actor` revoke `holder`'s key? The reason is always recorded."""
    if actor.login == holder:
        if not reason.strip():
            raise ValidationError("reason", "say why the key is revoked")
        return KeyAuthority.HOLDER
    return _administrator(actor, holder, "revoke", reason)
