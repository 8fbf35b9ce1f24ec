"""A PostgreSQL database shared by a team: what the server itself enforces, set up by the
database's owner (`crm-tui server-setup`), beside what the app enforces.

- The people's logins are members of one group role (NOLOGIN), which is granted what the app
  needs; nothing is granted to a login directly, and the logins own nothing.
- The tables belong to the owner who set them up (and migrates them). Row-level security is
  ENABLEd, not FORCEd: it binds every login but the owner, who must read every row to migrate,
  and who is the server's administrator of this database anyway.
- The audit trail (`audit_entry`) is append-only for every login but the owner: no DELETE or
  TRUNCATE is granted, UPDATE only of the columns a transaction seals in the entries it wrote
  itself (audit_seals.store), and a trigger refuses any change to an entry once committed,
  except retention's erasure of a destroyed file's entries (reason and details blanked, every
  hash kept, the file gone and its tombstone there); `audit verify` still finds an erasure
  that no destruction's entry follows.
- A service area manager's login reads only its own area's cases and what hangs off them
  (POLICIES: the customers with a case there, the trail's entries about them, its area's
  tombstones, its own review sessions…); the user administrator's reads no case; every other
  bound, active login reads every case; a login bound to nobody reads none, unless nobody at
  all is bound (a demo's or a benchmark's database, as the app decides).
- What each role may write (ROLE_RULES: restrictions, nominations, tombstones, people,
  roles, signing certificates, a case's deletion) is held by RESTRICTIVE policies on the
  login's role for the rows it writes, and by a trigger for a row it changes or deletes
  (crm_role_write): refused with an error, not passed over in silence.
- Who decides (the CRM; on appeal the Service Director or the Head of Service they
  nominated, who took no part in the decision appealed), who gives the Head of Service's
  view, who starts a review and records its outcome, who signs each kind of letter, and
  that an officer writes draft restrictions only, are held by triggers (GUARDS), which
  see the row as it was: a decision, a decided appeal, a recorded view or review's
  outcome and a signed letter are not rewritten, and each refusal is an error
  (insufficient privilege) saying why in plain words.
- What stays silent: a row of another area, which a manager's login does not read, is not
  changed by an UPDATE or DELETE and no error says so (an error would tell the login the
  row is there); the app never asks to change a row its login cannot read.
"""

from __future__ import annotations

from typing import Any

from peewee import Database

from crm_tui.db.models import TEAM_SEAL_MARK
from crm_tui.domain.counting import counted
from crm_tui.domain.typed_dates import quoted

GROUP = "crm_tui_users"
MANAGER = "service_area_manager"
USER_ADMIN = "user_admin"
_CRM, _OFFICER, _HOS, _SD = "crm", "officer", "head_of_service", "service_director"
# The decisions taken on appeal (services.core.independence.APPEAL_DECISIONS).
APPEAL_DECISIONS = ("confirm_on_appeal", "amend_on_appeal", "remove_on_appeal")


def _literal(value: str) -> str:
    """A string constant written into the set-up's SQL (policies and functions take no
    parameters): its quotes doubled."""
    return "'" + value.replace("'", "''") + "'"


def _guard(name: str, declare: str = "") -> str:
    """The opening of a guard's trigger function (GUARDS), up to what it checks: the owner
    (migrations), a demo's anyone and the foreign keys' own changes (the rows that go with a
    destroyed file, a document's link set to nothing) pass unchecked."""
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger\n"
            "    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$\n"
            + (f"    DECLARE\n        {declare}\n" if declare else "")
            + "    BEGIN\n"
            "        IF crm_role_in('owner') OR pg_trigger_depth() > 1 THEN\n"
            "            RETURN COALESCE(NEW, OLD);\n"
            "        END IF;")
ERASED = "[erased at end of retention]"  # domain.audit_chain.ERASED (the db imports no domain)

# Tables hanging off a case by their `case_id` (the case file's, the inbox's and the letters'
# reads). The contact log and the search documents have their own rules below.
CASE_TABLES = (
    "local_resolution", "referral", "matter", "evidence_item", "evidence_link", "consultation",
    "decision", "restriction", "breach", "screening_item", "review", "appeal",
    "extension_proposal", "letter", "case_note", "escalation", "prior_warning",
    "no_prior_warning", "case_search",
)
ROW_LEVEL_TABLES = ("case", "contact_log_entry", *CASE_TABLES, "letter_file")

# Columns the app rewrites in the entries its own transaction wrote (the seal, the chain).
SEALED_COLUMNS = ("payload", "payload_hash", "prev_hash", "entry_hash")
ERASED_COLUMNS = ("reason", "payload", "erased")

