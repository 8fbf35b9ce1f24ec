"""Letters signed in the same second (three `letters export` runs at once, two re-sends in a
second): never two registered letters under one file name, and every registered letter has
its file, the very bytes registered."""

from __future__ import annotations

import errno
import hashlib
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crm_tui.db.models import Letter, database_proxy
from crm_tui.domain.errors import DomainError
from crm_tui.domain.letters import LetterKind
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.private_files import write_new_private_bytes
from crm_tui.services.core import users
from crm_tui.services.letters import copies, issuing, posting, signing_keys
from tests import builders
from tests.conftest import PASSPHRASE


@pytest.fixture
def team(actors: dict[Role, Actor]) -> dict[Role, Actor]:
    for login in ("crm", "hos"):
        signing_keys.create_key(users.resolve_actor(login), login, PASSPHRASE, council="Test")
    return actors


def _registered_files_are_whole(folder: Path) -> list[Letter]:
    rows = list(Letter.select().where(Letter.file_name != "").order_by(Letter.id))
    names = [row.file_name for row in rows]
    assert len(names) == len(set(names))  # never two letters under one name
    for row in rows:
        path = folder / row.file_name
        assert path.exists(), f"letter {row.id} has no file"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256
    return rows


def test_a_new_file_never_takes_a_name_already_used(tmp_path: Path) -> None:
    target = tmp_path / "UPV-2026-0001-decision-20261128-100000.pdf"
    paths = [write_new_private_bytes(target, bytes([n]) * 10) for n in range(3)]
    assert [p.name for p in paths] == [target.name, f"{target.stem}-2.pdf",
                                       f"{target.stem}-3.pdf"]
    assert [p.read_bytes() for p in paths] == [bytes([n]) * 10 for n in range(3)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)


def test_without_hard_links_a_name_is_still_taken_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(*_: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "UPV-2026-0001-decision-20261128-100000.pdf"
    paths = [write_new_private_bytes(target, bytes([n]) * 10) for n in range(2)]
    assert [p.name for p in paths] == [target.name, f"{target.stem}-2.pdf"]
    assert [p.read_bytes() for p in paths] == [bytes([n]) * 10 for n in range(2)]
    assert not list(tmp_path.glob("*.partial"))


def test_three_exports_at_once_register_one_letter_with_its_file(
        team: dict[Role, Actor], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All three sign before any registers (the clock is frozen: the same second), as three
    `crm-tui letters export` runs started together do."""
    actors = team
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    folder = tmp_path / "letters"
    together = threading.Barrier(3, timeout=60)
    signing = issuing.render_and_sign

    def sign_then_wait(*args: Any, **kwargs: Any) -> tuple[bytes, str]:
        signed = signing(*args, **kwargs)
        together.wait()
        return signed

    monkeypatch.setattr(issuing, "render_and_sign", sign_then_wait)
    outcomes: list[object] = []

    def export() -> None:
        with database_proxy.obj.connection_context():
            try:
                outcomes.append(issuing.sign_and_export(actors[Role.CRM], ref,
                                                        LetterKind.DECISION, folder, PASSPHRASE))
            except Exception as exc:  # shown by the assertion below, whatever it is
                outcomes.append(exc)

    threads = [threading.Thread(target=export) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    issued = [o for o in outcomes if isinstance(o, issuing.IssuedLetter)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert (len(issued), len(refused)) == (1, 2), outcomes
    [row] = _registered_files_are_whole(folder)
    assert row.id == issued[0].letter_id
    # The refused exports left no file of theirs behind.
    assert [p.name for p in folder.glob("*.pdf")] == [row.file_name]


def test_two_copies_re_sent_in_one_second_each_keep_their_own_file(
        team: dict[Role, Actor], tmp_path: Path) -> None:
    actors = team
    ref = builders.at_state(actors, CaseState.RESTRICTED)
    folder = tmp_path / "letters"
    original = issuing.sign_and_export(actors[Role.CRM], ref, LetterKind.DECISION, folder,
                                       PASSPHRASE)
    posting.record_posting(actors[Role.CRM], [original.letter_id], date(2026, 11, 28), "first")
    first = copies.resend(actors[Role.CRM], original.letter_id, folder, PASSPHRASE, "Lost")
    second = copies.resend(actors[Role.CRM], original.letter_id, folder, PASSPHRASE,
                           "Lost again")
    assert first.path != second.path
    assert len(_registered_files_are_whole(folder)) == 3


def _export_in_a_process(db: str, actor: Actor, ref: str, folder: str, barrier: Any,
                         results: Any) -> None:
    """One `crm-tui letters export` run: its own process and connection, signing at the same
    moment as the others (the barrier) in the same second (the frozen clock)."""
    from crm_tui.config import Config
    from crm_tui.db.connection import open_database
    from crm_tui.services.core import settings

    settings.configure(Config())
    open_database(db)
    signing = issuing.render_and_sign

    def sign_then_wait(*args: Any, **kwargs: Any) -> tuple[bytes, str]:
        signed = signing(*args, **kwargs)
        barrier.wait()
        return signed

    issuing.render_and_sign = sign_then_wait  # type: ignore[assignment]
    try:
        issued = issuing.sign_and_export(actor, ref, LetterKind.DECISION, Path(folder),
                                         PASSPHRASE)
        results.put(("issued", issued.letter_id))
    except DomainError as exc:
        results.put(("refused", str(exc)))
    except Exception as exc:  # counted: the test says what failed
        results.put(("failed", f"{type(exc).__name__}: {exc}"))


@pytest.mark.long
def test_three_export_processes_at_once_register_one_letter_with_its_file(
        team: dict[Role, Actor], db_path: Path, tmp_path: Path) -> None:
    import multiprocessing

    from crm_tui.services.core.personal_keys import key_file

    ref = builders.at_state(team, CaseState.RESTRICTED)
    assert key_file("crm").is_file()  # the key the processes sign with, in this test's folder
    folder = tmp_path / "letters"
    database_proxy.obj.close()
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(3, timeout=120), context.Queue()
    processes = [context.Process(target=_export_in_a_process, args=(
        str(db_path), team[Role.CRM], ref, str(folder), barrier, results)) for _ in range(3)]
    for process in processes:
        process.start()
    outcomes = sorted(results.get(timeout=180) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    from crm_tui.db.connection import open_database

    open_database(db_path)
    assert [kind for kind, _ in outcomes] == ["issued", "refused", "refused"], outcomes
    [row] = _registered_files_are_whole(folder)
    assert [p.name for p in folder.glob("*.pdf")] == [row.file_name]
