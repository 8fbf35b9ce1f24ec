"""What the demo's customers are told: the words for the customer beside each internal record
(second person, plain English), the staff's direct lines, and the customers' own form of
address, language and print size.

The demo passes them through the same services and forms' inputs a user's step goes through."""

from __future__ import annotations

from crm_tui.db.models import Case, Customer
from crm_tui.domain.restrictions import RestrictionKind as K
from crm_tui.domain.roles import Actor
from crm_tui.services.intake import customer_details
from crm_tui.services.intake.customer_details import CustomerDetails

# name: (form of address, language, print size in points)
ADDRESSING: dict[str, tuple[str, str, int | None]] = {
    "Ms Siân Cadwaladr-Rees": ("", "", 16),
    "Mr Łukasz Wierzbicki": ("", "Polish", None),
    "Mr Ambrose Tregothnan": ("Ambrose Tregothnan", "", None),
}

CONCERNS = ("You have been contacting the council very often, many times a week and often "
            "about the same matter. This takes up a lot of staff time. It also makes it harder "
            "for us to deal with your concerns properly.")
KEEPING_IN_TOUCH = ("Please send your emails to your single point of contact, no more than one "
                    "a week. They will reply within five working days.")
DECIDED = ("After our letter about your contact, you kept contacting us as often as before. You "
           "did not use the single point of contact we offered. This took up a great deal of "
           "staff time, and other people had to wait longer for our help.")
WHY_KIND = {
    K.FORM_OF_CONTACT: "When you write to us, one officer can read everything you send and "
                       "answer it properly.",
    K.NAMED_OFFICER: "Dealing with one officer means you get the same answer each time. It also "
                     "lets other staff get on with their work.",
    K.TELEPHONE_TIMES: "Set times mean that an officer who knows your case will be free to "
                       "talk to you.",
    K.SIGNIFICANT_QUERIES_ONLY: "Answering many small questions took time away from the "
                                "issues that matter most to you.",
    K.NEW_ISSUES_ONLY: "We have answered these matters fully. Going over them again will not "
                       "change the answer.",
    K.BLOCK_ELECTRONIC: "Some of your calls and emails threatened our staff. We must keep them "
                        "safe.",
}
THREATS = ("You threatened a housing officer by telephone, by email and in person at the Civic "
           "Centre, where the police were called. Because of the risk to staff, we did not "
           "warn you before deciding this.")
LIFTED = ("You have not contacted us in an unreasonable way for six months. We do not think "
          "the problems are likely to start again.")
APPEAL_CONFIRMED = ("You told us that the named officer was never available. Our records show "
                    "that Tomasz Nowak or Ceri Hughes answered you within five working days "
                    "every time. We think the restriction is still fair and still needed.")
PROPOSED = ("Since the restrictions started, you have kept contacting us several times a week, "
            "and not only by letter. Much of it was about matters we have already answered. We "
            "think the restrictions are still needed for another year.")
EXTENDED = ("You told us that you contact us often because our answers are slow. We checked, "
            "and we answered you within ten working days every time. You have kept contacting "
            "us most weeks about the same matters, and not only through the named officer. We "
            "think the restrictions are still needed for six more months.")
EXTENSION_PROPOSED = ("You have kept contacting us about the same matters, on most days, and "
                      "not only through the named officer. We think the restrictions are "
                      "still needed for six more months.")
COMMENTS = ("I only contact you so often because nobody answers me quickly. I want a proper "
            "answer about my repairs.")


def _case(ref: str) -> Case:
    return Case.get(Case.reference == ref)


def customer(actor: Actor, ref: str) -> None:
    row = Customer.get_by_id(_case(ref).customer_id)
    if row.name in ADDRESSING:
        customer_details.set_details(actor, ref, CustomerDetails(*ADDRESSING[row.name]))
