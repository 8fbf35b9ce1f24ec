"""The audit trail in the user's words: each kind of entry and each role as the screens and
the command line name them, never the code the trail stores ("begin_consideration",
"service_director")."""

from __future__ import annotations

from datetime import datetime

from crm_tui.domain.roles import Role
from crm_tui.domain.typed_dates import in_prose

# Where the code, with its underscores turned into spaces, does not read as what happened.
_ACTIONS = {
    "close_no_action": "Closed with no action",
    "return_to_service_area": "Returned to the service area",
    "import_log_sheets": "Log sheet imported",
    "record_breaches": "Breaches recorded",
    "record_breach": "Breach recorded",
    "issue_letter": "Letter signed and issued",
    "prepare_letter": "Letter prepared for signing",
    "attach_evidence": "Document attached",
    "log_contact": "Contact logged",
    "customer_comments": "Customer's comments recorded",
    "restrict_without_prior_warning": "Restricted without a prior warning",
    "justify_equality_clash": "Clash with the customer's needs justified",
    "weigh_evidence": "Evidence weighed",
    "screen_contact": "Post screened",
    "create_signing_key": "Signing key made",
    "set_customer_details": "How we write changed",
    "set_customer_contact": "Customer's address or contact changed",
    "set_direct_details": "Direct telephone and email set",
    "confirm_on_appeal": "Confirmed on appeal",
    "remove_on_appeal": "Removed on appeal",
    "amend_on_appeal": "Amended on appeal",
    "expire_restrictions": "Restrictions ended at their end date",
    "recalculate_destroy_date": "Destruction date recalculated",
    "retention_years_in_force": "Retention period in force recorded",
    "change_review_period": "Review period changed",
}


def action_label(action: str) -> str:
    """A kind of audit entry in words: "Begin consideration", "Log sheet imported"."""
    known = _ACTIONS.get(action)
    if known:
        return known
    words = action.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def role_label(role: str) -> str:
    """The role an entry was made in, as the screens name it; an unknown code as it is."""
    try:
        return Role(role).label
    except ValueError:
        return role.replace("_", " ")


def when_label(at: str) -> str:
    """The entry's time as the screens show dates: "2 Dec 2026 10:00"."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return at
    return f"{in_prose(moment)} {moment:%H:%M}"
