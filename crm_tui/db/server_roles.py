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
- What each role may write (ROLE_RULES: decisions, restrictions, nominations, tombstones,
  people, roles, signing certificates) is held by RESTRICTIVE policies on the login's role.
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


def _literal(value: str) -> str:
    """A string constant written into the set-up's SQL (policies and functions take no
    parameters): its quotes doubled."""
    return "'" + value.replace("'", "''") + "'"
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
_CRM, _OFFICER, _HOS, _SD = "crm", "officer", "head_of_service", "service_director"
NOMINATED = ("EXISTS (SELECT 1 FROM nomination n WHERE n.nominee_id = "
             "(SELECT crm_login_user_id()) AND n.revoked_at IS NULL AND (n.case_id IS NULL "
             "OR n.case_id = decision.case_id))")


def _roles(*roles: str) -> str:
    return "(SELECT crm_role_in(" + ", ".join(_literal(r) for r in roles or ("owner",)) + "))"


ROLE_RULES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    # A decision is the CRM's, or an appeal's: the Service Director's, or an officer's they
    # nominated to decide it in their place.
    ("decision", ("INSERT", "UPDATE", "DELETE"),
     f"{_roles(_CRM, _SD)} OR ({_roles(_OFFICER)} AND {NOMINATED})"),
    # Restrictions are drafted by the CRM, officers and the Service Director (amended on
    # appeal), and put in force, varied and ended by the CRM or on appeal.
    ("restriction", ("INSERT", "UPDATE", "DELETE"), _roles(_CRM, _OFFICER, _SD)),
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
        for table, commands, rule in ROLE_RULES:
            if table not in present:
                continue
            t = _ident(db, table)
            for command in commands:
                clause = {"INSERT": f"WITH CHECK ({rule})",
                          "UPDATE": f"USING ({rule}) WITH CHECK ({rule})",
                          "DELETE": f"USING ({rule})"}[command]
                _execute(db, f"CREATE POLICY crm_role_{command.lower()} ON {t} AS RESTRICTIVE "
                             f"FOR {command} TO {g} {clause}")
        _execute(db, 'DROP TRIGGER IF EXISTS crm_user_guard ON "user"')
        _execute(db, 'CREATE TRIGGER crm_user_guard BEFORE UPDATE ON "user" FOR EACH ROW '
                     "EXECUTE FUNCTION crm_user_guard()")
        done.append("what each role may write, as the app allows it: decisions, restrictions, "
                    "nominations, destroyed files, people, roles and signing certificates "
                    f"({counted(len(ruled), 'table')}); the user administrator's login reads "
                    "no case")
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
