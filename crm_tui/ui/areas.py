"""The app's areas: one registry for the navigation list, key bindings and command palette."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Area:
    mode: str
    title: str
    key: str
    help: str
    short: str = ""  # for the narrow area list; the title when blank
    # The area as a place in a sentence ("A in the Letters area"); "the " + title when blank.
    where: str = ""

    @property
    def place(self) -> str:
        return self.where or f"the {self.title}"


AREAS = (
    Area("inbox", "Referral inbox", "i", "Every referral and case by state: search, filter, "
         "sort, triage, open the case file", "Inbox"),
    Area("home", "Home", "h", "Today's counts: referrals, restrictions, reviews, appeals, files",
         where="the Home screen"),
    Area("calendar", "Review calendar", "d", "Every dated obligation by month, with an agenda; "
         "review sessions; export to .ics", "Calendar"),
    Area("register", "Staff register", "g", "Who is under restriction and how staff must "
         "handle their contact; print it", "Register"),
    Area("letters", "Letters", "l", "Letters waiting to be signed (sign one or all), the "
         "register of letters issued, and checking a PDF against it", where="the Letters area"),
    Area("audit", "Audit trail", "a", "Who did what, when and why; verify the hash chain",
         "Audit"),
    Area("team", "Team and roles", "t", "The users of this database and what each role may do",
         "Team", "the Team and roles screen"),
)