FUNCTIONS = (
    # Whether the connection's login sees every service area: the owner (row-level security
    # does not bind it); a bound, active person who is not a service area manager; or anyone
    # where nobody is bound (a demo).
    """CREATE OR REPLACE FUNCTION crm_sees_every_area() RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT pg_has_role(session_user, (SELECT relowner FROM pg_class
                                      WHERE oid = 'public.case'::regclass), 'MEMBER')
        OR NOT EXISTS (SELECT 1 FROM "user" WHERE os_account IS NOT NULL)
        OR EXISTS (SELECT 1 FROM "user" WHERE os_account = session_user AND active
                   AND role NOT IN ('""" + MANAGER + """', '""" + USER_ADMIN + """')) $$""",
    # The role the connection's login acts in: its bound, active user's; 'owner' for the
    # tables' owner (migrations), 'demo' where nobody at all is bound (a demo's or a
    # benchmark's database, or a new one whose user administrator adds themselves first);
    # NULL for a login bound to nobody, or deactivated. What each role may write is keyed on
    # it (ROLE_RULES), read afresh at each statement: a role changed by `users change-role`
    # holds at once, with no grant for the owner to make.
    """CREATE OR REPLACE FUNCTION crm_login_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT CASE
        WHEN pg_has_role(session_user, (SELECT relowner FROM pg_class
                                        WHERE oid = 'public.case'::regclass), 'MEMBER')
            THEN 'owner'
        WHEN NOT EXISTS (SELECT 1 FROM "user" WHERE os_account IS NOT NULL) THEN 'demo'
        ELSE (SELECT role FROM "user" WHERE os_account = session_user AND active) END $$""",
    # Whether the login's role is one of `roles` (the owner and a demo's anyone always are).
    """CREATE OR REPLACE FUNCTION crm_role_in(VARIADIC roles text[]) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(crm_login_role() = ANY (roles || ARRAY['owner', 'demo']), false) $$""",
    # A person's own record: only their direct telephone and email are theirs to change
    # (direct_details); the rest is the user administrator's.
    """CREATE OR REPLACE FUNCTION crm_user_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        IF crm_role_in('""" + USER_ADMIN + """') THEN
            RETURN NEW;
        END IF;
        IF OLD.id = crm_login_user_id() AND NEW.id = OLD.id AND NEW.login = OLD.login
                AND NEW.name = OLD.name AND NEW.title = OLD.title AND NEW.role = OLD.role
                AND NEW.service_area_id IS NOT DISTINCT FROM OLD.service_area_id
                AND NEW.active = OLD.active AND NEW.staff_id = OLD.staff_id
                AND NEW.os_account IS NOT DISTINCT FROM OLD.os_account THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'only the user administrator changes a person''s record, role or '
            'account' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    # The one service area a manager's login sees (NULL for any other login).
    """CREATE OR REPLACE FUNCTION crm_login_area() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT service_area_id FROM "user" WHERE os_account = session_user AND active
        AND role = '""" + MANAGER + """' $$""",
    # The highest case reference starting `prefix`, of every area: a manager's new case takes
    # the next one (case_steps.new_reference), though they see their own area's alone.
    # A destroyed file's reference stays taken (its tombstone, of any area, answers to it).
    """CREATE OR REPLACE FUNCTION crm_last_case_reference(prefix text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT max(r) FROM (SELECT max(reference) AS r FROM "case" WHERE starts_with(reference, prefix)
                        UNION ALL SELECT max(case_reference) FROM tombstone
                        WHERE starts_with(case_reference, prefix)) every $$""",
    # The highest customer record and destroyed customer's reference, of every area: a
    # manager's new customer takes the next number (casework._customer), though they read
    # their own area's customers alone.
    """CREATE OR REPLACE FUNCTION crm_last_customer() RETURNS TABLE (id integer, gone text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT (SELECT max(c.id) FROM customer c),
           (SELECT max(t.customer_reference) FROM tombstone t) $$""",
    # Whether a case of that reference is on record, in any area (yes or no, nothing of it):
    # a manager naming another area's case is refused as on a file, not told it is unknown.
    """CREATE OR REPLACE FUNCTION crm_case_on_record(ref text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM "case" WHERE reference = ref) $$""",
    # How many cases a customer has, in every area (a count, nothing of them): a manager is
    # told a likely match has cases elsewhere, and is shown nothing of that customer.
    """CREATE OR REPLACE FUNCTION crm_customer_case_count(customer integer) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT count(*)::integer FROM "case" WHERE customer_id = customer $$""",
    # Every stored document's SHA-256, of every area's cases (hashes only, no names): the
    # evidence store's check tells a file no record points to from another area's document.
    """CREATE OR REPLACE FUNCTION crm_evidence_held() RETURNS SETOF text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT sha256 FROM evidence_item $$""",
    # The bound, active user record of the connection's login: its login (the audit trail's
    # actor) and its id (the review sessions it made); NULL for a login bound to nobody.
    """CREATE OR REPLACE FUNCTION crm_login_user() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT login FROM "user" WHERE os_account = session_user AND active $$""",
    """CREATE OR REPLACE FUNCTION crm_login_user_id() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT id FROM "user" WHERE os_account = session_user AND active $$""",
    # Whether the login reads that customer: one with a case it reads, or with no case at all
    # (a customer being recorded with their first case, read back by whoever records them).
    """CREATE OR REPLACE FUNCTION crm_reads_customer(customer integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT crm_sees_every_area()
        OR NOT EXISTS (SELECT 1 FROM "case" WHERE customer_id = customer)
        OR EXISTS (SELECT 1 FROM "case" WHERE customer_id = customer
                   AND service_area_id = crm_login_area()) $$""",
    # The latest entry holding a customer's seal (about any of their cases, in any area, or
    # the destruction of one) and the seal, for a customer the login reads: every save checks
    # the customer against it (audit_seals.customer_latest), and a customer with cases in two
    # areas has entries a manager's login does not read. The seal's hash and the entry's
    # number only, nothing else of the entry.
    """CREATE OR REPLACE FUNCTION crm_customer_latest_seal(customer integer)
    RETURNS TABLE (seq integer, held text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        ref text; cases text[]; r record; p jsonb; h jsonb;
    BEGIN
        IF NOT crm_reads_customer(customer) THEN RETURN; END IF;
        SELECT c.reference INTO ref FROM customer c WHERE c.id = customer;
        IF ref IS NULL THEN RETURN; END IF;
        SELECT coalesce(array_agg(c.reference), '{}') INTO cases FROM "case" c
            WHERE c.customer_id = customer;
        FOR r IN SELECT a.seq, a.payload FROM audit_entry a WHERE NOT a.erased
                AND ((a.case_reference = ANY (cases)
                      AND strpos(a.payload, '"customer": ["') > 0)
                     OR strpos(a.payload, '"customer_seal": ["' || ref || '"') > 0)
                ORDER BY a.seq DESC LOOP
            BEGIN
                p := r.payload::jsonb;
            EXCEPTION WHEN OTHERS THEN
                CONTINUE;
            END;
            IF jsonb_typeof(p) <> 'object' THEN CONTINUE; END IF;
            h := NULL;
            IF jsonb_typeof(p -> 'records') = 'object' THEN h := p -> 'records' -> 'customer';
            END IF;
            IF h IS NULL OR jsonb_typeof(h) = 'null' THEN h := p -> 'customer_seal'; END IF;
            IF jsonb_typeof(h) = 'array' AND jsonb_array_length(h) = 2
                    AND h -> 0 = to_jsonb(ref) THEN
                seq := r.seq; held := h::text;
                RETURN NEXT;
                RETURN;
            END IF;
        END LOOP;
    END $$""",
    # A name's words as customer_matches._name reads them (lower case, '.' and ',' trimmed,
    # the leading titles given dropped while more than one word is left).
    """CREATE OR REPLACE FUNCTION crm_name_words(name text, titles text[]) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
    DECLARE
        words text[];
    BEGIN
        SELECT coalesce(array_agg(w ORDER BY n), '{}') INTO words FROM (
            SELECT btrim(x, '.,') AS w, n FROM regexp_split_to_table(lower(coalesce(name, '')),
                '[[:space:]]+') WITH ORDINALITY AS s(x, n)) q WHERE w <> '';
        WHILE cardinality(words) > 1 AND words[1] = ANY (titles) LOOP
            words := words[2:];
        END LOOP;
        RETURN words;
    END $$""",
    # The customers likely the person a referral names (customer_matches.likely_matches: the
    # same postcode and surname, or the same name and first line of address) whom the login
    # does not read, their every case another area's: their reference and how many cases,
    # nothing else, so that a manager is told such a match is on record, withheld.
    """CREATE OR REPLACE FUNCTION crm_withheld_matches(typed_postcode text,
        typed_name text[], typed_first text, titles text[])
    RETURNS TABLE (id integer, reference text, cases integer, by_postcode boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT c.id, c.reference, (SELECT count(*)::integer FROM "case" k
                               WHERE k.customer_id = c.id),
           (typed_postcode <> '' AND upper(regexp_replace(c.postcode, '[[:space:]]', '', 'g'))
                = typed_postcode
                AND t.theirs[cardinality(t.theirs)] = typed_name[cardinality(typed_name)])
    FROM customer c,
         LATERAL (SELECT crm_name_words(c.name, titles) AS theirs) t,
         LATERAL (SELECT array_to_string(crm_name_words(
             (SELECT l FROM regexp_split_to_table(c.address, E'\n') WITH ORDINALITY
                  AS a(l, n) WHERE l ~ '[^[:space:]]' ORDER BY n LIMIT 1), '{}'), ' ') AS first) f
    WHERE NOT crm_sees_every_area() AND NOT crm_reads_customer(c.id)
      AND cardinality(t.theirs) > 0 AND cardinality(typed_name) > 0
      AND ((typed_postcode <> '' AND upper(regexp_replace(c.postcode, '[[:space:]]', '', 'g'))
                = typed_postcode
                AND t.theirs[cardinality(t.theirs)] = typed_name[cardinality(typed_name)])
        OR (typed_first <> '' AND t.theirs = typed_name AND f.first = typed_first))
    ORDER BY c.id $$""",
    # The audit trail's guard: an entry is changed only by the transaction that wrote it,
    # before anyone else has seen it, or erased at the end of its file's retention.
    """CREATE OR REPLACE FUNCTION crm_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        written bigint; now_xact bigint; whole bigint; status text;
    BEGIN
        IF pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                       'MEMBER') THEN
            RETURN COALESCE(NEW, OLD);  -- the owner (migrations)
        END IF;
        IF TG_OP <> 'UPDATE' THEN
            RAISE EXCEPTION 'the audit trail is append-only: no entry is deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.seq IS DISTINCT FROM OLD.seq OR NEW.at IS DISTINCT FROM OLD.at
                OR NEW.actor_login IS DISTINCT FROM OLD.actor_login
                OR NEW.actor_role IS DISTINCT FROM OLD.actor_role
                OR NEW.action IS DISTINCT FROM OLD.action
                OR NEW.case_reference IS DISTINCT FROM OLD.case_reference THEN
            RAISE EXCEPTION 'the audit trail is append-only: entry % cannot be rewritten',
                OLD.seq USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- Written by this transaction (or one of its savepoints): only this transaction's
        -- own rows not yet committed are both visible and of a transaction in progress.
        -- An entry erased by it keeps its erased words.
        -- The row's 32-bit xmin is made whole with the epoch of this transaction's id: the
        -- two are within 2^31 of each other (a savepoint's id is above its transaction's).
        SELECT xmin::text::bigint INTO written FROM audit_entry WHERE id = OLD.id;
        now_xact := pg_current_xact_id()::text::bigint;
        whole := ((now_xact >> 32) << 32) | written;
        IF whole - now_xact > 2147483648 THEN whole := whole - 4294967296; END IF;
        IF now_xact - whole > 2147483648 THEN whole := whole + 4294967296; END IF;
        status := NULL;
        IF written > 2 AND whole > 2 THEN  -- 0, 1, 2: invalid, bootstrap, frozen (committed)
            BEGIN
                status := pg_xact_status(whole::text::xid8);
            EXCEPTION WHEN OTHERS THEN
                status := NULL;
            END;
        END IF;
        IF status = 'in progress' AND (NOT OLD.erased OR (
                NEW.erased AND NEW.reason = OLD.reason AND NEW.payload = OLD.payload)) THEN
            RETURN NEW;
        END IF;
        IF NEW.erased AND NEW.reason = '""" + ERASED + """' AND NEW.payload = '""" + ERASED
    + """'
                AND NEW.reason_hash = OLD.reason_hash AND NEW.payload_hash = OLD.payload_hash
                AND NEW.prev_hash = OLD.prev_hash AND NEW.entry_hash = OLD.entry_hash
                AND OLD.case_reference <> ''
                AND EXISTS (SELECT 1 FROM tombstone
                            WHERE case_reference = OLD.case_reference)
                AND NOT EXISTS (SELECT 1 FROM "case" WHERE reference = OLD.case_reference) THEN
            RETURN NEW;  -- retention's erasure of a destroyed file's entries
        END IF;
        RAISE EXCEPTION 'the audit trail is append-only: entry % cannot be rewritten', OLD.seq
            USING ERRCODE = 'insufficient_privilege';
    END $$""",
    # Whether a row was written by this transaction (or one of its savepoints): of the rows
    # a transaction sees, only its own are of a transaction still in progress. The row's
    # 32-bit xmin made whole with this transaction's epoch, as crm_audit_append_only does.
    """CREATE OR REPLACE FUNCTION crm_written_now(written bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SET search_path = public, pg_temp AS $$
    DECLARE
        now_xact bigint; whole bigint;
    BEGIN
        IF written <= 2 THEN RETURN false; END IF;
        now_xact := pg_current_xact_id()::text::bigint;
        whole := ((now_xact >> 32) << 32) | written;
        IF whole - now_xact > 2147483648 THEN whole := whole - 4294967296; END IF;
        IF now_xact - whole > 2147483648 THEN whole := whole + 4294967296; END IF;
        RETURN pg_xact_status(whole::text::xid8) = 'in progress';
    EXCEPTION WHEN OTHERS THEN
        RETURN false;
    END $$""",
    # Whether a person took part in a decision (services.core.independence.participants):
    # made it, gave a view on it before it was made, acted on its case as its CRM or Head of
    # Service, or as an officer or service area manager before it was made. What this very
    # transaction writes (the appeal's own decision) is not taking part.
    """CREATE OR REPLACE FUNCTION crm_took_part(person integer, appealed integer)
    RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        d record; ref text; who text; made integer;
    BEGIN
        SELECT * INTO d FROM decision WHERE id = appealed;
        IF NOT FOUND THEN RETURN false; END IF;
        IF d.decided_by_id = person THEN RETURN true; END IF;
        IF EXISTS (SELECT 1 FROM consultation c WHERE c.case_id = d.case_id
                   AND c.consultee_id = person AND c.recorded_at <= d.decided_at) THEN
            RETURN true;
        END IF;
        SELECT reference INTO ref FROM "case" WHERE id = d.case_id;
        SELECT login INTO who FROM "user" WHERE id = person;
        SELECT a.seq INTO made FROM audit_entry a WHERE a.case_reference = ref
            AND a.action = d.action ORDER BY a.seq
            OFFSET (SELECT count(*) FROM decision e WHERE e.case_id = d.case_id
                    AND e.action = d.action AND e.id < d.id) LIMIT 1;
        RETURN EXISTS (SELECT 1 FROM audit_entry a WHERE a.case_reference = ref
            AND a.actor_login = who AND NOT crm_written_now(a.xmin::text::bigint)
            AND (a.actor_role IN ('""" + _CRM + "', '" + _HOS + """')
                 OR (made IS NOT NULL AND a.seq < made
                     AND a.actor_role IN ('""" + _OFFICER + "', '" + MANAGER + """'))));
    END $$""",
    # Why the login may not decide the appeal on a case against the decision `appealed`, on
    # `day` ('' when it may): the Service Director, or a Head of Service nominated for the
    # case or for a period covering the day, not revoked by then (domain.nominations), who
    # took no part in that decision. The day is the row's own (the app's clock).
    """CREATE OR REPLACE FUNCTION crm_appeal_refusal(for_case integer, appealed integer,
        day date) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        role text := crm_login_role(); me integer := crm_login_user_id();
    BEGIN
        IF role IN ('owner', 'demo') THEN RETURN ''; END IF;
        IF role IS DISTINCT FROM '""" + _SD + """' AND NOT (role = '""" + _HOS + """'
                AND EXISTS (SELECT 1 FROM nomination n WHERE n.nominee_id = me
                    AND (n.revoked_at IS NULL OR n.revoked_at::date > day)
                    AND (n.case_id = for_case OR (n.case_id IS NULL AND n.valid_from <= day
                                                  AND day <= n.valid_until)))) THEN
            RETURN 'an appeal is decided by the Service Director, or by a Head of Service '
                'they nominated to decide this case''s appeal on the day';
        END IF;
        IF crm_took_part(me, appealed) THEN
            RETURN 'an appeal is decided by someone who took no part in the decision '
                'appealed against';
        END IF;
        RETURN '';
    END $$""",
    # The decision the case's open appeal is against (none: no appeal awaits a decision).
    """CREATE OR REPLACE FUNCTION crm_appealed(for_case integer) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT a.decision_id FROM appeal a WHERE a.case_id = for_case AND a.outcome = ''
    ORDER BY a.id DESC LIMIT 1 $$""",
    # A decision is recorded in its decider's own name: on appeal by whoever decides the
    # appeal (crm_appeal_refusal), every other by the CRM; once recorded it is not rewritten
    # nor deleted (it goes with its case's file, by the foreign key, when that is destroyed).
    _guard("crm_decision_guard", "why text;") + """
        IF TG_OP <> 'INSERT' THEN
            RAISE EXCEPTION 'a recorded decision is not changed or deleted: its reason, dates '
                'and decider stand as recorded' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.decided_by_id IS DISTINCT FROM crm_login_user_id() THEN
            RAISE EXCEPTION 'a decision is recorded only in its decider''s own name'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.action IN (""" + ", ".join(_literal(a) for a in APPEAL_DECISIONS) + """) THEN
            why := crm_appeal_refusal(NEW.case_id, crm_appealed(NEW.case_id),
                                      NEW.decided_at::date);
        ELSIF NOT crm_role_in('""" + _CRM + """') THEN
            why := 'only the Complaints Resolution Manager decides on restrictions';
        END IF;
        IF why <> '' THEN
            RAISE EXCEPTION '%', why USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$""",
    # An appeal is decided (its outcome, decider and reasons) in the decider's own name, by
    # whoever may decide it; once decided, that is not rewritten, nor the appeal deleted.
    _guard("crm_appeal_guard", "why text;") + """
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'an appeal on record is not deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.outcome <> '' THEN
            IF (NEW.case_id, NEW.decision_id, NEW.received_on, NEW.grounds, NEW.outcome,
                NEW.reason, NEW.customer_reason, NEW.decided_by_id, NEW.decided_at,
                NEW.nomination_id) IS DISTINCT FROM (OLD.case_id, OLD.decision_id,
                OLD.received_on, OLD.grounds, OLD.outcome, OLD.reason, OLD.customer_reason,
                OLD.decided_by_id, OLD.decided_at, OLD.nomination_id) THEN
                RAISE EXCEPTION 'the appeal was decided: its decision is not rewritten'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END IF;
        IF NEW.outcome <> '' OR NEW.decided_by_id IS NOT NULL THEN
            IF NEW.decided_by_id IS DISTINCT FROM crm_login_user_id() THEN
                RAISE EXCEPTION 'an appeal is decided only in its decider''s own name'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            why := crm_appeal_refusal(NEW.case_id, NEW.decision_id,
                                      coalesce(NEW.decided_at::date, current_date));
            IF why <> '' THEN
                RAISE EXCEPTION '%', why USING ERRCODE = 'insufficient_privilege';
            END IF;
        END IF;
        RETURN NEW;
    END $$""",
    # The Head of Service's view: recorded by the Head of Service giving it, or by the CRM
    # it was given to (casework.record_consultation), in the recorder's own name; once
    # recorded it is not rewritten nor deleted (the foreign keys' own changes aside).
    _guard("crm_consultation_guard") + """
        IF TG_OP <> 'INSERT' THEN
            RAISE EXCEPTION 'a recorded view of the Head of Service is not changed or deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.recorded_by_id IS DISTINCT FROM crm_login_user_id() THEN
            RAISE EXCEPTION 'a view is recorded only in its recorder''s own name'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF (SELECT role FROM "user" WHERE id = NEW.consultee_id)
                IS DISTINCT FROM '""" + _HOS + """' THEN
            RAISE EXCEPTION 'the view recorded is a Head of Service''s'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NOT (crm_role_in('""" + _CRM + """') OR (crm_login_role() = '""" + _HOS + """'
                AND NEW.consultee_id = crm_login_user_id())) THEN
            RAISE EXCEPTION 'the Head of Service''s view is recorded by the Head of Service '
                'giving it, or by the Complaints Resolution Manager it was given to'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$""",
    # A review is started by the CRM or an officer, and its outcome recorded by the CRM
    # (lifecycle: CRM_ONLY), or on appeal by whoever decides the appeal, or as expired by the
    # team's housekeeping; each in their own name. Once recorded it is not rewritten.
    _guard("crm_review_guard",
           "why text := ''; me integer := crm_login_user_id(); started integer;") + """
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'a review on record is not deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF TG_OP = 'UPDATE' THEN
            started := OLD.started_by_id;
            IF OLD.outcome <> '' THEN
                IF (NEW.case_id, NEW.due_on, NEW.started_at, NEW.started_by_id, NEW.outcome,
                    NEW.reason, NEW.decided_by_id, NEW.decided_at) IS DISTINCT FROM
                   (OLD.case_id, OLD.due_on, OLD.started_at, OLD.started_by_id, OLD.outcome,
                    OLD.reason, OLD.decided_by_id, OLD.decided_at) THEN
                    RAISE EXCEPTION 'the review''s outcome was recorded: it is not rewritten'
                        USING ERRCODE = 'insufficient_privilege';
                END IF;
                RETURN NEW;
            END IF;
        END IF;
        IF NEW.started_by_id IS DISTINCT FROM started AND (NEW.started_by_id IS DISTINCT
                FROM me OR NOT crm_role_in('""" + _CRM + "', '" + _OFFICER + """')) THEN
            why := 'a review is started by the Complaints Resolution Manager or an officer, '
                'in their own name';
        ELSIF NEW.outcome <> '' THEN
            IF NEW.decided_by_id IS DISTINCT FROM me THEN
                why := 'a review''s outcome is recorded only in its decider''s own name';
            ELSIF NEW.outcome IN ('amended_on_appeal', 'removed_on_appeal') THEN
                why := crm_appeal_refusal(NEW.case_id, crm_appealed(NEW.case_id),
                                          coalesce(NEW.decided_at::date, current_date));
            ELSIF NEW.outcome = 'expired' THEN
                IF NOT crm_role_in('""" + _CRM + "', '" + _OFFICER + """') THEN
                    why := 'restrictions past their end date are ended by the Complaints '
                        'Resolution Team';
                END IF;
            ELSIF NOT crm_role_in('""" + _CRM + """') THEN
                why := 'only the Complaints Resolution Manager records a review''s outcome';
            END IF;
        END IF;
        IF why <> '' THEN
            RAISE EXCEPTION '%', why USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END $$""",
    # Who may sign a letter of that kind on that case (domain.letters.require_signer): an
    # appeal outcome letter only the person who decided the case's latest decided appeal;
    # a local resolution letter the service area manager or the CRM; every other the CRM.
    """CREATE OR REPLACE FUNCTION crm_may_sign(kind text, for_case integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT crm_role_in('owner') OR CASE kind
        WHEN 'appeal_outcome' THEN coalesce((SELECT a.decided_by_id FROM appeal a
            WHERE a.case_id = for_case AND a.outcome <> '' ORDER BY a.id DESC LIMIT 1)
            = crm_login_user_id(), false)
        WHEN 'local_resolution' THEN crm_role_in('""" + MANAGER + "', '" + _CRM + """')
        ELSE crm_role_in('""" + _CRM + """') END $$""",
    # A letter is signed in its signer's own name, by whoever may sign its kind; once signed,
    # what it says, who signed it and when are not rewritten (its posting is recorded after),
    # nor is it deleted from the register.
    _guard("crm_letter_guard") + """
        IF TG_OP = 'DELETE' THEN
            IF OLD.signed_by_id IS NOT NULL THEN
                RAISE EXCEPTION 'a signed letter stays in the register: it is not deleted'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN OLD;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.signed_by_id IS NOT NULL THEN
            IF (NEW.case_id, NEW.kind, NEW.status, NEW.signed_by_id, NEW.signed_at,
                NEW.sha256, NEW.cert_fingerprint, NEW.file_name, NEW.body, NEW.content,
                NEW.source, NEW.written_on, NEW.appeal_by, NEW.duplicate_of_id)
               IS DISTINCT FROM (OLD.case_id, OLD.kind, OLD.status, OLD.signed_by_id,
                OLD.signed_at, OLD.sha256, OLD.cert_fingerprint, OLD.file_name, OLD.body,
                OLD.content, OLD.source, OLD.written_on, OLD.appeal_by,
                OLD.duplicate_of_id) THEN
                RAISE EXCEPTION 'a signed letter is not rewritten: what it says, who signed '
                    'it and when stand as signed' USING ERRCODE = 'insufficient_privilege';
            END IF;
            RETURN NEW;
        END IF;
        IF NEW.signed_by_id IS NOT NULL THEN
            IF NEW.signed_by_id IS DISTINCT FROM crm_login_user_id() THEN
                RAISE EXCEPTION 'a letter is signed only in its signer''s own name'
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF NOT crm_may_sign(NEW.kind, NEW.case_id) THEN
                RAISE EXCEPTION 'this login''s role may not sign a letter of this kind (%)',
                    NEW.kind USING ERRCODE = 'insufficient_privilege';
            END IF;
        END IF;
        RETURN NEW;
    END $$""",
    # An officer's login writes draft restrictions only (lifecycle: the CRM puts them in
    # force, varies and ends them; on appeal the Director or their nominee): of one in force
    # it may end it (the team's housekeeping ends restrictions on their end date) and mark
    # it changed (its version, when evidence it rests on is re-tagged), nothing else: not
    # its terms, reasons or dates. (Which roles write restrictions at all: ROLE_RULES.)
    """CREATE OR REPLACE FUNCTION crm_restriction_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        kept text[] := ARRAY['version', 'changed_at', 'status', 'ends_on'];
    BEGIN
        IF pg_trigger_depth() > 1 OR crm_login_role() IS DISTINCT FROM '""" + _OFFICER + """'
                OR (TG_OP <> 'INSERT' AND OLD.status = 'draft'
                    AND (TG_OP = 'DELETE' OR NEW.status = 'draft'))
                OR (TG_OP = 'INSERT' AND NEW.status = 'draft') THEN
            RETURN COALESCE(NEW, OLD);
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.status <> 'draft'
                AND to_jsonb(NEW) - kept = to_jsonb(OLD) - kept
                AND ((NEW.status = OLD.status AND NEW.ends_on IS NOT DISTINCT FROM OLD.ends_on)
                     OR (OLD.status = 'in_force' AND NEW.status = 'ended')) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'an officer writes draft restrictions only: restrictions in force are '
            'put in force, varied and ended by the Complaints Resolution Manager (or end on '
            'their end date)' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    # A write refused by a role's rule (ROLE_RULES) on a row the login reads: refused aloud,
    # not passed over in silence as a filtering policy would (the rule, the words).
    """CREATE OR REPLACE FUNCTION crm_role_write() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        allowed boolean;
    BEGIN
        IF pg_trigger_depth() > 1 THEN
            RETURN COALESCE(NEW, OLD);
        END IF;
        EXECUTE format('SELECT (%s) FROM (SELECT ($1).*) AS %I', TG_ARGV[0], TG_TABLE_NAME)
            INTO allowed USING OLD;
        IF allowed IS NOT TRUE THEN
            RAISE EXCEPTION '%', TG_ARGV[1] USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN COALESCE(NEW, OLD);
    END $$""",
)

SEES_CASE = 'EXISTS (SELECT 1 FROM "case" c WHERE c.id = case_id)'
EVERY = "(SELECT crm_sees_every_area())"
AREA = "(SELECT crm_login_area())"
POLICIES = {
    "case": f"{EVERY} OR service_area_id = {AREA}",
    "contact_log_entry": f"{EVERY} OR (case_id IS NULL AND service_area_id = {AREA}) "
                         f"OR {SEES_CASE}",
    **{table: f"{EVERY} OR {SEES_CASE}" for table in CASE_TABLES},
    "letter_file": f"{EVERY} OR EXISTS (SELECT 1 FROM letter l WHERE l.id = letter_id)",
    # A customer with a case the login reads (or with none yet: being recorded).
    "customer": f"{EVERY} OR (SELECT crm_reads_customer(id))",  # asked once, then by row
    # The entries about the cases the login reads; of those about no case, its own and the
    # one holding the team's seal (each step holds the acting person's record to it). The
    # app's own entries are written in the same policy (WITH CHECK: nothing about another
    # area's case, nothing in another's name on no case).
    "audit_entry": f"{EVERY} OR (case_reference <> '' AND EXISTS (SELECT 1 FROM \"case\" c "
                   f"WHERE c.reference = case_reference)) OR (case_reference = '' AND "
                   f"(actor_login = (SELECT crm_login_user()) OR strpos(payload, "
                   f"{_literal(TEAM_SEAL_MARK)}) > 0 OR (SELECT crm_login_role()) = "
                   f"{_literal(USER_ADMIN)}))",
    # A nomination to decide an appeal on a case the login reads (one for a period: the
    # Service Director's, read by every area's logins).
    "nomination": f"{EVERY} OR (case_id IS NOT NULL AND {SEES_CASE})",
    # A review session: its maker's.
    "review_session": f"{EVERY} OR created_by_id = (SELECT crm_login_user_id())",
    # A destroyed file of the login's area (a new case's reference is taken past every
    # area's: crm_last_case_reference).
    "tombstone": f"{EVERY} OR service_area = (SELECT name FROM service_area "
                 f"WHERE id = {AREA})",
}
# What each role may write, whatever program its login uses (the app's Capability rules,
# domain/permissions.py, as the server holds them): RESTRICTIVE policies, so that they bind
# beside the area's (a manager may write only their own area's rows, and only these tables'
# rows their role may). Keyed on the login's role in the database (crm_login_role), not one
# group role per role: the role is the user administrator's to change by an audited step,
# which no GRANT by the owner has to follow. (table, commands, the rule)


# A nomination, not revoked, to decide appeals on the restriction's case or for a period
# (its days are the appeal's decision's to check: crm_appeal_refusal).
NOMINATED = ("EXISTS (SELECT 1 FROM nomination n WHERE n.nominee_id = "
             "(SELECT crm_login_user_id()) AND n.revoked_at IS NULL AND (n.case_id IS NULL "
             "OR n.case_id = restriction.case_id))")


def _roles(*roles: str) -> str:
    return "(SELECT crm_role_in(" + ", ".join(_literal(r) for r in roles or ("owner",)) + "))"


ROLE_RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # (Decisions, appeals, the Head of Service's view, reviews and signed letters: GUARDS.)
    # Restrictions are drafted by the CRM, officers and the Service Director (amended on
    # appeal), and put in force, varied and ended by the CRM or on appeal: by the Service
    # Director, or the Head of Service they nominated on the case (found when the Head of
    # Service's login removed restrictions on appeal in the app: refused).
    ("restriction", ("INSERT", "UPDATE", "DELETE"),
     f"{_roles(_CRM, _OFFICER, _SD)} OR ({_roles(_HOS)} AND {NOMINATED})"),
    # Nominations are the Service Director's alone.
    ("nomination", ("INSERT", "UPDATE", "DELETE"), _roles(_SD)),
    # A file is destroyed (its tombstone left) by the CRM.
    ("tombstone", ("INSERT", "UPDATE", "DELETE"), _roles(_CRM)),
    # The team's people and roles are the user administrator's (a person's own telephone
    # and email are theirs: crm_user_guard).
    ("role_grant", ("INSERT", "UPDATE", "DELETE"), _roles(USER_ADMIN)),
    ("user", ("INSERT", "DELETE"), _roles(USER_ADMIN)),
    # A signing key's certificate is its holder's, made by them; revoked by them or by the
    # user administrator.
    ("signing_certificate", ("INSERT",), "login = (SELECT crm_login_user()) OR "
                                         f"{_roles()}"),
    ("signing_certificate", ("UPDATE", "DELETE"), "login = (SELECT crm_login_user()) OR "
                                                  f"{_roles(USER_ADMIN)}"),
    # A case's file is deleted only when the CRM destroys it (with it go its decisions,
    # letters and the rest, by the foreign keys: the guards let those through).
    ("case", ("DELETE",), _roles(_CRM)),
)
# Each rule's refusal in words, said by the server when a login changes or deletes a row it
# reads but its role may not write (crm_role_write); an INSERT's refusal is the policy's.
ROLE_WORDS = {
    "restriction": "restrictions are written by the Complaints Resolution Manager, an "
                   "officer or the Service Director, or on appeal by a Head of Service they "
                   "nominated",
    "nomination": "nominations are the Service Director's",
    "tombstone": "a destroyed file's record is the Complaints Resolution Manager's",
    "role_grant": "people's roles are the user administrator's",
    "user": "people are added and removed by the user administrator",
    "signing_certificate": "a signing certificate is its holder's, or revoked by the user "
                           "administrator",
    "case": "a case's file is deleted only when the Complaints Resolution Manager destroys "
            "it",
}
# What each role may write where a rule must see the row as it was (who signed a letter,
# whether an appeal was decided) or says why aloud: a trigger on the table, refusing with
# an error (insufficient privilege), never in silence. (table, the trigger's function)
GUARDS = (
    ("decision", "crm_decision_guard"),
    ("appeal", "crm_appeal_guard"),
    ("consultation", "crm_consultation_guard"),
    ("review", "crm_review_guard"),
    ("letter", "crm_letter_guard"),
    ("restriction", "crm_restriction_guard"),  # beside its ROLE_RULES
)

# Read by every member of the group, whatever their area (README): the team's people, their
# roles' history and areas (who acted on a case, who is acting, who may decide), the
# settings the app reads as it opens, the signing certificates (a letter's signature is
# checked against its signer's), the trail's head (each entry follows it) and the
# migrations applied. Who may change them is the server's too (ROLE_RULES).
READ_BY_EVERY_MEMBER = ("user", "role_grant", "service_area", "setting",
                        "signing_certificate", "audit_head", "schema_migration")


def _execute(db: Database, sql: str, params: tuple[Any, ...] = ()) -> Any:
    return db.execute_sql(sql, params)  # type: ignore[no-untyped-call]


def _ident(db: Database, name: str) -> str:
    return str(_execute(db, "SELECT quote_ident(%s)", (name,)).fetchone()[0])


class SetupRefused(Exception):
    """The server set-up cannot be done as asked; the message says why."""


def owner_problem(db: Database) -> str:
    """Why the connection's login cannot set this database up ('' when it can): it must own
    every table of the app."""
    row = _execute(db, "SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
                       "'public' AND c.relkind = 'r' AND NOT pg_has_role(session_user, "
                       "c.relowner, 'MEMBER')").fetchone()
    if row[0]:
        return (f"the login {login(db)} does not own the tables {row[0]}: run it as the "
                "database's owner, the login that made its tables")
    return ""


def login(db: Database) -> str:
    return str(_execute(db, "SELECT session_user").fetchone()[0])


def tables(db: Database) -> list[str]:
    return [str(r[0]) for r in _execute(
        db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]


def set_up(db: Database, group: str = GROUP, logins: tuple[str, ...] = ()) -> list[str]:
    """Grant the group what the app needs, the audit trail append-only, row-level security
    on; `logins` made members of the group. Said again, it does the same (after an upgrade
    of the app, its new tables are granted). What was done, line by line."""
    problem = owner_problem(db)
    if problem:
        raise SetupRefused(problem)
    owner = login(db)
    done: list[str] = []
    with db.atomic():
        if not _execute(db, "SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone():
            _execute(db, f"CREATE ROLE {_ident(db, group)} NOLOGIN")
            done.append(f"made the group role {group} (no login)")
        g = _ident(db, group)
        for name in logins:
            row = _execute(db, "SELECT rolcanlogin, rolsuper, pg_has_role(oid, (SELECT oid "
                               "FROM pg_roles WHERE rolname = %s), 'MEMBER') FROM pg_roles "
                               "WHERE rolname = %s", (owner, name)).fetchone()
            if row is None or not row[0]:
                raise SetupRefused(f"there is no login {quoted(name)} on this server: its "
                                   "administrator makes it first (CREATE ROLE … LOGIN)")
            if row[1] or row[2]:
                raise SetupRefused(f"{quoted(name)} is a superuser or the owner: the row-level "
                                   "security and the audit trail's guard do not bind it")
            _execute(db, f"GRANT {g} TO {_ident(db, name)}")
            done.append(f"{name} is a member of {group}")
        _execute(db, f"GRANT USAGE ON SCHEMA public TO {g}")
        _execute(db, "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC")
        _execute(db, f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                     f"TO {g}")
        _execute(db, f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {g}")
        _execute(db, f"REVOKE INSERT, UPDATE, DELETE ON schema_migration FROM {g}")
        done.append(f"{group} may read and write the app's tables (not their structure)")
        for sql in FUNCTIONS:
            _execute(db, sql.replace("%", "%%"))  # said with parameters: % is one
        # Every role but the owner: no DELETE, TRUNCATE or UPDATE of the trail's entries,
        # whoever granted them; the group may update the sealed columns, guarded.
        for (role,) in list(_execute(db, (
                "SELECT DISTINCT a.grantee::regrole::text FROM pg_class c, "
                "aclexplode(c.relacl) a WHERE c.oid = 'audit_entry'::regclass "
                "AND a.grantee <> c.relowner AND a.grantee <> 0"))):
            _execute(db, f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM {role}")
        _execute(db, "REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM PUBLIC")
        columns = ", ".join(dict.fromkeys((*SEALED_COLUMNS, *ERASED_COLUMNS)))
        _execute(db, f"GRANT UPDATE ({columns}) ON audit_entry TO {g}")
        _execute(db, "DROP TRIGGER IF EXISTS crm_audit_append_only ON audit_entry")
        _execute(db, "CREATE TRIGGER crm_audit_append_only BEFORE UPDATE OR DELETE ON "
                     "audit_entry FOR EACH ROW EXECUTE FUNCTION crm_audit_append_only()")
        done.append("the audit trail is append-only for every login but the owner "
                    "(no DELETE or TRUNCATE; no change to an entry once written)")
        present = set(tables(db))
        for table, rule in POLICIES.items():
            if table not in present:
                continue
            t = _ident(db, table)
            _execute(db, f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
            _execute(db, f"DROP POLICY IF EXISTS crm_area ON {t}")
            _execute(db, f"CREATE POLICY crm_area ON {t} FOR ALL TO {g} USING ({rule})")
        done.append("row-level security: a service area manager's login reads only its own "
                    f"area's cases and what hangs off them ({counted(len(POLICIES), 'table')})")
        ruled = []
        for table in dict.fromkeys(table for table, _, _ in ROLE_RULES):
            if table not in present:
                continue
            t = _ident(db, table)
            _execute(db, f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY")
            if table not in POLICIES:  # read by every member (READ_BY_EVERY_MEMBER)
                _execute(db, f"DROP POLICY IF EXISTS crm_area ON {t}")
                _execute(db, f"CREATE POLICY crm_area ON {t} FOR ALL TO {g} USING (true)")
            for command in ("insert", "update", "delete"):
                _execute(db, f"DROP POLICY IF EXISTS crm_role_{command} ON {t}")
            ruled.append(table)
            for command in ("update", "delete"):
                _execute(db, f"DROP TRIGGER IF EXISTS crm_role_{command} ON {t}")
        for table, commands, rule in ROLE_RULES:
            if table not in present:
                continue
            t = _ident(db, table)
            for command in commands:
                # A row the login reads but may not change is refused aloud (the trigger
                # reads it as it was); the row as changed, or a new one, by the policy.
                if command in ("UPDATE", "DELETE"):
                    _execute(db, f"CREATE TRIGGER crm_role_{command.lower()} BEFORE {command} "
                                 f"ON {t} FOR EACH ROW EXECUTE FUNCTION crm_role_write("
                                 f"{_literal(rule)}, {_literal(ROLE_WORDS[table])})")
                if command == "DELETE":
                    continue
                _execute(db, f"CREATE POLICY crm_role_{command.lower()} ON {t} AS RESTRICTIVE "
                             f"FOR {command} TO {g} WITH CHECK ({rule})")
        for table, function in GUARDS:
            if table not in present:
                continue
            t = _ident(db, table)
            for command in ("insert", "update", "delete"):  # pg7's policies, where set up
                if table not in ruled:
                    _execute(db, f"DROP POLICY IF EXISTS crm_role_{command} ON {t}")
            _execute(db, f"DROP TRIGGER IF EXISTS crm_guard ON {t}")
            _execute(db, f"CREATE TRIGGER crm_guard BEFORE INSERT OR UPDATE OR DELETE ON {t} "
                         f"FOR EACH ROW EXECUTE FUNCTION {function}()")
        _execute(db, 'DROP TRIGGER IF EXISTS crm_user_guard ON "user"')
        _execute(db, 'CREATE TRIGGER crm_user_guard BEFORE UPDATE ON "user" FOR EACH ROW '
                     "EXECUTE FUNCTION crm_user_guard()")
        done.append("what each role may write, as the app allows it: restrictions, "
                    "nominations, destroyed files, people, roles, signing certificates and "
                    "the deletion of a case's file "
                    f"({counted(len(ruled), 'table')}); the user administrator's login reads "
                    "no case")
        done.append("who decides, decides appeals, gives the Head of Service's view, records "
                    "a review and signs each letter, as the app allows it, refused aloud; a "
                    "decision, a decided appeal, a recorded view or review and a signed "
                    f"letter are not rewritten ({counted(len(GUARDS), 'table')})")
    return done


def last_case_reference(db: Database, prefix: str) -> str | None:
    """The highest case reference of every area starting `prefix`, where set_up made the
    function that sees past a manager's row-level security; else None (not set up: every
    login sees every case)."""
    row = _execute(db, "SELECT to_regprocedure('crm_last_case_reference(text)') IS NOT NULL"
                   ).fetchone()
    if not row[0]:
        return None
    found = _execute(db, "SELECT crm_last_case_reference(%s)", (prefix,)).fetchone()[0]
    return str(found) if found else ""


def sees_every_area(db: Database) -> bool:
    """Whether the connection's login reads every area's rows: on a database set_up made
    (else every login does). A sweep over what the whole database holds (the evidence store's
    files no record points to) is left to a login that does."""
    row = _execute(db, "SELECT to_regprocedure('crm_sees_every_area()') IS NOT NULL"
                   ).fetchone()
    if not row[0]:
        return True
    return bool(_execute(db, "SELECT crm_sees_every_area()").fetchone()[0])


def evidence_held(db: Database) -> set[str] | None:
    """Every stored document's SHA-256, of every area, where set_up made the function that
    sees past a manager's row-level security; else None (every login sees them all)."""
    row = _execute(db, "SELECT to_regprocedure('crm_evidence_held()') IS NOT NULL").fetchone()
    if not row[0]:
        return None
    return {str(found[0]) for found in _execute(db, "SELECT crm_evidence_held()")}


def customer_case_count(db: Database, customer_id: int) -> int | None:
    """How many cases the customer has in every area, where set_up made the function that
    counts past a manager's row-level security; else None (every login sees them all)."""
    row = _execute(db, "SELECT to_regprocedure('crm_customer_case_count(integer)') IS NOT NULL"
                   ).fetchone()
    if not row[0]:
        return None
    return int(_execute(db, "SELECT crm_customer_case_count(%s)", (customer_id,)
                        ).fetchone()[0])


def case_on_record(db: Database, reference: str) -> bool:
    """Whether a case of that reference is on record in any area, though the connection's
    login may not read it (False where set_up did not make the function: then every login
    reads every case, and one not read is none)."""
    row = _execute(db, "SELECT to_regprocedure('crm_case_on_record(text)') IS NOT NULL"
                   ).fetchone()
    if not row[0]:
        return False
    return bool(_execute(db, "SELECT crm_case_on_record(%s)", (reference,)).fetchone()[0])


def _has(db: Database, signature: str) -> bool:
    return bool(_execute(db, "SELECT to_regprocedure(%s) IS NOT NULL", (signature,)
                         ).fetchone()[0])


NOT_SET_UP = object()  # customer_latest_seal where set_up did not make the function


def customer_latest_seal(db: Database, customer_id: int) -> Any:
    """The latest entry holding the customer's seal, as (its number, the seal as JSON text),
    of every area's entries, for a customer the login reads; None where none holds it;
    NOT_SET_UP where set_up did not make the function (every login reads every entry)."""
    if not _has(db, "crm_customer_latest_seal(integer)"):
        return NOT_SET_UP
    row = _execute(db, "SELECT seq, held FROM crm_customer_latest_seal(%s)", (customer_id,)
                   ).fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def withheld_matches(db: Database, postcode: str, name: tuple[str, ...], first_line: str,
                     titles: tuple[str, ...]) -> list[tuple[int, str, int, bool]]:
    """The likely matches the login does not read, every case of theirs another area's, as
    (id, reference, how many cases, matched by postcode and surname); none where set_up did
    not make the function, or for a login that reads every area (it reads them itself)."""
    if not _has(db, "crm_withheld_matches(text,text[],text,text[])"):
        return []
    return [(int(r[0]), str(r[1]), int(r[2]), bool(r[3])) for r in _execute(
        db, "SELECT id, reference, cases, by_postcode "
            "FROM crm_withheld_matches(%s, %s, %s, %s)",
        (postcode, list(name), first_line, list(titles)))]


def last_customer(db: Database) -> tuple[int | None, str | None] | None:
    """The highest customer id and destroyed customer's reference of every area, where
    set_up made the function that reads past a manager's row-level security; else None."""
    if not _has(db, "crm_last_customer()"):
        return None
    row = _execute(db, "SELECT id, gone FROM crm_last_customer()").fetchone()
    return (None if row[0] is None else int(row[0]), None if row[1] is None else str(row[1]))


def login_role(db: Database) -> str | None:
    """The role the connection's login acts in as the server reads it (crm_login_role:
    'owner', 'demo', a role's name, or None), where set_up made the function; else None."""
    if not _has(db, "crm_login_role()"):
        return None
    found = _execute(db, "SELECT crm_login_role()").fetchone()[0]
    return None if found is None else str(found)
