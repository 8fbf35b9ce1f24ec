"""The demo built again by `crm-tui demo --fresh` over the run's demo, once for the whole run:
the tests of the command's own build (it replaces a demo, it is deterministic, it says once
that a plain-text keyring is no keyring and writes the passphrase nowhere) each built one of
their own, twenty seconds and more each on this machine, all of the same demo."""

from __future__ import annotations

import fcntl
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

# Written into the demo's letters folder before the command runs: `--fresh` clears it.
LEFT_OVER = "left-over.pdf"


@dataclass(frozen=True)
class DemoAgain:
    """The folder the command built the demo in, and what it said."""

    folder: Path
    exit_code: int
    output: str
    stderr: str

    @property
    def path(self) -> Path:
        return self.folder / "demo.sqlite3"

    @property
    def home(self) -> Path:
        """The command's own configuration and data folders."""
        return self.folder.parent / "demo-again-home"

    @property
    def keyring_file(self) -> Path:
        """The plain-text keyring's file, in use while the command ran."""
        return self.folder.parent / "demo-again-keyring.txt"


def made_once(shared: Path, built: Path, now: str) -> DemoAgain:
    """`crm-tui demo --fresh --no-launch` run on a copy of the demo folder `built` (as `crm-tui
    demo` leaves it, with its folders, and a left-over letter), under a plain-text keyring:
    once in the folder `shared` the whole run shares, whichever worker asks first, on the day
    `now` and with configuration and data folders of its own."""
    from crm_tui.cli import main
    from tests.insecure_keyring import PlainFileKeyring, keyring_in_use

    folder = shared / "demo-again"
    home = shared / "demo-again-home"
    env = {"CRM_TUI_NOW": now, "TZ": "Europe/London",
           "CRM_TUI_CONFIG_DIR": str(home / "config"), "CRM_TUI_DATA_DIR": str(home / "data")}
    said = shared / "demo-again.json"
    with (shared / "demo-again.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not said.exists():
            for cut_short in (folder, home):
                shutil.rmtree(cut_short, ignore_errors=True)
            shutil.copytree(built, folder)
            (folder / "built").unlink(missing_ok=True)
            (folder / "demo-letters" / LEFT_OVER).write_bytes(b"from the last demo")
            plain = PlainFileKeyring(shared / "demo-again-keyring.txt")
            with keyring_in_use(plain):
                result = CliRunner(env=env).invoke(main, [
                    "demo", "--db", str(folder / "demo.sqlite3"), "--no-launch", "--fresh",
                    "--yes"])
            said.write_text(json.dumps({"exit_code": result.exit_code, "output": result.output,
                                        "stderr": result.stderr}))
    kept = json.loads(said.read_text())
    return DemoAgain(folder, kept["exit_code"], kept["output"], kept["stderr"])
