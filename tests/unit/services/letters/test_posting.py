"""Posting: the letters not yet posted (scope, order), the print pack (the stored bytes'
pages in order, each letter on a sheet of its own, mode and group, never overwriting, a crash
leaving nothing half-done), and the posting record (who may, the class and number, the dates,
once only, all or none)."""

from __future__ import annotations

import grp
import os
import shutil
import stat
import subprocess
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from crm_tui import clock
from crm_tui.db.models import AuditEntry, Case, Letter, LetterFile
from crm_tui.domain.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    Problems,
    RequirementMissing,
    ValidationError,
)
from crm_tui.domain.posting import PostClass, s10_check_digit, tracking_number
from crm_tui.domain.roles import Actor, Role
from crm_tui.domain.states import CaseState
from crm_tui.services.core import users
from crm_tui.services.intake.case_file import case_file
from crm_tui.services.letters import posting, print_pack
from tests import builders, dumps
from tests.unit.services.letters.issued import issued_letter, kept_until_gone_by

TODAY = date(2026, 11, 28)
GOOD = "AB123456785GB"  # a recorded-delivery number whose check digit is right


def _pages(path: Path | bytes) -> list[str]:
    reader = PdfReader(BytesIO(path) if isinstance(path, bytes) else path)
    return [page.extract_text().strip() for page in reader.pages]


def _render(pdf: Path, page: int) -> bytes:
    return subprocess.run(["pdftoppm", "-r", "30", "-gray", "-f", str(page), "-l", str(page),
                           str(pdf)], check=True, capture_output=True).stdout


def _dump() -> list[str]:
    return dumps.dump()


@pytest.fixture
def case(actors: dict[Role, Actor]) -> str:
    return builders.referred(actors)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "print"


def test_the_check_digit_is_the_upus() -> None:
    assert s10_check_digit("00071759") == 5  # EB000717595HK, from the S10 standard's example
    assert tracking_number(" ab 1234 5678 5 gb ") == GOOD
    for bad in ("AB123456784GB", "AB12345678GB", "1234567890123", ""):
        with pytest.raises(ValidationError):
            tracking_number(bad)


def test_unposted_letters_oldest_first_and_only_the_actors(actors: dict[Role, Actor],
                                                          case: str) -> None:
    later = issued_letter(case, signed_at=datetime(2026, 11, 27, 9, 0))
    earlier = issued_letter(case, signed_at=datetime(2026, 11, 20, 9, 0))
    issued_letter(case, status="draft")
    issued_letter(case, status="not_sent", with_pdf=False)
    posted = issued_letter(case)
    Letter.update(posted_on=TODAY).where(Letter.id == posted).execute()
    assert [u.id for u in posting.unposted(actors[Role.OFFICER])] == [earlier, later]
    assert [u.id for u in posting.unposted(actors[Role.SERVICE_AREA_MANAGER])] == [earlier,
                                                                                  later]
    assert posting.unposted(users.resolve_actor("manager2")) == []  # another service area
    assert posting.unposted(actors[Role.USER_ADMIN]) == []
    # One case's only ("Post today" in its letters).
    assert [u.id for u in posting.unposted(actors[Role.OFFICER], case)] == [earlier, later]
    assert posting.unposted(actors[Role.OFFICER], "UPV-1999-0001") == []
    # An archived file is read-only: its letters are not posted from the app.
    Case.update(state=CaseState.ARCHIVED.value).where(Case.reference == case).execute()
    assert posting.unposted(actors[Role.OFFICER]) == []
    with pytest.raises(RequirementMissing, match="archived"):
        posting.record_posting(actors[Role.CRM], [earlier], TODAY, PostClass.FIRST)


def test_the_pack_holds_each_letters_own_pages_in_order_each_on_new_sheets(
        actors: dict[Role, Actor], case: str, folder: Path) -> None:
    one = issued_letter(case, pages=1)
    three = issued_letter(case, pages=3)
    two = issued_letter(case, pages=2)
    pack = posting.make_print_pack(actors[Role.OFFICER], [three, one, two], folder=folder,
                                   group="", duplex=True)
    assert pack.name == "print-pack-2026-11-28-01.pdf" and pack.path == folder / pack.name
    blank = ""
    assert _pages(pack.path) == [
        f"letter {three} page 1", f"letter {three} page 2", f"letter {three} page 3", blank,
        f"letter {one} page 1", blank, f"letter {two} page 1", f"letter {two} page 2"]
    assert pack.pages == 8 and pack.letters == (three, one, two)
    assert [r.print_pack for r in Letter.select().where(Letter.id.in_([one, two, three]))] \
        == [pack.name] * 3
    assert AuditEntry.select().where(AuditEntry.action == "make_print_pack").count() == 3
    assert sorted(p.name for p in folder.iterdir()) == [pack.name]  # no partial left
    # Dated by the app's clock, in the letters' language (found when tried: neither was set).
    reader = PdfReader(pack.path)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata is not None and reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.date() == clock.today()


