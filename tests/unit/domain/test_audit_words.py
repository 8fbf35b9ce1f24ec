"""The audit trail's codes in the user's words."""

from crm_tui.domain.audit_words import action_label, role_label, when_label


def test_entries_read_in_words() -> None:
    assert when_label("2026-12-02T10:05:00") == "2 Dec 2026 10:05"
    assert action_label("begin_consideration") == "Begin consideration"
    assert action_label("import_log_sheets") == "Log sheet imported"
    assert role_label("service_director").startswith("Service Director")
    assert role_label("crm") == "Complaints Resolution Manager"
    assert "_" not in action_label("some_future_step") and "_" not in role_label("new_role")
