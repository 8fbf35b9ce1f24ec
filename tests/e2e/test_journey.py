"""One case from a new referral to a decided appeal, in the real program in a real terminal,
with keys only: the keys the screens show (footers, dialogs' own keys, `?` help), checking
what each screen says after every step."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.e2e.terminal import DEMO_BUILD, Terminal

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
REF = "UPV-2026-0011"  # the demo's next reference in 2026
PASSPHRASE = "northmere-demo"  # every demo person's (no keyring here: the app asks)
LOG_SHEET = (
    "when,channel,direction,service_area,officer,duration_minutes,summary,categories\n"
    "14/10/2026 09:05,Telephone,From customer,Planning and Building Control,Tomasz Nowak,6,"
    "Asked again about the extension at 5 Rope Walk,Scattergun approach\n"
    "14/10/2026 10:10,Telephone,From customer,Planning and Building Control,Tomasz Nowak,5,"
    "The same question about the extension,Scattergun approach\n")


def _looks(term: Terminal, text: str) -> None:
    """A dialog opened: wait for it, and look before typing, as a person does (a key pressed
    before the dialog has put its cursor on its first field goes astray)."""
    term.wait_for(text)
    time.sleep(0.6)


def _row(term: Terminal, *parts: str, timeout: float = 20) -> str:
    """Wait for one line of the screen (a table's row, a title) holding all of `parts`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in term.screen().splitlines():
            if all(part in line for part in parts):
                return line
        time.sleep(0.1)
    raise AssertionError(f"No line holds {parts!r}; the screen shows:\n{term.screen()}")


def _shows(term: Terminal, text: str, timeout: float) -> bool:
    try:
        term.wait_for(text, timeout=timeout)
    except AssertionError:
        return False
    return True


def _footer(term: Terminal) -> str:
    return term.screen().rstrip().splitlines()[-1]


def _footer_drops(term: Terminal, key: str, timeout: float = 10) -> None:
    """Wait for the footer to stop offering `key` (it follows the case's new state)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if key not in _footer(term):
            return
        time.sleep(0.1)
    raise AssertionError(f"The footer still offers {key!r}:\n{term.screen()}")


def _footer_offers(term: Terminal, key: str, timeout: float = 10) -> None:
    """Wait for the footer to offer `key` (it follows the row the cursor rests on)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if key in _footer(term):
            return
        time.sleep(0.1)
    raise AssertionError(f"The footer does not offer {key!r}:\n{term.screen()}")


def _confirm_with_passphrase(term: Terminal) -> None:
    _looks(term, "Confirm with your passphrase")
    term.type(PASSPHRASE)
    term.keys("Enter")


def _record_referral(term: Terminal, document: Path) -> None:
    """1. n: the referral form, field by field with Tab, the document its last field."""
    term.keys("n")
    term.wait_for("New referral to the Complaints Resolution Manager")
    term.wait_for("ctrl+s Save referral")  # the form says how it is saved
    time.sleep(1.0)  # the form's choices load in a worker
    # The form starts on the customer's name ("Referral for", a new customer, is above it).
    term.type("Ms Octavia Brindle")
    term.keys("Tab")
    term.type("3 Rope Walk")
    # postcode ... adjustments, contact needs (fixAX): left empty
    term.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab")
    term.keys("Enter")  # the referring manager's menu
    term.wait_for("Hannah Okafor")
    term.keys("Down", "Enter")  # Hannah Okafor (Housing Services)
    # Her service area is filled in as she is chosen (Housing Services): Tab brings it into
    # view and the next passes it (found when run: opening its menu and going down four
    # chose another area, and the referral was refused as outside her area).
    term.keys("Tab")
    term.wait_for("Housing Services  ")
    term.keys("Tab", "Tab")  # the service area; received on: today, already filled in
    term.type("Rings the planning team hourly about a neighbour's extension")
    term.keys("Tab", "Space")  # behaviour categories: the first, scattergun
    # other behaviour (none); other departments; local resolution attempted (ticked)
    term.keys("Tab", "Tab", "Tab", "Tab")
    term.type("01/09/2026")  # written to the customer on
    term.keys("Tab")
    term.type("Letter of concern sent")
    term.keys("Tab")
    term.type("You ring the planning team every hour about the same extension.")
    # single point of contact (none chosen); how often; communication style
    term.keys("Tab", "Tab", "Tab", "Tab")
    term.type("01/09/2026")  # monitoring started
    term.keys("Tab")
    term.type("01/11/2026")  # monitoring ended
    # The letter warned that continuing may lead to restrictions: ticked, as the policy asks.
    term.keys("Tab", "Space", "Tab")
    term.type(str(document))  # documents and log sheets to attach, a path per line
    term.keys("C-s")
    term.wait_for(f"Referral recorded as {REF}")


def _find_in_inbox(term: Terminal) -> None:
    """Down the inbox, a row at a time as a person would, to the new referral."""
    for _ in range(25):
        if REF in term.cursor_row():
            return
        term.keys("Down", pace=0.3)
    raise AssertionError(f"The cursor never reached {REF}:\n{term.screen()}")


# About a minute and more: make test-long runs it. Its short version in make test is
# test_tmux.py's test_record_a_referral_and_find_it (this journey's first step, written and
# found again).
@pytest.mark.long
def test_a_referral_to_a_decided_appeal_with_keys_only(opened: Terminal,
                                                         tmp_path: Path) -> None:
    term = opened
    document = tmp_path / "call-log.txt"
    document.write_text("Caller rang the planning office eleven times on 14 October 2026 "
                        "about the same extension.\n")
    sheet = tmp_path / "log-sheet.csv"
    sheet.write_text(LOG_SHEET)
    term.wait_for("Considering 1", timeout=DEMO_BUILD)
    time.sleep(0.3)

    # 1. A new referral, with a document: the toast and its row in the inbox.
    _record_referral(term, document)
    _row(term, REF, "Ms Octavia Brindle", "New referral")

    # 2. c takes it into consideration: its state and next action (set out restrictions)
    # change, and the cursor stays on it though the row moves (no due date now: the end of
    # the list).
    _find_in_inbox(term)
    assert "Begin consid" in term.cursor_row()
    _footer_offers(term, "c Consider")
    term.keys("c")
    term.wait_for("Moved to consideration")
    time.sleep(0.5)
    row = term.cursor_row()
    assert REF in row and "Under consideration" in row and "Set out restr" in row, row

    # 3. Enter: the case file says so, and its timeline has the step.
    term.keys("Enter")
    term.wait_for(f"{REF} · Ms Octavia Brindle")
    term.wait_for("Referral taken into consideration")
    _row(term, REF, "Under consideration")

    # 4. v: the evidence. The referral's document is tagged with the behaviour it shows (b);
    # a log sheet of the calls is imported (L) and a call linked to the referral (k), for
    # the letter's dated examples.
    term.keys("v")
    term.wait_for(f"Evidence · {REF}")
    term.wait_for("call-log.txt")
    term.wait_for("b Behaviour")  # the footer's way forward
    term.keys("b")
    _looks(term, "Behaviour shown by call-log.txt")
    term.keys("Space", "C-s")  # the first: scattergun approach
    _row(term, "call-log.txt", "Scattergun approach", "referral")  # linked when recorded
    term.keys("L")
    _looks(term, f"Import a log sheet onto {REF}")
    term.type(str(sheet))
    term.keys("Enter")
    term.wait_for("Log sheet imported: 2 contacts")
    term.keys("2")
    term.wait_for("2 contacts")
    term.keys("k")
    _looks(term, "Link the contact of 14 Oct 2026 10:10")
    term.keys("Enter")  # the first: the referral
    term.wait_for("Contact of 14 Oct 2026 10:10 linked")

    # 5. R: the builder. A restriction, resting on the referral's evidence; a decision before
    # the consultation is refused at once; the Head of Service's view; the decision.
    term.keys("Escape", "R", pace=0.4)
    term.wait_for(f"Restriction builder · {REF}")
    term.wait_for("No restriction is set out yet")
    term.keys("a")
    _looks(term, "Which of the policy's restrictions?")
    term.keys("Enter")  # 1. Contact in a particular form only
    _looks(term, f"Set out a restriction · {REF} · Contact in a particular form only")
    # Letter is already the channel left open, the referral's behaviour already ticked:
    # past the channels, the email address and the behaviours to the reasons.
    term.keys("Tab", "Tab", "Tab")
    term.type("Rang the planning team hourly in October 2026 about one extension.")
    term.keys("Tab")
    term.type("You rang the planning team every hour about the same extension.")
    term.keys("Tab")
    term.type("Letters let one officer answer everything at once.")
    term.keys("Tab")
    term.type("A named officer was considered; the calls would go on.")
    term.keys("Tab")
    term.type("By letter to the planning team; in an emergency by telephone to 999.")
    term.keys("C-s")
    term.wait_for("Contact accepted only by letter")
    term.wait_for("rests on no linked evidence")
    term.keys("k")  # a tick list of what the referral brought, all ticked
    term.wait_for("ctrl+s Link the ticked evidence")
    term.keys("C-s")
    # All the referral brought (found when run: 3 items today, the test said 2).
    term.wait_for("Evidence linked: 3 items")
    term.keys("D")
    term.wait_for("Cannot decide yet")
    assert "What the customer will be told" not in term.screen()
    # The refusal read: keys typed straight on after a refusal are dropped until the typing
    # pauses (keys_after_refusal.py; found when run: the `c` was dropped).
    time.sleep(0.6)
    term.keys("c")
    _looks(term, f"Head of Service consultation · {REF}")
    # The cursor starts on the first field (the Head of Service, chosen): how they gave it,
    # then down the form to their words.
    term.keys("Tab", "Enter")
    term.wait_for("In person or at a meeting")
    term.keys("Down", "Enter", "Tab", "Tab", "Tab")
    term.type("Agree: letters only is proportionate")
    term.keys("C-s")
    _confirm_with_passphrase(term)
    term.wait_for("given by Priya Raman")
    term.wait_for("Ready for the CRM")
    term.keys("D")
    term.wait_for("What the customer will be told")
    _looks(term, "ctrl+s Decide")  # the dialog's own keys
    # From the first field (the start date) down past the dates and the review period.
    term.keys("Tab", "Tab", "Tab", "Tab", "Tab", pace=0.15)
    term.type("Hourly calls to the planning team about one extension")
    # The letter beside the form follows it once typing stops; a Tab pressed while it is
    # redrawn was lost on this machine (the reasons ran into one field), so let it settle.
    time.sleep(1.5)
    term.keys("Tab")
    term.type("You rang the planning team about the same extension again and again.")
    time.sleep(1.5)  # the letter follows the form once typing stops
    term.wait_for("passes the checks")
    # Until the letter has caught up with the last keystroke ctrl+s does nothing, without a
    # word, while "passes the checks" (of the letter before) still shows: a person presses it
    # again when nothing happens. (Reported: the key should say why, or wait.)
    for _ in range(4):
        term.keys("C-s")
        if _shows(term, "Decide (y)", timeout=5):  # asked first, naming who decides
            break
    else:
        raise AssertionError(f"ctrl+s never decided:\n{term.screen()}")
    term.answer("Decide (y)", "y")
    _confirm_with_passphrase(term)
    term.wait_for(f"{REF} · Ms Octavia Brindle (C000021) · Restricted")

    # 6. Esc: the case file says so at once, without being opened again.
    term.keys("Escape")
    term.wait_for("RESTRICTIONS IN FORCE", timeout=5)
    _row(term, REF, "Restricted", timeout=5)
    term.wait_for("Decision: restrictions imposed", timeout=5)

    # 7. W: the decision letter, signed and issued; the register shows it.
    term.keys("W")
    term.wait_for(f"Letters · {REF}")
    term.wait_for("not issued")
    term.keys("s")
    term.wait_for("Sign (y)")  # asked first, naming who signs
    assert "Ceri Hughes" in term.screen()
    term.answer("Sign (y)", "y")
    _looks(term, "Passphrase for your signing key")
    term.type(PASSPHRASE)
    term.keys("Enter")
    term.wait_for("Signed, issued and registered")
    _row(term, "Decision to res", "issued")  # the register's row

    # 8. A on the case file: the customer's appeal recorded; the case is under appeal, and
    # the CRM (who decided) is no longer offered A.
    term.keys("Escape")
    term.wait_for("RESTRICTIONS IN FORCE")
    term.wait_for("A Appeal")
    term.keys("A")
    _looks(term, "Record an appeal against the decision")
    term.keys("Tab")  # received on: today, filled in
    term.type("I only rang because nobody answered my letters about the extension.")
    term.keys("C-s")
    term.wait_for("Under appeal")
    _footer_drops(term, "A Appeal")
    # The panel no longer invites an appeal: it says one was received.
    assert "Appeal by" not in term.wait_for("awaiting its decision")

    # 9. u: the Service Director, on the case (opened again from the inbox), decides it.
    term.keys("u")
    _looks(term, "Act as which demo user?")
    term.keys("Down", "Down", "Down", "Down", "Down", "Enter")  # Gareth Bell
    term.wait_for("Gareth Bell · Service Director")
    # The case file open under the CRM now offers the Service Director the appeal.
    term.wait_for("A Appeal")
    term.keys("Escape")
    term.wait_for("shown · sorted by")
    assert REF in term.cursor_row()
    term.keys("Enter")
    term.wait_for(f"{REF} · Ms Octavia Brindle")
    term.wait_for("A Appeal")
    term.keys("A")
    _looks(term, f"Decide the appeal on {REF}")
    term.keys("Enter")  # Appeal not upheld: decision confirmed
    _looks(term, f"Appeal not upheld: decision confirmed · {REF}")
    term.type("The calls were many and about one matter; letters let one officer answer them.")
    term.keys("Tab")
    term.type("You rang us many times about one matter. One officer can answer your letters.")
    term.keys("C-s")
    term.wait_for("(y)")  # asked first, naming who decides
    assert "Gareth Bell" in term.screen()
    term.answer("(y)", "y")
    _confirm_with_passphrase(term)
    screen = term.wait_for("Appeal not upheld: decision confirmed, by Gareth Bell")
    assert "Appeal by" not in screen and "awaiting its decision" not in screen
    _row(term, REF, "Restricted")
    _footer_drops(term, "A Appeal")

    # 10. q quits.
    term.keys("q")
    term.wait_for("EXITED 0")