def test_without_duplex_no_blank_pages(actors: dict[Role, Actor], case: str,
                                       folder: Path) -> None:
    ids = [issued_letter(case, pages=1), issued_letter(case, pages=1)]
    pack = posting.make_print_pack(actors[Role.CRM], ids, folder=folder, group="",
                                   duplex=False)
    assert _pages(pack.path) == [f"letter {ids[0]} page 1", f"letter {ids[1]} page 1"]


def test_the_signed_letters_pages_come_out_as_they_were(demo: Path, tmp_path: Path) -> None:
    # The demo's letters were signed for real: the stamp on their last page is an annotation,
    # which must still print from the pack.
    ceri = users.resolve_actor("ceri.hughes")
    # The demo posted its letters when it signed them; on this copy they wait again.
    Letter.update(posted_on=None, post_class="", posted_by=None).execute()
    waiting = [u.id for u in posting.unposted(ceri)]
    assert waiting
    pack = posting.make_print_pack(ceri, waiting, folder=tmp_path / "p",
                                   group="", duplex=False)
    from crm_tui.db.models import LetterFile

    expected = []
    for u in waiting:
        reader = PdfReader(BytesIO(bytes(LetterFile.get(LetterFile.letter == u).pdf)))
        expected += [(p.extract_text(), [a.get_object()["/Rect"] for a in
                                         p.get("/Annots") or []]) for p in reader.pages]
    got = [(p.extract_text(), [a.get_object()["/Rect"] for a in p.get("/Annots") or []])
           for p in PdfReader(pack.path).pages]
    assert got == expected
    assert any(rects for _, rects in got)  # the signature stamps are there to print
    if shutil.which("pdftoppm"):  # and print as they were: each page rendered alike
        last = PdfReader(pack.path).pages
        original = tmp_path / "original.pdf"
        original.write_bytes(bytes(LetterFile.get(LetterFile.letter == waiting[0]).pdf))
        first_letter_pages = len(PdfReader(original).pages)
        assert last and first_letter_pages
        for page in range(1, first_letter_pages + 1):
            assert _render(original, page) == _render(pack.path, page), page


def test_the_pack_is_the_print_groups_and_never_everyones(
        actors: dict[Role, Actor], case: str, folder: Path) -> None:
    group = grp.getgrgid(os.getegid()).gr_name
    pack = posting.make_print_pack(actors[Role.OFFICER], [issued_letter(case)],
                                   folder=folder, group=group, duplex=True)
    assert stat.S_IMODE(pack.path.stat().st_mode) == 0o640
    assert pack.path.stat().st_gid == os.getegid()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o2750
    alone = posting.make_print_pack(actors[Role.OFFICER], [issued_letter(case)],
                                    folder=folder, group="", duplex=True)
    assert stat.S_IMODE(alone.path.stat().st_mode) == 0o600


def test_a_pack_never_overwrites_one_already_there(actors: dict[Role, Actor], case: str,
                                                   folder: Path) -> None:
    folder.mkdir()
    (folder / "print-pack-2026-11-28-01.pdf").write_bytes(b"the print room's own")
    first = posting.make_print_pack(actors[Role.OFFICER], [issued_letter(case)],
                                    folder=folder, group="", duplex=True)
    second = posting.make_print_pack(actors[Role.OFFICER], [issued_letter(case)],
                                     folder=folder, group="", duplex=True)
    assert (first.name, second.name) == ("print-pack-2026-11-28-02.pdf",
                                         "print-pack-2026-11-28-03.pdf")
    assert (folder / "print-pack-2026-11-28-01.pdf").read_bytes() == b"the print room's own"
    # The print room tidies its folder: a name the register holds is still never reused.
    for p in folder.iterdir():
        p.unlink()
    third = posting.make_print_pack(actors[Role.OFFICER], [issued_letter(case)],
                                    folder=folder, group="", duplex=True)
    assert third.name == "print-pack-2026-11-28-04.pdf"


