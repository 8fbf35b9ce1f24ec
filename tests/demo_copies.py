"""A copy of the demo database for a test, with its folders beside it: a demo's evidence and
signing keys are beside its database, by name (db/copies.py, `beside`), so a copy of the file
alone would have none. The signing keys are linked, not copied: a test that writes keys
writes them where the demo's are, as before the folders followed the database. The evidence
store is copied (about 300 KB): a test that destroys a file deletes its documents, and
linked, it deleted them from the demo every later test of the worker read (found when the
evidence bundle began to refuse a store not whole: "email-2019-10-07.eml is missing")."""

from __future__ import annotations

import shutil
from pathlib import Path

FOLDERS = ("demo-signing",)
COPIED = ("demo-evidence",)


def copy_demo(source: Path, target: Path) -> Path:
    shutil.copy(source, target)
    for name in FOLDERS:
        link, folder = target.parent / name, source.parent / name
        if folder.exists() and not (link.exists() or link.is_symlink()):
            link.symlink_to(folder.resolve(), target_is_directory=True)
    for name in COPIED:
        copy, folder = target.parent / name, source.parent / name
        if folder.exists() and not (copy.exists() or copy.is_symlink()):
            shutil.copytree(folder, copy, symlinks=True)
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
