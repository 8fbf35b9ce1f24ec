"""What each screen is for and the step of the policy it serves, for its help (`?`, F1).

Every screen and dialog carries a `GUIDE`; its keys are read from its real bindings
(`crm_tui.ui.keys_help`), so only the words here are written by hand. The policy's sections
are unnumbered: a step is cited by its section heading (shortened with …) and paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

_DEALING = "“Dealing with … customers”"

LOCAL_RESOLUTION = (f"{_DEALING} ¶2: local resolution — the service area manager writes to the "
                    "customer, proposes a way forward and keeps log sheets for a set period.")
GENUINE_PROBLEMS = (f"{_DEALING} ¶1: tell genuine ongoing or multiple problems apart from "
                    "unreasonably persistent or vexatious behaviour.")
REFERRAL = (f"{_DEALING} ¶3-4: the referral to the CRM — the behaviour, the local resolution "
            "tried, the evidence and log sheets, other departments affected.")
CONSIDERATION = (f"{_DEALING} ¶5: the CRM considers the referral on the evidence, consults the "
                 "Head of Service and makes further enquiries.")
EXAMPLES = ("“Examples of … behaviour”: the behaviour the evidence must show (the list is not "
            "exhaustive).")
RESTRICTIONS = (f"{_DEALING} ¶6: restrictions appropriate and proportionate — the six options, "
                "from one form of contact to blocking it in extreme cases.")
LETTER = (f"{_DEALING} ¶7: the CRM writes to the customer — what is done and why, for how long, "
          "how to appeal.")
EXTREME = ("“Scope”, last ¶: behaviour that threatens staff — police or legal action, possibly "
           "without prior warning; the Safe Working Procedure.")
ONLY_CRM = ("“Scope”: formal restrictions can only be imposed by the Complaints Resolution "
            "Manager, independent of the service areas.")
REVIEW = ("“Review” ¶1-2: restrictions are reviewed yearly by the CRM; the period may be "
          "adjusted for the customer's circumstances or risk.")
REVIEW_OUTCOME = ("“Review” ¶3-6: lift as soon as possible; extending needs the customer told "
                  "why and invited to comment; not writing needs the Head of Service.")
RETENTION = ("“Information Retention”: kept for the duration of the restrictions, then archived; "
             "destroyed at their end plus 6 years.")
APPEAL = ("“Appeal”: the Service Director, Legal & Business Operations, or a nominated officer "
          "confirms, amends or removes; the customer is told.")
RECORDS = ("“Review” last ¶ and throughout: decisions are taken with their reasons recorded — "
           "who did what, when and why.")
WHOLE_POLICY = "The whole policy: every stage, from local resolution to retention."


@dataclass(frozen=True)
class Guide:
    """A screen's help: its name, what it is for in the user's words, the policy it serves."""

    title: str
    purpose: str
    policy: tuple[str, ...] = ()