def test_a_letter_without_its_signed_bytes_is_reported(actors: dict[Role, Actor], case: str,
                                                       folder: Path) -> None:
    old = issued_letter(case, with_pdf=False)
    kept = issued_letter(case)
    pack = posting.make_print_pack(actors[Role.OFFICER], [old, kept], folder=folder,
                                   group="", duplex=True)
    assert pack.letters == (kept,) and [u.id for u in pack.without_pdf] == [old]
    assert Letter.get_by_id(old).print_pack == ""
    with pytest.raises(RequirementMissing, match="signed copy"):
        posting.make_print_pack(actors[Role.OFFICER], [old], folder=folder, group="",
                                duplex=True)


def test_a_letter_whose_kept_copy_was_changed_does_not_go_to_print(
        actors: dict[Role, Actor], case: str, folder: Path) -> None:
    good, damaged = issued_letter(case), issued_letter(case)
    LetterFile.update(pdf=b"%PDF-").where(LetterFile.letter == damaged).execute()
    before = _dump()
    with pytest.raises(RequirementMissing, match=f"letter {damaged} is not the file issued"):
        posting.make_print_pack(actors[Role.OFFICER], [good, damaged], folder=folder,
                                group="", duplex=True)
    assert _dump() == before and not (folder.exists() and any(folder.iterdir()))


def test_only_the_team_posts(actors: dict[Role, Actor], case: str, folder: Path) -> None:
    letter = issued_letter(case)
    before = _dump()
    for role in (Role.HEAD_OF_SERVICE, Role.SERVICE_DIRECTOR, Role.SERVICE_AREA_MANAGER,
                 Role.USER_ADMIN):
        with pytest.raises(PermissionDenied, match="Complaints Resolution Team"):
            posting.make_print_pack(actors[role], [letter], folder=folder, group="",
                                    duplex=True)
        with pytest.raises(PermissionDenied, match="Complaints Resolution Team"):
            posting.record_posting(actors[role], [letter], TODAY, PostClass.FIRST)
    assert _dump() == before and not folder.exists()


def test_a_letter_out_of_sight_is_not_found(actors: dict[Role, Actor], folder: Path) -> None:
    # Another service area's case, seen by the team but not by that area's manager: the
    # team may post it; a letter that does not exist is refused.
    ref = builders.referred(actors)
    with pytest.raises(NotFound):
        posting.record_posting(actors[Role.CRM], [9999], TODAY, PostClass.FIRST)
    assert posting.record_posting(actors[Role.CRM], [issued_letter(ref)], TODAY, "first")


