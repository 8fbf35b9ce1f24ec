"""What asking for a person's passphrase can say, kept apart from the cryptography so that
screens can name these without loading it."""

from __future__ import annotations

from crm_tui.domain.errors import DomainError, PermissionDenied

# Demo keys only: invented signers whose stamp says DEMO; published in the README so that a
# newcomer without a keyring can sign. Never used for a real key.
DEMO_PASSPHRASE = "northmere-demo"  # noqa: S105


class PassphraseNeeded(DomainError):
    """No passphrase was given and none is in the keyring. `notice`, once per process, says
    why a keyring found here is not used (it marks itself as insecure)."""

    def __init__(self, message: str, notice: str | None = None) -> None:
        super().__init__(message)
        self.notice = notice


class NoPersonalKey(DomainError):
    """The person has no key yet: it is made at first use, with a passphrase they choose."""


class NotConfirmed(PermissionDenied):
    """The passphrase did not open the person's own key, or the key is no longer in use:
    nothing was changed."""
