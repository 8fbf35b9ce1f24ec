"""Decisions of consequence are confirmed by the person taking them, with their own secret:
the passphrase that opens their personal key. Imposing, varying, extending or lifting
restrictions, giving the Head of Service's view, deciding an appeal and every change to users
ask for it; a wrong one changes nothing, and the audit entry names the key that confirmed it.

The passphrase comes from the caller (`given`, for the length of one step: a screen that asked
for it, a command line that read it) or else from the keyring, where the person chose to keep
it. Nothing here stores it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from crm_tui.db.models import SigningCertificate
from crm_tui.domain.roles import Actor
from crm_tui.services.core import audit, grants, rehearsal
from crm_tui.services.core.passphrases import NoPersonalKey, NotConfirmed, PassphraseNeeded
from crm_tui.services.core.personal_keys import (
    key_file,
    keyring_notice,
    keyring_problem,
    stored_passphrase,
)

_given: ContextVar[str | None] = ContextVar("given_passphrase", default=None)


@contextmanager
def given(passphrase: str | None) -> Iterator[None]:
    """The acting person's passphrase, for the steps run inside this block (in this thread)."""
    token = _given.set(passphrase)
    try:
        yield
    finally:
        _given.reset(token)


def _open(actor: Actor, secret: str, *, from_keyring: bool) -> str:
    # The key file's reader (cryptography) loads when a decision is first confirmed.
    from crm_tui.letters import keys
    from crm_tui.letters.keys import KeyProblem

    try:
        _key, cert = keys.read_p12(key_file(actor.login), secret)
    except KeyProblem:
        if from_keyring:  # the key was replaced since: ask the person instead
            raise PassphraseNeeded("your passphrase is needed to confirm this (the one "
                                   "kept in the keyring no longer opens your key)") from None
        raise NotConfirmed("that passphrase does not open your personal key: nothing was "
                           "changed") from None
    fingerprint = keys.fingerprint(cert)
    in_use = SigningCertificate.select().where(
        (SigningCertificate.fingerprint == fingerprint)
        & (SigningCertificate.login == actor.login)
        & SigningCertificate.revoked_at.is_null()).exists()
    if not in_use:
        raise NotConfirmed("your personal key is revoked or not registered in this database: "
                           "make a new one (crm-tui signing init) before deciding")
    return fingerprint


def check(actor: Actor) -> str:
    """The fingerprint of the acting person's key, opened with their passphrase; raises
    NoPersonalKey, PassphraseNeeded or NotConfirmed, having changed nothing."""
    if not key_file(actor.login).is_file():
        raise NoPersonalKey(
            f"{actor.name} has no personal key yet. Decisions of consequence are confirmed "
            f"with its passphrase: make it first (in the app you are asked to choose one; on "
            f"the command line: crm-tui signing init --user {actor.login})")
    secret = _given.get()
    if secret is not None:
        return _open(actor, secret, from_keyring=False)
    kept = stored_passphrase(actor.login)
    if kept is not None:
        return _open(actor, kept, from_keyring=True)
    problem = keyring_problem()
    raise PassphraseNeeded("your passphrase is needed to confirm this"
                           + (f" ({problem})" if problem else ""), keyring_notice())


@contextmanager
def confirmed(actor: Actor) -> Iterator[str]:
    """Inside a service's transaction: the decision goes ahead only if the acting person
    confirms it with their own key; what they record meanwhile names that key. A rehearsal
    stops here, every check before it made, before the key is asked for."""
    # No passphrase is asked of a person who can no longer act (audit checks again as it writes).
    grants.require_current(actor)
    rehearsal.checked()
    fingerprint = check(actor)
    token = audit.confirming.set((actor.user_id, fingerprint))
    try:
        yield fingerprint
    finally:
        audit.confirming.reset(token)
