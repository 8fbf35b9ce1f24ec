"""A copy of the demo database for a test, with its folders beside it: a demo's evidence and
signing keys are beside its database, by name (db/copies.py, `beside`), so a copy of the file
alone would have none. They are linked, not copied (a copy of every document for each test
would be slow): a test that writes documents or keys writes them where the demo's are, as
before the folders followed the database."""

from __future__ import annotations

import shutil
from pathlib import Path

FOLDERS = ("demo-evidence", "demo-signing")


def copy_demo(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    for name in FOLDERS:
        link, folder = target.parent / name, source.parent / name
        if folder.exists() and not (link.exists() or link.is_symlink()):
            link.symlink_to(folder.resolve(), target_is_directory=True)
    keep_demo_passphrases(target.parent / "demo-signing")
    return target


def keep_demo_passphrases(signing: Path) -> None:
    """The build keeps each demo person's passphrase in the (tests' in-memory) keyring under
    the path of their key file, and only in the process that built it: a copy's keys are
    under another path, so they are kept again here, as the build would have kept them."""
    import keyring

    from crm_tui.services.core.passphrases import DEMO_PASSPHRASE
    from crm_tui.services.core.personal_keys import SERVICE

    for key in signing.glob("*.p12"):
        keyring.get_keyring().set_password(SERVICE, f"{key.stem} ({key})", DEMO_PASSPHRASE)