def test_a_crash_before_the_commit_leaves_no_pack_and_no_record(
        actors: dict[Role, Actor], case: str, folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    letters = [issued_letter(case), issued_letter(case)]
    calls = []

    def crash(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:  # the pack written, the first letter marked
            raise KeyboardInterrupt

    monkeypatch.setattr(posting.audit, "record", crash)
    with pytest.raises(KeyboardInterrupt):
        posting.make_print_pack(actors[Role.OFFICER], letters, folder=folder, group="",
                                duplex=True)
    assert list(folder.iterdir()) == []
    assert {r.print_pack for r in Letter.select()} == {""}


def test_a_crash_after_the_commit_is_finished_next_time(
        actors: dict[Role, Actor], case: str, folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    letter = issued_letter(case)

    def crash(*args: object) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(print_pack, "publish", crash)
    with pytest.raises(KeyboardInterrupt):
        posting.make_print_pack(actors[Role.OFFICER], [letter], folder=folder, group="",
                                duplex=True)
    monkeypatch.undo()
    name = Letter.get_by_id(letter).print_pack
    assert name == "print-pack-2026-11-28-01.pdf" and not (folder / name).exists()
    # A partial pack of a transaction that never committed, from another crash.
    stray = print_pack.partial_path(folder, "print-pack-2026-11-28-07.pdf")
    stray.write_bytes(b"%PDF half")
    assert posting.recover_packs(folder) == [name]
    assert sorted(p.name for p in folder.iterdir()) == [name]
    assert _pages(folder / name) == [f"letter {letter} page 1", ""]


def test_posting_is_recorded_on_each_letter(actors: dict[Role, Actor], case: str) -> None:
    first, second = issued_letter(case), issued_letter(case)
    done = posting.record_posting(actors[Role.OFFICER], [first, second], TODAY,
                                  PostClass.RECORDED,
                                  {first: GOOD, second: "EB 00071759 5 GB"})
    assert [(p.letter_id, p.tracking) for p in done] == [(first, GOOD),
                                                          (second, "EB000717595GB")]
    row = Letter.get_by_id(first)
    assert (row.posted_on, row.post_class, row.tracking, row.posted_by_id) == (
        TODAY, "recorded", GOOD, actors[Role.OFFICER].user_id)
    assert row.posted_at == datetime(2026, 11, 28, 10, 0)
    assert AuditEntry.select().where(AuditEntry.action == "record_posting").count() == 2
    assert posting.unposted(actors[Role.OFFICER]) == []
    entries = [e for e in case_file(actors[Role.CRM], case).timeline
               if e.title.startswith("Letter posted")]
    assert {e.title for e in entries} == {
        f"Letter posted on 28 Nov 2026 (recorded delivery, {GOOD})",
        "Letter posted on 28 Nov 2026 (recorded delivery, EB000717595GB)"}


BAD_POSTINGS = [
    ("airmail", None, TODAY, "not a class of post"),
    (PostClass.RECORDED, None, TODAY, "give its recorded-delivery number"),
    (PostClass.RECORDED, {"first": "AB123456784GB"}, TODAY, "check digit"),
    (PostClass.RECORDED, {"first": "12345"}, TODAY, "two letters, nine digits"),
    (PostClass.RECORDED, {"first": GOOD, "second": GOOD}, TODAY, "each item has its own"),
    (PostClass.RECORDED, {"first": GOOD, "third": GOOD}, TODAY, "not among those posted"),
    (PostClass.FIRST, {"first": GOOD}, TODAY, "only for letters sent by recorded"),
    (PostClass.SECOND, None, date(2026, 11, 29), "in the future"),
    (PostClass.SECOND, None, date(2026, 11, 25), r"were issued \(26 Nov 2026\)"),
]


def test_a_bad_posting_is_refused_and_nothing_recorded(actors: dict[Role, Actor],
                                                       case: str) -> None:
    ids = {"first": issued_letter(case), "second": issued_letter(case), "third": 999}
    before = _dump()
    for klass, tracking, posted_on, message in BAD_POSTINGS:
        numbers = {ids[k]: v for k, v in (tracking or {}).items()}
        with pytest.raises(ValidationError, match=message):
            posting.record_posting(actors[Role.CRM], [ids["first"], ids["second"]],
                                   posted_on, klass, numbers)
        assert _dump() == before, message


def test_every_problem_with_a_posting_is_told_at_once(actors: dict[Role, Actor],
                                                      case: str) -> None:
    # t15d F2: one problem came per save — the first letter's missing recorded-delivery
    # number, then the second's, then the date before the letters were issued.
    other = builders.referred(actors)
    first, second = issued_letter(case), issued_letter(case)
    later = issued_letter(other, signed_at=datetime(2026, 11, 27, 9, 0))
    bad = issued_letter(other)
    before = _dump()
    with pytest.raises(Problems) as refused:
        posting.check_posting(actors[Role.CRM], [first, second, later, bad],
                              date(2026, 11, 25), PostClass.RECORDED, {bad: "12345"})
    said = {p.field: p.message for p in refused.value.found}
    assert list(said) == [f"tracking_{first}", f"tracking_{second}", f"tracking_{later}",
                          f"tracking_{bad}", "posted_on"]
    for letter in (first, second, later):
        assert said[f"tracking_{letter}"] == (f"letter {letter} is sent by recorded delivery: "
                                              "give its recorded-delivery number")
    assert said[f"tracking_{bad}"].startswith(f"letter {bad}: ")
    assert "two letters, nine digits" in said[f"tracking_{bad}"]
    # The date against every letter, each named with the day it was issued.
    assert said["posted_on"] == (
        f"2026-11-25 is before these letters were issued: letters {first} and {second} "
        f"({case}) on 26 Nov 2026; letter {later} ({other}) on 27 Nov 2026; letter {bad} "
        f"({other}) on 26 Nov 2026: a letter is posted on or after the day it is issued")
    assert _dump() == before
    # Each letter's own: a number given twice is refused at the second letter, one recorded
    # before at its letter, beside the other problems.
    posting.record_posting(actors[Role.CRM], [bad], TODAY, PostClass.RECORDED, {bad: GOOD})
    with pytest.raises(Problems) as refused:
        posting.check_posting(actors[Role.CRM], [first, second, later], TODAY,
                              PostClass.RECORDED, {first: "EB000717595GB",
                                                   second: "EB000717595GB", later: GOOD})
    assert {(p.field, p.message) for p in refused.value.found} == {
        (f"tracking_{second}", f"letter {second}: EB000717595GB is given for letter {first} "
                               "too: each item has its own number"),
        (f"tracking_{later}", f"letter {later}: {GOOD} was already recorded for letter {bad}")}


def test_a_letter_is_posted_once_and_all_or_none(actors: dict[Role, Actor], case: str) -> None:
    posted, fresh = issued_letter(case), issued_letter(case)
    posting.record_posting(actors[Role.CRM], [posted], TODAY, PostClass.FIRST)
    before = _dump()
    with pytest.raises(RequirementMissing, match="re-send it as a duplicate"):
        posting.record_posting(actors[Role.CRM], [fresh, posted], TODAY, PostClass.FIRST)
    with pytest.raises(RequirementMissing, match="posted on 28 Nov 2026"):
        posting.make_print_pack(actors[Role.CRM], [posted], group="", duplex=True)
    assert _dump() == before and Letter.get_by_id(fresh).posted_on is None


def test_a_recorded_delivery_number_belongs_to_one_item(actors: dict[Role, Actor],
                                                        case: str) -> None:
    first, second = issued_letter(case), issued_letter(case)
    posting.record_posting(actors[Role.CRM], [first], TODAY, PostClass.RECORDED, {first: GOOD})
    with pytest.raises(ValidationError, match=f"{GOOD} was already recorded for letter {first}"):
        posting.record_posting(actors[Role.CRM], [second], TODAY, PostClass.RECORDED,
                               {second: GOOD})


def test_drafts_are_not_posted(actors: dict[Role, Actor], case: str) -> None:
    draft = issued_letter(case, status="draft")
    with pytest.raises(RequirementMissing, match="has not been issued"):
        posting.record_posting(actors[Role.CRM], [draft], TODAY, PostClass.FIRST)
    with pytest.raises(DomainError, match="named twice"):
        posting.record_posting(actors[Role.CRM], [draft, draft], TODAY, PostClass.FIRST)


def test_the_appeal_deadline_shows_the_posting_date(actors: dict[Role, Actor],
                                                    case: str) -> None:
    crm = actors[Role.CRM]
    assert case_file(crm, case).appeal_deadline == ""
    letter = issued_letter(case, appeal_by=date(2027, 1, 5))
    assert case_file(crm, case).appeal_deadline == \
        "Appeal by 5 Jan 2027 — letter not yet posted"
    posting.record_posting(crm, [letter], TODAY, PostClass.SECOND)
    assert case_file(crm, case).appeal_deadline == \
        "Appeal by 5 Jan 2027 — letter posted 28 Nov 2026"
    copy = issued_letter(case, appeal_by=date(2027, 1, 5), duplicate_of=letter,
                         signed_at=datetime(2026, 11, 28, 9, 0))
    posting.record_posting(crm, [copy], TODAY, PostClass.FIRST)
    assert case_file(crm, case).appeal_deadline == \
        "Appeal by 5 Jan 2027 — letter posted 28 Nov 2026; copy posted 28 Nov 2026"


def test_a_pack_being_made_is_not_taken_for_a_crashed_one(
        actors: dict[Role, Actor], case: str, folder: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # One person's pack is written and not yet committed when another's recovery runs: the
    # recovery waits for the write lock instead of deleting the partial file.
    import threading
    import time

    from crm_tui.services.core.database import session

    letter = issued_letter(case)
    written, release = threading.Event(), threading.Event()
    record = posting.audit.record

    def slow_record(*args: object, **kwargs: object) -> int:
        written.set()
        release.wait(5)
        return record(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(posting.audit, "record", slow_record)
    made: list[posting.PrintPack] = []

    def make() -> None:
        with session():
            made.append(posting.make_print_pack(actors[Role.OFFICER], [letter],
                                                folder=folder, group="", duplex=True))

    maker = threading.Thread(target=make)
    maker.start()
    assert written.wait(5)
    recovered: list[list[str]] = []

    def recover() -> None:
        with session():
            recovered.append(posting.recover_packs(folder))

    other = threading.Thread(target=recover)
    other.start()
    time.sleep(0.3)  # the recovery is waiting for the lock meanwhile
    release.set()
    maker.join(10)
    other.join(10)
    # The recovery may run in the moment between the maker's commit and its naming of the
    # file: then it puts the registered pack in place itself. Either way nothing is deleted.
    assert made and made[0].path.is_file()
    assert recovered in ([[]], [[made[0].path.name]])
    assert not list(folder.glob(".*.partial"))
    assert Letter.get_by_id(letter).print_pack == made[0].name


def test_a_letter_whose_appeal_date_has_passed_does_not_go_out(actors: dict[Role, Actor],
                                                                case: str) -> None:
    # Found when tried: a demo letter of December 2025 went into the post of December 2026,
    # telling the customer of an appeal date long gone.
    old = issued_letter(case, appeal_by=date(2026, 11, 27))
    before = _dump()
    with pytest.raises(ValidationError, match="27 Nov 2026 as the last day to appeal"):
        posting.record_posting(actors[Role.CRM], [old], date(2026, 11, 28), PostClass.FIRST)
    assert _dump() == before
    posting.record_posting(actors[Role.CRM], [old], date(2026, 11, 27), PostClass.FIRST)


def test_a_letter_whose_other_dates_have_passed_does_not_go_out(actors: dict[Role, Actor],
                                                               case: str, folder: Path) -> None:
    # Found when tried: a local-resolution letter saying "we will keep it until 12 January
    # 2027" was posted on 20 January, and the list offered it as ready to go.
    letter = kept_until_gone_by(case)
    [waiting] = [u for u in posting.unposted(actors[Role.CRM]) if u.id == letter]
    assert "27 November 2026" in waiting.cannot_go  # today is 28 November
    before = _dump()
    with pytest.raises(ValidationError, match="a date already past, 27 November 2026"):
        posting.record_posting(actors[Role.CRM], [letter], date(2026, 11, 28), PostClass.FIRST)
    assert _dump() == before
    posting.record_posting(actors[Role.CRM], [letter], date(2026, 11, 27), PostClass.FIRST)


def test_a_pack_another_recovery_has_just_linked_is_published_once(folder: Path) -> None:
    # The other recovery has made the hard link and not yet removed the partial file.
    from crm_tui.services.letters import print_pack

    folder.mkdir(parents=True, exist_ok=True)
    name = "print-pack-2026-11-28-01.pdf"
    partial = print_pack.partial_path(folder, name)
    partial.write_bytes(b"%PDF-1.4 pack")
    os.link(partial, folder / name)
    assert print_pack.publish(folder, name) == folder / name
    assert (folder / name).read_bytes() == b"%PDF-1.4 pack" and not partial.exists()


def test_the_numbers_are_checked_alone_beside_a_date_the_form_refuses(
        actors: dict[Role, Actor], case: str) -> None:
    """fixG G4: what the form shows beside a posting date it cannot read, every number's
    problem at its letter (one already recorded for another letter among them), nothing
    recorded."""
    first, second, third = issued_letter(case), issued_letter(case), issued_letter(case)
    posting.record_posting(actors[Role.CRM], [first], TODAY, PostClass.RECORDED, {first: GOOD})
    before = _dump()
    found = posting.number_problems(actors[Role.CRM], [second, third], PostClass.RECORDED,
                                    {second: " ab 1234 5678 5 gb "})
    assert [(p.field, p.message) for p in found] == [
        (f"tracking_{third}", f"letter {third} is sent by recorded delivery: give its "
                              "recorded-delivery number"),
        (f"tracking_{second}", f"letter {second}: {GOOD} was already recorded for letter "
                               f"{first}")]
    assert posting.number_problems(actors[Role.CRM], [second], PostClass.FIRST) == []
    with pytest.raises(RequirementMissing, match="re-send it as a duplicate"):
        posting.number_problems(actors[Role.CRM], [first], PostClass.RECORDED, {first: GOOD})
    with pytest.raises(PermissionDenied):
        posting.number_problems(actors[Role.HEAD_OF_SERVICE], [second], PostClass.FIRST)
    assert _dump() == before


def test_the_letters_left_out_unless_named_as_of_the_day_posted(actors: dict[Role, Actor],
                                                               case: str) -> None:
    # v15i M1: a post run with no letters named took one that could not go, and the whole
    # run was refused; what cannot go is judged on the day posted, which may be earlier.
    old = issued_letter(case, appeal_by=date(2026, 11, 27))
    fine = issued_letter(case, appeal_by=date(2027, 1, 5))
    going, out = posting.left_out_unless_named(posting.unposted(actors[Role.CRM]))
    assert ([u.id for u in going], [u.id for u in out]) == ([fine], [old])
    assert "27 Nov 2026 as the last day to appeal" in out[0].cannot_go
    going, out = posting.left_out_unless_named(
        posting.unposted(actors[Role.CRM], on=date(2026, 11, 27)))
    assert ([sorted(u.id for u in going)], out) == ([sorted([old, fine])], [])
