"""Each text the customer is told is printed once, where it belongs (t15 F7): the decision's
reasons under "Why", before the examples; each restriction's own reason with that restriction,
under "What we have decided". Both were printed one after the other under "Why", and a CRM
filling each form "as the customer is told it" had the customer read the same thing twice."""

from __future__ import annotations

from datetime import date

from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.letters.content import Letterhead, Restricting, decision_sections
from crm_tui.letters.wording import Rule, Ways

HEAD = Letterhead("Northmere City Council", "Complaints Resolution Team",
                  ("Civic Centre", "Harbour Road", "Northmere", "NM1 1AA"), "01632 960000",
                  "complaints.review@northmere.example.gov.uk", "www.northmere.example.gov.uk")
ON = date(2026, 12, 6)
DECIDED = ("You have telephoned our repairs team many times a day about a damp complaint we "
           "have already answered.")
LETTER_ONLY = "When you write to us, one officer can read everything you send and answer it."
SET_TIMES = "Set times mean that an officer who knows your case will be free to talk to you."


def test_the_decisions_reasons_go_under_why_and_each_restrictions_with_it() -> None:
    r = Restricting(
        rules=[Rule(K.FORM_OF_CONTACT, {"channels": ["letter", "telephone"]}),
               Rule(K.TELEPHONE_TIMES, {"days": ["mon"], "windows": ["10:00-12:00"]},
                    telephone="01632 960000")],
        reasons=[DECIDED], rule_reasons=[LETTER_ONLY, SET_TIMES],
        behaviour=["On 3 March 2026 you telephoned us four times."],
        ways=Ways(channels=frozenset({"letter", "telephone"})), starts_on=ON,
        ends_on=date(2027, 12, 6), review_due=date(2027, 6, 6), written_on=ON)
    sections = dict(decision_sections(r, HEAD, "UPV-2026-0011"))
    what, why = sections["What we have decided"], sections["Why"]
    assert why[0] == DECIDED
    assert why[1].startswith("These are some examples")
    assert what[0].startswith("1. ") and what[0].endswith(LETTER_ONLY)
    assert what[1].startswith("2. ") and what[1].endswith(SET_TIMES)
    letter = "\n".join(line for paragraphs in sections.values() for line in paragraphs)
    for said in (DECIDED, LETTER_ONLY, SET_TIMES):
        assert letter.count(said) == 1, said
