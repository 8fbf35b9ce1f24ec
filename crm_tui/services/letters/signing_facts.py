"""What the signing steps can say, kept apart from the cryptography so that screens can name
these without loading it."""

from __future__ import annotations

from crm_tui.domain.errors import DomainError
from crm_tui.services.core.passphrases import DEMO_PASSPHRASE, PassphraseNeeded

__all__ = ["DEMO_PASSPHRASE", "PassphraseNeeded", "SigningProblem"]

class SigningProblem(DomainError):
    """A key that cannot be made, found or opened."""
