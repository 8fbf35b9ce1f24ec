"""What each screen is for and the step of the policy it serves, for its help (`?`, F1).

Every screen and dialog carries a `GUIDE`; its keys are read from its real bindings
(`crm_tui.ui.keys_help`), so only the words here are written by hand. The policy's sections
are unnumbered: a step is cited by its section heading and paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass

_DEALING = "Policy, “Dealing with unreasonably persistent and/or vexatious customers”"

LOCAL_RESOLUTION = (f"{_DEALING}, ¶2 — the service area manager writes to the customer about "
                    "the council's concerns, proposes a way forward (a single point of contact, "
                    "set contact times) and monitors the behaviour with log sheets.")
GENUINE_PROBLEMS = (f"{_DEALING}, ¶1 — tell apart people with genuine ongoing or multiple "
                    "problems from those who are unreasonably persistent or vexatious.")
REFERRAL = (f"{_DEALING}, ¶3-4 — the manager refers the matter to the CRM with the behaviour, "
            "the attempts at local resolution, the evidence (log sheets included) and the other "
            "departments affected.")
CONSIDERATION = (f"{_DEALING}, ¶5 — the CRM considers the referral on the evidence, in "
                 "consultation with the Head of Service, Legal Services Partnership, and makes "
                 "any further enquiries needed.")
EXAMPLES = ("Policy, “Examples of unreasonably persistent and/or vexatious behaviour” — the "
            "behaviour the evidence must show (a list that is not exhaustive).")
RESTRICTIONS = (f"{_DEALING}, ¶6 — any restriction is appropriate and proportionate; the six "
                "options, from contact in one form only to blocking telephone and electronic "
                "contact in extreme cases.")
LETTER = (f"{_DEALING}, ¶7 — the CRM writes to the customer: what is done and why, for how "
          "long, and how to appeal.")
EXTREME = ("Policy, “Scope”, last ¶ — where behaviour threatens staff, the council may involve "
           "the police or take legal action, without prior warning; the Safe Working Procedure "
           "applies.")
ONLY_CRM = ("Policy, “Scope” — formal restrictions can only be imposed by the Complaints "
            "Resolution Manager, who is independent of all other service areas.")
REVIEW = ("Policy, “Review”, ¶1-2 — restrictions are reviewed yearly by the CRM; the period may "
          "be adjusted for the customer's circumstances, the behaviour's causes, the service "
          "they need or the risk the restrictions pose to them.")
REVIEW_OUTCOME = ("Policy, “Review”, ¶3-6 — lift as soon as the behaviour has subsided; to "
                  "extend or impose new restrictions, tell the customer why and invite comment, "
                  "then write; not writing after a review needs the Head of Service's view and "
                  "recorded reasons.")
RETENTION = ("Policy, “Information Retention” — documents are kept for the duration of the "
             "restrictions, then archived and destroyed after the restrictions plus 6 years.")
APPEAL = ("Policy, “Appeal” — the Service Director, Legal & Business Operations, or a nominated "
          "officer confirms, amends or removes the decision; the customer is told the result "
          "and what changed.")
RECORDS = ("Policy, “Review”, last ¶ — decisions are taken with their reasons recorded; the "
           "trail keeps who did what, when and why for every step, and shows any tampering.")
WHOLE_POLICY = "The whole policy: every stage from local resolution to retention."


@dataclass(frozen=True)
class Guide:
    """A screen's help: its name, what it is for in the user's words, the policy it serves."""

    title: str
    purpose: str
    policy: tuple[str, ...] = ()
