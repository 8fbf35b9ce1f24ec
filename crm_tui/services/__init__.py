"""Use cases: each checks the acting user's role, runs in one transaction, writes the audit
trail and returns plain dataclasses.

One package per stage of the policy, over a shared core; a stage imports only the stages below
it (the import contract "Stages of the policy point one way" in pyproject.toml says so):

    intake | reviews       local resolution, referrals, triage, the inbox and case file
                           | yearly reviews, review sessions, appeals, the calendar
    evidence               documents, log sheets, matters, tags, analysis, the bundle
    restrictions           the builder, decisions, contact compliance, the staff register
    letters | retention    letters to the customer, signing keys | archive and destruction
    core                   transaction, audit trail, users, inputs and results, validation,
                           settings, the steps every case shares, deadlines
"""
