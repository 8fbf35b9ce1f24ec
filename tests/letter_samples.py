"""A letter of each kind as plain data, written the way the council writes them, for the tests
of the printed page and the accessible copy: they need no database, and stay the same whatever
the record of a demo case says."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from crm_tui.domain.letters import LetterKind
from crm_tui.letters.content import OMBUDSMAN, Letter, Letterhead

HEAD = Letterhead("Northmere City Council",
                  "Complaints Resolution Team, Legal and Business Operations",
                  ("Civic Centre", "Harbour Road", "Northmere", "NM1 1AA"), "01632 960000",
                  "complaints.review@northmere.example.gov.uk", "www.northmere.example.gov.uk")
WHY = ("You have contacted many officers about the same matter, often several times a day, "
       "after we had answered it. This has taken officers away from helping other people.")
APPEAL = ("If you disagree with this decision you can appeal to the Service Director, Legal "
          "& Business Operations. Write to us at the address above, quoting UPV-2026-0004. "
          "Your appeal must reach us by 8 January 2027.")
REACH = ["You can write to the Complaints Resolution Team at Civic Centre, Harbour Road, "
         "Northmere, NM1 1AA, or email complaints.review@northmere.example.gov.uk.",
         "In an emergency, ring the out-of-hours line on 01632 960999."]
SECTIONS: dict[LetterKind, list[tuple[str, list[str]]]] = {
    LetterKind.LOCAL_RESOLUTION: [
        ("Our concerns", [WHY, "We want to help you, and we want to do it in a way that "
                               "works for you and for our staff."]),
        ("The way forward", ["From now on, Hannah Okafor will be your single point of "
                             "contact. Her direct line is 01632 960123. She will ring you "
                             "every Tuesday morning."]),
        ("What happens next", ["We will keep a record of contact until 1 March 2027."])],
    LetterKind.DECISION: [
        ("", ["We have decided to restrict the way you contact the council. This letter says "
              "what we have decided and why, how long it will last and how you can appeal."]),
        ("What we have decided", ["1. You may contact us only in writing."]),
        ("Why", [WHY, "- on 10 October 2026: you emailed four officers about one invoice.",
                 "- on 14 October 2026: you rang three teams in one morning."]),
        ("How long the restrictions last", ["The restrictions start on 4 December 2026 and "
                                            "end on 4 December 2027."]),
        ("When we will review them", ["We will review them by 4 June 2027."]),
        ("How you can still contact us", REACH),
        ("How to appeal", [APPEAL, OMBUDSMAN])],
    LetterKind.INVITATION: [
        ("", ["We have reviewed the restrictions on your contact with the council. We are "
              "thinking about keeping them for longer. Before we decide, we want to hear from "
              "you."]),
        ("What we propose", ["1. You may contact us only in writing, until 4 December 2028."]),
        ("Why", [WHY]),
        ("How to comment", ["Please write to us by 18 December 2026, quoting UPV-2026-0004."]),
        ("Until we decide", ["The restrictions in force now continue unchanged.", *REACH])],
    LetterKind.EXTENSION_DECISION: [
        ("", ["On 20 November 2026 we invited your comments on keeping the restrictions for "
              "longer. We considered the letter you sent us, and we have now decided."]),
        ("What we have decided", ["1. You may contact us only in writing."]),
        ("What has changed", ["The restrictions now end on 4 December 2028."]),
        ("Why", [WHY]),
        ("How to appeal", [APPEAL, OMBUDSMAN])],
    LetterKind.LIFTED: [
        ("", ["We have looked again at the restrictions on your contact with the council."]),
        ("What we have decided", ["The restrictions end on 4 December 2026. From then on you "
                                  "can contact the council in the usual ways."]),
        ("Why", ["Your contact with us over the last year has kept to the arrangements."])],
    LetterKind.APPEAL_OUTCOME: [
        ("", ["You appealed against the council's decision to restrict your contact. Gareth "
              "Bell, Service Director, decided your appeal and took no part in the decision."]),
        ("The result of your appeal", ["We have decided to confirm the decision."]),
        ("Why", [WHY]),
        ("What has changed", ["Nothing: the decision stands as it was."]),
        ("How you can still contact us", REACH),
        ("If you are still unhappy", [OMBUDSMAN])],
}


def sample(kind: LetterKind, print_pt: int | None = None, **changes: object) -> Letter:
    """A letter of `kind` to Mx Ngọc Trâm Vũ (a name in more than one script), at the
    standard size or `print_pt`."""
    letter = Letter(kind=kind, reference="UPV-2026-0004", letterhead=HEAD,
                    recipient="Mx Ngọc Trâm Vũ",
                    address=("14 Lantern Yard", "Eastwick", "Northmere", "NM4 2QT"),
                    written_on=date(2026, 11, 28), subject=f"{kind.label} <b>&amp;</b>",
                    sections=SECTIONS[kind], signer="Siân Łukasz-Hughes",
                    signer_title="Complaints Resolution Manager", demo=True,
                    large_print=print_pt is not None, print_pt=print_pt)
    return replace(letter, **changes)  # type: ignore[arg-type]
