import CaseStore

/// The database's tables, row-level security, grants and functions: what `keten db-init` sets up
/// and `keten check` verifies.
///
/// Two database roles stand apart: the *owner* (the login that runs `keten db-init` and
/// `keten migrate`; it owns the schema, and row-level security does not bind it) and
/// `keten_staff`, the group role every staff login is made a member of (by the DBA). Staff reach
/// every table only through row-level security keyed on who they authenticated as
/// (`session_user`), looked up in `keten.users`: a login Keten does not know sees nothing.
enum PostgresSchema {
  static let version = 1
  static let staffRole = "keten_staff"

  /// Every table Keten keeps; each must have row-level security on.
  static let tables = ["users", "cases", "records", "journal", "meta", "erased", "content", "journalled"]

  /// Relations in the schema that Keten did not make (a view, another table, a sequence), as
  /// an SQL condition over `pg_class c`: any could show staff what row-level security hides.
  static var foreignRelation: String {
    """
    ((c.relkind IN ('r', 'v', 'm', 'f', 'p') AND NOT c.relname = ANY (\(textArray(tables))))
      OR (c.relkind = 'S' AND c.relname !~ '^(id_[a-z]_[0-9]{4}|change_seq|journal_seq_seq)$'))
    """
  }

  /// The functions and triggers Keten makes (`may_see`: schema 1's, dropped by `db-init`).
  /// `PostgresTests` holds these lists to what `install` creates.
  static let functions = [
    "case_exists", "changed_cases", "erase_case", "fits", "guard_case", "guard_record", "id_counters", "is_date", "is_owner",
    "journalled_now", "keep_users", "lock_users", "may_see", "may_see_case", "my_centre", "my_mentor_ids", "my_participants",
    "my_role", "next_id", "notify_change", "number_change", "open_pairs_per_mentor", "partial_cases", "partial_doc",
    "raise_counter", "require_entry", "same_readers", "save_check_ins", "seen_unchanged", "sees", "stamp_entry", "written_now",
  ]
  static let triggers = [
    "cases_guard", "cases_journalled", "cases_notify", "cases_number", "journal_stamp", "records_guard", "records_journalled",
    "records_notify",
  ]

  /// Every object in the schema Keten did not make: relations (`foreignRelation`), functions
  /// (or one of Keten's names owned by another role), and triggers on its tables; as one list.
  static var foreignObjects: String {
    """
    (SELECT string_agg(what, ', ' ORDER BY what) FROM (
      SELECT 'keten.' || c.relname AS what FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'keten' AND \(foreignRelation)
      UNION ALL
      SELECT f.oid::regprocedure::text FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace
        WHERE n.nspname = 'keten' AND (NOT f.proname = ANY (\(textArray(functions))) OR f.proowner <> n.nspowner)
      UNION ALL
      SELECT 'trigger ' || t.tgname || ' on keten.' || c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'keten' AND NOT t.tgisinternal AND NOT t.tgname = ANY (\(textArray(triggers)))
      UNION ALL
      SELECT 'rule ' || r.rulename || ' on keten.' || c.relname FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'keten' AND r.rulename <> '_RETURN') x)
    """
  }

  /// What a content row's path and body may be (also put back by `db-init` when dropped).
  static let contentPathCheck =
    "path ~ '^(settings\\.json|content(/[A-Za-z0-9_-][A-Za-z0-9._-]*)+)$' AND path !~ '/\\.\\.(/|$)'"
  static let contentBodyCheck = "length(body) <= 4194304"

  /// The row-level security policies Keten makes: `db-init` drops any other on its tables (a
  /// policy widens what staff see), and `check` names one it finds.
  static let policies = [
    "meta_read", "users_read", "users_write", "cases_read", "cases_insert", "cases_update", "cases_delete",
    "records_read", "records_insert", "records_update", "journal_read", "journal_add", "content_read",
  ]

  /// The columns staff may update, per table. Staff hold no table-wide UPDATE, DELETE or
  /// TRUNCATE: with any of those a login (even one Keten does not know) could `LOCK` a table
  /// against every save; PostgreSQL checks a lock against table-wide privileges only. Removing
  /// a case or a user goes through `keten.erase_case` and `keten.keep_users`.
  static let updatableColumns = [
    "users": "role, centre_key, position, doc",
    "cases": "revision, doc, summary, rules_version, centre_key, case_worker, mentor, trashed_on",
    "records": "revision, doc",
  ]

  /// Keten's rule of who sees a whole case (`Viewer.maySee` for coordinators and case workers),
  /// over a row of `keten.cases`. Trainers and mentors see part of a case, and only through
  /// `keten.partial_cases()`: the table itself shows them no row.
  static let seesWhole = """
    ((SELECT keten.my_role()) = 'coordinator'
        OR ((SELECT keten.my_role()) = 'case-worker' AND (case_worker = session_user
          OR (centre_key <> '' AND centre_key = (SELECT keten.my_centre())))))
    """

  /// The document keys (top level, and within `person`) a role is shown, from the one access
  /// table (`AccessPolicy`, `CaseSection.visibleKeys`), as SQL arrays.
  static func shownKeys(_ role: Role) -> (top: String, person: String) {
    let keys = CaseSection.visibleKeys(AccessPolicy.sections(for: role))
    return (
      textArray(keys.filter { !$0.hasPrefix("person.") } + ["person"]),
      textArray(keys.filter { $0.hasPrefix("person.") }.map { String($0.dropFirst(7)) })
    )
  }

  /// Names Keten itself chose (keys, policies: no quote in them), as a sorted SQL text array.
  static func textArray(_ names: [String]) -> String {
    "ARRAY[" + names.sorted().map { "'\($0)'" }.joined(separator: ", ") + "]::text[]"
  }

  /// A timestamp as Keten writes it (`Timestamp.format`), as an SQL pattern.
  static let timestampPattern = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'"

  /// The journal's actions, as `JournalEntry.Action` names them.
  static let journalActions = JournalEntry.Action.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")

  /// The journal's actions that say a case or record was written (an `open` or an `export`
  /// in the same transaction does not journal a change; an `erase` journals only a deletion).
  static let changeActions = textArray([JournalEntry.Action.create, .change, .delete, .restore].map(\.rawValue))

  /// The JSON shape of a training group as `TrainingGroup` decodes it, for `keten.fits`: an
  /// object's keys (`?` when it may be absent or null; `*` for a map's every key), an array's
  /// one element, and leaves `string`, `integer`, `date`, `timestamp` or `a|b|c` (one of).
  /// A trainer may change a group through psql; a value of another shape would leave the group
  /// unreadable for everyone, so the database refuses it. `PostgresTests` checks this against
  /// the decoder, value by value, so that the two cannot drift apart.
  static let groupShape: String = {
    let attendance = TrainingGroup.Attendance.allCases.map(\.rawValue).joined(separator: "|")
    let level = TrainingGroup.LevelFit.allCases.map(\.rawValue).joined(separator: "|")
    let scores = ["confidence", "labourMarket", "communication", "initiative", "organisation", "responsibility"]
      .map { "\"\($0)\": \"integer\"" }.joined(separator: ", ")
    return """
      {"id": "string", "revision": "integer", "updatedAt": "timestamp", "updatedBy": "string", "name": "string",
       "centre": "string", "trainers?": ["string"], "language?": "string",
       "interpreters?": [{"name": "string", "languages": ["string"]}], "days?": ["date"], "capacity": "integer",
       "level?": "string", "delivered?": {"*": "date"},
       "participants?": [{"case": "string", "entryTest?": {"*": "integer"}, "attendance?": {"*": "\(attendance)"},
         "notes?": {"*": "string"}, "internship?": {"organisation": "string", "from?": "date", "to?": "date"},
         "organisationsContacted?": ["string"], "evaluation?": {\(scores), "level": "\(level)"}}]}
      """
  }()

  /// A check-in's channels, as `CheckIn.Channel` names them.
  static let channels = "ARRAY[" + CheckIn.Channel.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ") + "]::text[]"

  /// A check-in's keys, as `CheckIn` encodes them: all a mentor's save may add.
  static let checkInKeys = "ARRAY['activities', 'channel', 'concern', 'goals', 'id', 'loggedAt', 'loggedBy', 'minutes', 'note', 'on', 'progress']::text[]"

  /// What trainers and mentors read and write instead of `keten.cases`: their cases cut down to
  /// their sections, and a mentor's save, which may only add check-ins to their own open pairs.
  static var partialAccess: String {
    let trainer = shownKeys(.trainer), mentor = shownKeys(.mentor)
    return """
      CREATE OR REPLACE FUNCTION keten.partial_doc(doc jsonb, role text) RETURNS jsonb
        LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
        -- A damaged document (not an object, or its person not one) keeps none of its values:
        -- its person becomes null, which the app reads as damaged, and the listing goes on.
        AS $$ SELECT CASE WHEN jsonb_typeof(doc) = 'object' AND jsonb_typeof(doc->'person') = 'object' THEN
                coalesce((SELECT jsonb_object_agg(key, value) FROM jsonb_each(doc) WHERE key = ANY (
                  CASE role WHEN 'trainer' THEN \(trainer.top) ELSE \(mentor.top) END) AND key <> 'person'), '{}'::jsonb)
                || jsonb_build_object('person', coalesce((SELECT jsonb_object_agg(key, value) FROM jsonb_each(doc->'person')
                  WHERE key = ANY (CASE role WHEN 'trainer' THEN \(trainer.person) ELSE \(mentor.person) END)), '{}'::jsonb))
              ELSE jsonb_build_object('id', doc->'id', 'revision', doc->'revision', 'person', NULL) END $$;

      -- A trainer's participants, a mentor's mentees (open pairs with their mentor records):
      -- each cut down to what the role is shown, as the app shows it.
      CREATE OR REPLACE FUNCTION keten.partial_cases(only_id text DEFAULT NULL)
        RETURNS TABLE (id text, revision integer, doc jsonb, trashed_on date)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$ SELECT c.id, c.revision,
                CASE WHEN r.role = 'mentor'
                  -- A mentor sees their own pairs only, not those of mentors before them.
                  THEN jsonb_set(keten.partial_doc(c.doc, r.role), '{mentoring}', CASE jsonb_typeof(c.doc->'mentoring')
                    WHEN 'array' THEN (SELECT coalesce(jsonb_agg(p), '[]'::jsonb) FROM jsonb_array_elements(c.doc->'mentoring') p
                      WHERE p->>'mentor' = ANY (keten.my_mentor_ids()))
                    ELSE 'null'::jsonb END)
                  ELSE keten.partial_doc(c.doc, r.role) END,
                c.trashed_on
              FROM keten.cases c, (SELECT keten.my_role() AS role) r
              WHERE (only_id IS NULL OR c.id = only_id)
                AND ((r.role = 'mentor' AND c.mentor <> '' AND c.mentor = ANY (keten.my_mentor_ids()))
                  OR (r.role = 'trainer' AND c.id = ANY (keten.my_participants())))
              ORDER BY c.id $$;

      -- A mentor's save of the case as they see it: what it adds are check-ins at the end of
      -- their own open pairs, and only those are written (anything else it holds is not used).
      -- The new revision; 0 when the case moved on since `base_revision` (a conflict), -1 when
      -- it is not one of theirs.
      CREATE OR REPLACE FUNCTION keten.save_check_ins(case_id text, base_revision integer, seen jsonb, entry jsonb)
        RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$
        DECLARE
          stored keten.cases;
          o jsonb; n jsonb; oc jsonb; nc jsonb; added jsonb := NULL; path text;
          pairs jsonb := '[]'::jsonb;
          stamp constant text := to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
          held date;
        BEGIN
          IF keten.my_role() IS DISTINCT FROM 'mentor' THEN
            RAISE EXCEPTION 'only a mentor saves through check-ins' USING ERRCODE = '42501';
          END IF;
          SELECT * INTO stored FROM keten.cases c WHERE c.id = case_id AND c.trashed_on IS NULL
            AND c.mentor <> '' AND c.mentor = ANY (keten.my_mentor_ids()) FOR UPDATE;
          IF NOT FOUND THEN RETURN -1; END IF;
          IF base_revision IS NULL OR stored.revision <> base_revision THEN RETURN 0; END IF;
          IF jsonb_typeof(seen->'mentoring') IS DISTINCT FROM 'array' THEN
            RAISE EXCEPTION 'a mentor may only add a check-in' USING ERRCODE = '42501';
          END IF;
          -- Each of the case's pairs as stored; the mentor's own open pair may gain one check-in,
          -- the last of the pair as the mentor's save holds it.
          FOR j IN 0 .. jsonb_array_length(coalesce(stored.doc->'mentoring', '[]'::jsonb)) - 1 LOOP
            o := stored.doc->'mentoring'->j;
            oc := coalesce(o->'checkIns', '[]'::jsonb);
            IF (o->>'mentor') = ANY (keten.my_mentor_ids()) AND NOT o ? 'closure' THEN
              SELECT p INTO n FROM jsonb_array_elements(seen->'mentoring') p WHERE p->>'id' = o->>'id' LIMIT 1;
              nc := coalesce(n->'checkIns', '[]'::jsonb);
              IF jsonb_typeof(nc) = 'array' AND jsonb_array_length(nc) = jsonb_array_length(oc) + 1 THEN
                IF added IS NOT NULL THEN
                  RAISE EXCEPTION 'a mentor adds one check-in at a time' USING ERRCODE = '42501';
                END IF;
                added := nc->(jsonb_array_length(nc) - 1);
                path := format('mentoring[%s].checkIns', j);
                BEGIN
                  held := (added->>'on')::date;
                EXCEPTION WHEN others THEN
                  RAISE EXCEPTION 'not a check-in this mentor may log' USING ERRCODE = '42501';
                END;
                IF jsonb_typeof(added) IS DISTINCT FROM 'object' OR length(added::text) > 20000
                    OR EXISTS (SELECT 1 FROM jsonb_object_keys(added) key WHERE NOT key = ANY (\(checkInKeys)))
                    OR added->>'loggedBy' IS DISTINCT FROM session_user
                    OR jsonb_typeof(added->'id') IS DISTINCT FROM 'string'
                    OR held IS NULL OR to_char(held, 'YYYY-MM-DD') IS DISTINCT FROM added->>'on'
                    OR held < (o->>'start')::date OR held > current_date
                    OR jsonb_typeof(added->'minutes') IS DISTINCT FROM 'number'
                    OR (added->>'minutes')::numeric NOT BETWEEN 5 AND 600 OR (added->>'minutes')::numeric % 1 <> 0
                    OR NOT coalesce(added->>'channel', '') = ANY (\(channels))
                    OR jsonb_typeof(added->'goals') IS DISTINCT FROM 'array'
                    OR jsonb_typeof(added->'activities') IS DISTINCT FROM 'array'
                    OR jsonb_typeof(added->'progress') IS DISTINCT FROM 'object'
                    OR EXISTS (SELECT 1 FROM jsonb_array_elements(added->'goals') g
                      WHERE jsonb_typeof(g) <> 'string' OR NOT coalesce(o->'goals', '[]'::jsonb) @> jsonb_build_array(g))
                    OR EXISTS (SELECT 1 FROM jsonb_array_elements(added->'activities') a
                      WHERE jsonb_typeof(a) <> 'string' OR length(a #>> '{}') > 200)
                    OR EXISTS (SELECT 1 FROM jsonb_each(added->'progress') p WHERE jsonb_typeof(p.value) <> 'number'
                      OR (p.value #>> '{}')::numeric NOT IN (1, 2, 3, 4, 5)
                      OR NOT coalesce(o->'goals', '[]'::jsonb) @> jsonb_build_array(p.key))
                    OR coalesce(jsonb_typeof(added->'note'), 'string') <> 'string'
                    OR coalesce(jsonb_typeof(added->'concern'), 'string') <> 'string'
                    -- A concern, when there is one, says something (white space alone is none).
                    OR (added ? 'concern' AND added->>'concern' ~ '^[\\s\\u00a0\\u0085\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000]*$') THEN
                  RAISE EXCEPTION 'not a check-in this mentor may log' USING ERRCODE = '42501';
                END IF;
                IF EXISTS (SELECT 1 FROM jsonb_array_elements(oc) c WHERE c->>'id' = added->>'id') THEN
                  RAISE EXCEPTION 'a check-in''s id is new in its pair' USING ERRCODE = '42501';
                END IF;
                IF EXISTS (SELECT 1 FROM jsonb_array_elements(oc) c WHERE c->>'on' = added->>'on') THEN
                  RAISE EXCEPTION 'this pair already has a check-in on that day; a pair logs one check-in a day' USING ERRCODE = '42501';
                END IF;
                -- Logged when the database says.
                o := o || jsonb_build_object('checkIns', oc || jsonb_build_array(added || jsonb_build_object('loggedAt', stamp)));
              END IF;
            END IF;
            pairs := pairs || jsonb_build_array(o);
          END LOOP;
          IF added IS NULL THEN
            RAISE EXCEPTION 'a mentor''s save adds one check-in to their own open pair' USING ERRCODE = '42501';
          END IF;
          IF entry->>'user' IS DISTINCT FROM session_user OR entry->>'case' IS DISTINCT FROM case_id
              OR entry->>'action' IS DISTINCT FROM 'change'
              OR coalesce(entry->>'at', '') !~ \(timestampPattern) THEN
            RAISE EXCEPTION 'a journal entry in the mentor''s own name, about this case' USING ERRCODE = '42501';
          END IF;
          -- The summary is made again by the next coordinator's or case worker's listing (or check).
          UPDATE keten.cases c SET doc = stored.doc || jsonb_build_object('mentoring', pairs, 'revision', stored.revision + 1,
              'updatedAt', stamp, 'updatedBy', to_jsonb(session_user::text)),
            revision = stored.revision + 1, rules_version = ''
            WHERE c.id = case_id;
          INSERT INTO keten.journal (login, case_id, record_id, entry) VALUES (session_user, case_id, NULL,
            jsonb_build_object('action', 'change', 'at', stamp, 'case', case_id, 'user', session_user::text,
              'revision', stored.revision + 1, 'paths', jsonb_build_array(path)));
          RETURN stored.revision + 1;
        END $$;
      -- A mentor's places are the chain's: their open pairs counted over every case, whoever
      -- asks (a mentor id and a number; no case, no name).
      CREATE OR REPLACE FUNCTION keten.open_pairs_per_mentor() RETURNS TABLE (mentor text, pairs integer)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$ SELECT c.mentor, count(*)::integer FROM keten.cases c
              WHERE c.mentor <> '' AND c.trashed_on IS NULL AND keten.my_role() IS NOT NULL
              GROUP BY c.mentor $$;
      -- What staff may not do with a table-wide privilege (see `updatableColumns`): a
      -- coordinator erases a case, and keeps the users table to the logins it lists (holding a
      -- row lock that makes changes to the users table one at a time).
      CREATE OR REPLACE FUNCTION keten.erase_case(case_id text) RETURNS integer
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$
        DECLARE n integer;
        BEGIN
          IF keten.my_role() IS DISTINCT FROM 'coordinator' AND NOT keten.is_owner() THEN
            RAISE EXCEPTION 'only a coordinator erases a case' USING ERRCODE = '42501';
          END IF;
          DELETE FROM keten.cases c WHERE c.id = case_id;
          GET DIAGNOSTICS n = ROW_COUNT;
          RETURN n;
        END $$;
      CREATE OR REPLACE FUNCTION keten.lock_users() RETURNS void
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$
        BEGIN
          IF keten.my_role() IS DISTINCT FROM 'coordinator' AND NOT keten.is_owner() THEN
            RAISE EXCEPTION 'only a coordinator changes the users' USING ERRCODE = '42501';
          END IF;
          PERFORM 1 FROM keten.meta WHERE key = 'schema' FOR UPDATE;
        END $$;
      CREATE OR REPLACE FUNCTION keten.keep_users(logins text[]) RETURNS void
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$
        BEGIN
          PERFORM keten.lock_users();
          DELETE FROM keten.users u WHERE NOT (u.login = ANY (logins));
        END $$;
      REVOKE ALL ON FUNCTION keten.partial_doc(jsonb, text), keten.partial_cases(text),
        keten.save_check_ins(text, integer, jsonb, jsonb), keten.open_pairs_per_mentor(),
        keten.erase_case(text), keten.lock_users(), keten.keep_users(text[]) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION keten.partial_doc(jsonb, text), keten.partial_cases(text),
        keten.save_check_ins(text, integer, jsonb, jsonb), keten.open_pairs_per_mentor(),
        keten.erase_case(text), keten.lock_users(), keten.keep_users(text[]) TO keten_staff;
      \(removeForeignAccess)
      """
  }

  static var install: String { installTables + partialAccess }

  static var installTables: String { """
    CREATE SCHEMA IF NOT EXISTS keten;
    REVOKE ALL ON SCHEMA keten FROM PUBLIC;
    -- A view or table someone else put in the schema could show staff what row-level security
    -- hides, and is not the owner's to drop: refused, by name, before anything changes.
    DO $$
    DECLARE extra text;
    BEGIN
      extra := \(foreignObjects);
      IF extra IS NOT NULL THEN
        RAISE EXCEPTION 'the schema keten holds objects Keten did not make (%), which could show staff what row-level security hides; a superuser drops them, then runs keten db-init again', extra;
      END IF;
    END $$;
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keten_staff') THEN REVOKE CREATE ON SCHEMA keten FROM keten_staff; END IF;
    END $$;

    CREATE TABLE IF NOT EXISTS keten.meta (
      key text PRIMARY KEY,
      value text NOT NULL
    );

    -- One row per Keten user, keyed on the database login they authenticate as. Every Keten user
    -- may read who is who (as every member of a shared folder store reads its users file).
    CREATE TABLE IF NOT EXISTS keten.users (
      login text PRIMARY KEY,
      role text NOT NULL CHECK (role IN ('coordinator', 'case-worker', 'trainer', 'mentor')),
      centre_key text NOT NULL DEFAULT '',
      position integer NOT NULL DEFAULT 0,
      doc jsonb NOT NULL
    );

    -- One row per case: its document, the revision a save must be based on, the summary the
    -- list shows (the same line the folder's index holds), and what row-level security decides on.
    CREATE TABLE IF NOT EXISTS keten.cases (
      id text PRIMARY KEY,
      revision integer NOT NULL CHECK (revision > 0),
      doc jsonb NOT NULL,
      summary text NOT NULL,
      rules_version text NOT NULL,
      centre_key text NOT NULL DEFAULT '',
      case_worker text NOT NULL DEFAULT '',
      mentor text NOT NULL DEFAULT '',
      trashed_on date
    );

    -- The store's own content, as a folder store keeps it beside its cases (`settings.json`,
    -- `content/…`): each file by its path there. Only the owner writes it (`keten db-init
    -- --content`, `keten migrate`); every Keten user reads it, and the app checks it on load.
    CREATE TABLE IF NOT EXISTS keten.content (
      path text PRIMARY KEY CONSTRAINT content_path_check CHECK (\(contentPathCheck)),
      body bytea NOT NULL CONSTRAINT content_body_check CHECK (\(contentBodyCheck))
    );
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'keten.content'::regclass AND conname = 'content_path_check') THEN
        ALTER TABLE keten.content ADD CONSTRAINT content_path_check CHECK (\(contentPathCheck));
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'keten.content'::regclass AND conname = 'content_body_check') THEN
        ALTER TABLE keten.content ADD CONSTRAINT content_body_check CHECK (\(contentBodyCheck));
      END IF;
    END $$;

    -- Training groups, mentors, employers, openings, job fairs, services.
    CREATE TABLE IF NOT EXISTS keten.records (
      id text PRIMARY KEY,
      kind text NOT NULL,
      revision integer NOT NULL CHECK (revision > 0),
      doc jsonb NOT NULL
    );
    CREATE INDEX IF NOT EXISTS records_kind ON keten.records (kind, id);

    -- The audit journal: written in the transaction of the change it records. Staff may add
    -- entries in their own name and read them; nobody but the owner may change or remove one.
    CREATE TABLE IF NOT EXISTS keten.journal (
      seq bigserial PRIMARY KEY,
      login text NOT NULL DEFAULT session_user,
      case_id text,
      record_id text,
      entry jsonb NOT NULL
    );
    -- A case's or record's entries, newest first (for the case file's history, and for the
    -- check that a change has its entry).
    CREATE INDEX IF NOT EXISTS journal_case_seq ON keten.journal (case_id, seq) WHERE case_id IS NOT NULL;
    CREATE INDEX IF NOT EXISTS journal_record_seq ON keten.journal (record_id, seq) WHERE record_id IS NOT NULL;
    DROP INDEX IF EXISTS keten.journal_case;  -- schema 1's

    -- Whether the connected login owns the schema (db-init, migrate: trusted, not bound by the guards).
    CREATE OR REPLACE FUNCTION keten.is_owner() RETURNS boolean
      LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp
      AS $$ SELECT session_user = (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'keten') $$;

    -- Who the connected login is in Keten: run as the owner, so that policies can look it up.
    CREATE OR REPLACE FUNCTION keten.my_role() RETURNS text
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT role FROM keten.users WHERE login = session_user $$;
    CREATE OR REPLACE FUNCTION keten.my_centre() RETURNS text
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT centre_key FROM keten.users WHERE login = session_user $$;
    -- A mentor's mentor records; a trainer's participants.
    CREATE OR REPLACE FUNCTION keten.my_mentor_ids() RETURNS text[]
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT coalesce(array_agg(id), '{}') FROM keten.records
            WHERE kind = 'M' AND doc->>'login' = session_user $$;
    CREATE OR REPLACE FUNCTION keten.my_participants() RETURNS text[]
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT coalesce(array_agg(DISTINCT p->>'case'), '{}')
            FROM keten.records g, jsonb_array_elements(CASE jsonb_typeof(g.doc->'participants')
              WHEN 'array' THEN g.doc->'participants' ELSE '[]'::jsonb END) p
            WHERE g.kind = 'G' AND g.doc->'trainers' ? session_user $$;
    -- Whether the connected login may see a case with these columns (whole, or in part as a
    -- trainer's participant or a mentor's mentee): Keten's rule, as the policies apply it.
    CREATE OR REPLACE FUNCTION keten.sees(id text, centre_key text, case_worker text, mentor text) RETURNS boolean
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT CASE keten.my_role()
          WHEN 'coordinator' THEN true
          WHEN 'case-worker' THEN case_worker = session_user OR (centre_key <> '' AND centre_key = keten.my_centre())
          WHEN 'mentor' THEN mentor <> '' AND mentor = ANY (keten.my_mentor_ids())
          WHEN 'trainer' THEN id = ANY (keten.my_participants())
          ELSE false END $$;

    -- Ids: one sequence per kind and year (keten.id_k_2026 for K-2026-…), made on first use. A sequence never hands a number
    -- out twice, even when the transaction that took it rolls back.
    CREATE OR REPLACE FUNCTION keten.next_id(prefix text, year integer) RETURNS bigint
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$
      DECLARE name text := format('keten.id_%s_%s', prefix, year);
      BEGIN
        IF prefix IS NULL OR year IS NULL OR prefix NOT IN ('K', 'G', 'M', 'E', 'O', 'F', 'S')
            OR year < 2000 OR year > extract(year FROM now())::integer + 1 THEN
          RAISE EXCEPTION 'no id kind % of year %', prefix, year;
        END IF;
        IF keten.my_role() IS NULL AND NOT keten.is_owner() THEN
          RAISE EXCEPTION 'not a Keten user' USING ERRCODE = '42501';
        END IF;
        BEGIN
          EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %s', name);
        EXCEPTION WHEN unique_violation THEN NULL;  -- made by another session at the same moment
        END;
        RETURN nextval(name);
      END $$;

    -- The last number of every id sequence (for `keten migrate` out of the database).
    CREATE OR REPLACE FUNCTION keten.id_counters() RETURNS TABLE (prefix text, year integer, last bigint)
      LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$
      DECLARE s record;
      BEGIN
        IF keten.my_role() IS NULL AND NOT keten.is_owner() THEN
          RAISE EXCEPTION 'not a Keten user' USING ERRCODE = '42501';
        END IF;
        FOR s IN SELECT sequencename, last_value FROM pg_sequences
                  WHERE schemaname = 'keten' AND sequencename ~ '^id_[a-z]_[0-9]{4}$' LOOP
          prefix := upper(substr(s.sequencename, 4, 1));
          year := substr(s.sequencename, 6, 4)::integer;
          last := coalesce(s.last_value, 0);
          RETURN NEXT;
        END LOOP;
      END $$;

    -- Moves a sequence to at least `last` (migrating a store in).
    CREATE OR REPLACE FUNCTION keten.raise_counter(prefix text, year integer, last bigint) RETURNS void
      LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
      AS $$
      DECLARE name text := format('keten.id_%s_%s', prefix, year);
      BEGIN
        IF prefix !~ '^[A-Z]$' THEN RAISE EXCEPTION 'no id kind %', prefix; END IF;
        EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %s', name);
        IF last > 0 THEN PERFORM setval(name, greatest(last, (SELECT coalesce(last_value, 0) FROM pg_sequences
          WHERE schemaname = 'keten' AND sequencename = format('id_%s_%s', lower(prefix), year)))); END IF;
      END $$;
    REVOKE ALL ON FUNCTION keten.raise_counter(text, integer, bigint) FROM PUBLIC;

    -- Live updates without telling anyone which case changed: every write of a case takes the
    -- next change number, and the notification on commit carries only that number
    -- (`cases:1234`; `records` for any record). A listener asks `keten.changed_cases` which
    -- of the numbers it heard are cases it may see: a Gent case worker never learns the id of
    -- a Brugge case that changed, and a login Keten does not know learns nothing.
    CREATE SEQUENCE IF NOT EXISTS keten.change_seq;
    ALTER TABLE keten.cases ADD COLUMN IF NOT EXISTS changed bigint NOT NULL DEFAULT 0;
    CREATE INDEX IF NOT EXISTS cases_changed ON keten.cases (changed);
    -- An erased case's last change, or a case's change that moved it out of someone's sight
    -- (with the columns it had): who may see it is decided on these; no document.
    CREATE TABLE IF NOT EXISTS keten.erased (
      changed bigint PRIMARY KEY,
      id text NOT NULL,
      centre_key text NOT NULL,
      case_worker text NOT NULL,
      mentor text NOT NULL
    );
    -- Whether two versions of a case row show it to the same logins; and, with the same
    -- document and trash, whether anything anyone sees changed (a refreshed summary is not).
    CREATE OR REPLACE FUNCTION keten.same_readers(a keten.cases, b keten.cases) RETURNS boolean
      LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
      AS $$ SELECT a.centre_key = b.centre_key AND a.case_worker = b.case_worker AND a.mentor = b.mentor $$;
    CREATE OR REPLACE FUNCTION keten.seen_unchanged(a keten.cases, b keten.cases) RETURNS boolean
      LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
      AS $$ SELECT a.doc IS NOT DISTINCT FROM b.doc AND a.trashed_on IS NOT DISTINCT FROM b.trashed_on
              AND keten.same_readers(a, b) $$;
    CREATE OR REPLACE FUNCTION keten.number_change() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND keten.seen_unchanged(OLD, NEW) THEN
          NEW.changed := OLD.changed;  -- a refreshed summary: nothing anyone sees changed
        ELSE
          NEW.changed := nextval('keten.change_seq');
        END IF;
        RETURN NEW;
      END $$;
    DROP TRIGGER IF EXISTS cases_number ON keten.cases;
    CREATE TRIGGER cases_number BEFORE INSERT OR UPDATE ON keten.cases
      FOR EACH ROW EXECUTE FUNCTION keten.number_change();
    CREATE OR REPLACE FUNCTION keten.notify_change() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$
      DECLARE n bigint;
      BEGIN
        IF TG_TABLE_NAME = 'records' THEN
          PERFORM pg_notify('keten_changes', 'records');
        ELSIF TG_OP = 'DELETE' THEN
          n := nextval('keten.change_seq');
          INSERT INTO keten.erased VALUES (n, OLD.id, OLD.centre_key, OLD.case_worker, OLD.mentor);
          PERFORM pg_notify('keten_changes', 'cases:' || n);
        ELSIF TG_OP = 'INSERT' OR NEW.changed <> OLD.changed THEN
          PERFORM pg_notify('keten_changes', 'cases:' || NEW.changed);
          -- Moved out of someone's sight (another centre, worker or mentor): those who saw it
          -- hear of it too, through the columns it had, so that their list lets it go.
          IF TG_OP = 'UPDATE' AND NOT keten.same_readers(OLD, NEW) THEN
            n := nextval('keten.change_seq');
            INSERT INTO keten.erased VALUES (n, OLD.id, OLD.centre_key, OLD.case_worker, OLD.mentor);
            PERFORM pg_notify('keten_changes', 'cases:' || n);
          END IF;
        END IF;
        RETURN NULL;
      END $$;
    -- Of the change numbers a listener heard, the cases it may see (whole, or in part as a
    -- trainer's participant or a mentor's mentee), erased ones too.
    CREATE OR REPLACE FUNCTION keten.changed_cases(numbers bigint[]) RETURNS SETOF text
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT DISTINCT x.id FROM (
                SELECT c.id, c.centre_key, c.case_worker, c.mentor FROM keten.cases c WHERE c.changed = ANY (numbers)
                UNION ALL
                SELECT e.id, e.centre_key, e.case_worker, e.mentor FROM keten.erased e WHERE e.changed = ANY (numbers)) x
            WHERE keten.sees(x.id, x.centre_key, x.case_worker, x.mentor) $$;
    DROP TRIGGER IF EXISTS cases_notify ON keten.cases;
    CREATE TRIGGER cases_notify AFTER INSERT OR UPDATE OR DELETE ON keten.cases
      FOR EACH ROW EXECUTE FUNCTION keten.notify_change();
    DROP TRIGGER IF EXISTS records_notify ON keten.records;
    CREATE TRIGGER records_notify AFTER INSERT OR UPDATE OR DELETE ON keten.records
      FOR EACH ROW EXECUTE FUNCTION keten.notify_change();

    ALTER TABLE keten.meta ENABLE ROW LEVEL SECURITY;
    ALTER TABLE keten.users ENABLE ROW LEVEL SECURITY;
    ALTER TABLE keten.cases ENABLE ROW LEVEL SECURITY;
    ALTER TABLE keten.records ENABLE ROW LEVEL SECURITY;
    ALTER TABLE keten.journal ENABLE ROW LEVEL SECURITY;
    ALTER TABLE keten.erased ENABLE ROW LEVEL SECURITY;
    ALTER TABLE keten.content ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS content_read ON keten.content;
    CREATE POLICY content_read ON keten.content FOR SELECT USING ((SELECT keten.my_role()) IS NOT NULL);  -- and no policy: staff reach it through keten.changed_cases only

    DROP POLICY IF EXISTS meta_read ON keten.meta;
    CREATE POLICY meta_read ON keten.meta FOR SELECT USING (keten.my_role() IS NOT NULL);

    DROP POLICY IF EXISTS users_read ON keten.users;
    CREATE POLICY users_read ON keten.users FOR SELECT USING (keten.my_role() IS NOT NULL);
    DROP POLICY IF EXISTS users_write ON keten.users;
    CREATE POLICY users_write ON keten.users FOR ALL
      USING (keten.my_role() = 'coordinator') WITH CHECK (keten.my_role() = 'coordinator');

    -- Whether the connected login may see a case: Keten's own rule (Viewer.maySee). Each
    -- look-up is a scalar subquery, worked out once per statement, not once per row.
    DROP POLICY IF EXISTS cases_read ON keten.cases;
    CREATE POLICY cases_read ON keten.cases FOR SELECT USING (\(seesWhole));
    DROP POLICY IF EXISTS cases_insert ON keten.cases;
    CREATE POLICY cases_insert ON keten.cases FOR INSERT
      WITH CHECK (\(seesWhole));
    DROP POLICY IF EXISTS cases_update ON keten.cases;
    CREATE POLICY cases_update ON keten.cases FOR UPDATE USING (\(seesWhole)) WITH CHECK (\(seesWhole));
    DROP FUNCTION IF EXISTS keten.may_see(text, text, text, text);  -- schema 1's per-row form
    DROP POLICY IF EXISTS cases_delete ON keten.cases;
    CREATE POLICY cases_delete ON keten.cases FOR DELETE USING (keten.my_role() = 'coordinator');

    -- Records as Keten's roles read and write them (Viewer.mayRead, mayWrite): coordinators and
    -- case workers all; a trainer the groups they train; a mentor their own registration.
    DROP POLICY IF EXISTS records_read ON keten.records;
    CREATE POLICY records_read ON keten.records FOR SELECT USING (
      (SELECT keten.my_role()) IN ('coordinator', 'case-worker')
      OR ((SELECT keten.my_role()) = 'trainer' AND kind = 'G' AND doc->'trainers' ? session_user)
      OR ((SELECT keten.my_role()) = 'mentor' AND kind = 'M' AND doc->>'login' = session_user));
    DROP POLICY IF EXISTS records_write ON keten.records;
    DROP POLICY IF EXISTS records_insert ON keten.records;
    CREATE POLICY records_insert ON keten.records FOR INSERT
      WITH CHECK ((SELECT keten.my_role()) IN ('coordinator', 'case-worker'));
    DROP POLICY IF EXISTS records_update ON keten.records;
    CREATE POLICY records_update ON keten.records FOR UPDATE
      USING ((SELECT keten.my_role()) IN ('coordinator', 'case-worker')
        OR ((SELECT keten.my_role()) = 'trainer' AND kind = 'G' AND doc->'trainers' ? session_user))
      WITH CHECK ((SELECT keten.my_role()) IN ('coordinator', 'case-worker')
        OR ((SELECT keten.my_role()) = 'trainer' AND kind = 'G' AND doc->'trainers' ? session_user));

    -- What row-level security cannot say, as it sees only the new row: a trainer may not change
    -- who is in a group or who trains it (that decides which cases they see); a case worker may
    -- not move a case to another centre; a revision moves by one, the document's with it.
    -- Whether a JSON value has a shape (see `groupShape`).
    -- (No exception blocks: each would be a subtransaction, one per value of a group.)
    CREATE OR REPLACE FUNCTION keten.is_date(t text) RETURNS boolean
      LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
      AS $$ SELECT CASE WHEN t IS NULL OR t !~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' THEN false
          WHEN left(t, 4) = '0000' THEN false
          ELSE substr(t, 9, 2)::int <= extract(day FROM make_date(left(t, 4)::int, substr(t, 6, 2)::int, 1)
            + interval '1 month - 1 day') END $$;
    CREATE OR REPLACE FUNCTION keten.fits(v jsonb, shape jsonb) RETURNS boolean
      LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp
      AS $$
      DECLARE k text; sub jsonb; key text;
      BEGIN
        IF jsonb_typeof(shape) = 'array' THEN
          RETURN jsonb_typeof(v) = 'array'
            AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v) e WHERE NOT keten.fits(e, shape->0));
        END IF;
        IF jsonb_typeof(shape) = 'object' THEN
          IF jsonb_typeof(v) IS DISTINCT FROM 'object' THEN RETURN false; END IF;
          IF shape ? '*' THEN
            RETURN NOT EXISTS (SELECT 1 FROM jsonb_each(v) e WHERE NOT keten.fits(e.value, shape->'*'));
          END IF;
          FOR k, sub IN SELECT * FROM jsonb_each(shape) LOOP
            key := rtrim(k, '?');
            IF v->key IS NULL OR v->key = 'null'::jsonb THEN
              IF right(k, 1) <> '?' THEN RETURN false; END IF;
            ELSIF NOT keten.fits(v->key, sub) THEN
              RETURN false;
            END IF;
          END LOOP;
          RETURN true;
        END IF;
        CASE shape #>> '{}'
          WHEN 'string' THEN RETURN jsonb_typeof(v) = 'string';
          -- A whole number (3.0 reads as 3), within 64 bits.
          WHEN 'integer' THEN RETURN jsonb_typeof(v) = 'number' AND (v #>> '{}') ~ '^-?[0-9]{1,18}(\\.0+)?$';
          WHEN 'date' THEN RETURN jsonb_typeof(v) = 'string' AND keten.is_date(v #>> '{}');
          WHEN 'timestamp' THEN RETURN jsonb_typeof(v) = 'string'
            AND (v #>> '{}') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$'
            AND keten.is_date(left(v #>> '{}', 10));
          ELSE RETURN jsonb_typeof(v) = 'string' AND (v #>> '{}') = ANY (string_to_array(shape #>> '{}', '|'));
        END CASE;
      END $$;

    CREATE OR REPLACE FUNCTION keten.guard_record() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF keten.is_owner() THEN
          RETURN NEW;
        END IF;
        -- A group that the app could no longer read, for anyone.
        IF NEW.kind = 'G' AND NOT keten.fits(NEW.doc, '\(groupShape)'::jsonb) THEN
          RAISE EXCEPTION 'a training group keeps the shape Keten reads (a field of another type, or one missing)' USING ERRCODE = '42501';
        END IF;
        -- A case is in a group once (a second entry for it would slip past what follows).
        IF NEW.kind = 'G' AND (SELECT count(*) <> count(DISTINCT p->>'case') FROM jsonb_array_elements(NEW.doc->'participants') p) THEN
          RAISE EXCEPTION 'a case is in a group once' USING ERRCODE = '42501';
        END IF;
        -- A case worker adds or removes only participants they may see (row-level security
        -- shows them no other case): a trainer of the group would see an added one.
        IF keten.my_role() = 'case-worker' AND NEW.kind = 'G' AND EXISTS (
            SELECT 1 FROM (
              (SELECT p->>'case' AS id FROM jsonb_array_elements(NEW.doc->'participants') p
                EXCEPT SELECT p->>'case' FROM jsonb_array_elements(CASE WHEN TG_OP = 'UPDATE' THEN OLD.doc->'participants' ELSE '[]'::jsonb END) p)
              UNION
              (SELECT p->>'case' FROM jsonb_array_elements(CASE WHEN TG_OP = 'UPDATE' THEN OLD.doc->'participants' ELSE '[]'::jsonb END) p
                EXCEPT SELECT p->>'case' FROM jsonb_array_elements(NEW.doc->'participants') p)) d
            WHERE NOT EXISTS (SELECT 1 FROM keten.cases c WHERE c.id = d.id)) THEN
          RAISE EXCEPTION 'a case worker adds to a group or removes from it only cases they may see' USING ERRCODE = '42501';
        END IF;
        -- Nor names a trainer for a group that holds cases they may not see, nor changes what
        -- the group holds about such a case.
        IF keten.my_role() = 'case-worker' AND NEW.kind = 'G' AND TG_OP = 'UPDATE' AND (
            (NEW.doc->'trainers' IS DISTINCT FROM OLD.doc->'trainers' AND EXISTS (
              SELECT 1 FROM jsonb_array_elements(NEW.doc->'participants') p
              WHERE NOT EXISTS (SELECT 1 FROM keten.cases c WHERE c.id = p->>'case')))
            OR EXISTS (SELECT 1 FROM jsonb_array_elements(OLD.doc->'participants') o
              WHERE NOT EXISTS (SELECT 1 FROM keten.cases c WHERE c.id = o->>'case')
                AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(NEW.doc->'participants') n WHERE n = o))) THEN
          RAISE EXCEPTION 'a case worker changes a group only as far as the cases they may see' USING ERRCODE = '42501';
        END IF;
        -- Whose mentees a registration shows is a coordinator's to change.
        IF keten.my_role() = 'case-worker' AND NEW.kind = 'M' AND TG_OP = 'UPDATE' AND NEW.doc->'login' IS DISTINCT FROM OLD.doc->'login' THEN
          RAISE EXCEPTION 'a mentor''s login is a coordinator''s to change' USING ERRCODE = '42501';
        END IF;
        IF TG_OP = 'INSERT' THEN
          RETURN NEW;
        END IF;
        IF keten.my_role() = 'trainer' AND (
            NEW.doc->'trainers' IS DISTINCT FROM OLD.doc->'trainers'
            OR (SELECT coalesce(jsonb_agg(p->'case' ORDER BY p->>'case'), '[]') FROM jsonb_array_elements(NEW.doc->'participants') p)
              IS DISTINCT FROM
              (SELECT coalesce(jsonb_agg(p->'case' ORDER BY p->>'case'), '[]') FROM jsonb_array_elements(OLD.doc->'participants') p)) THEN
          RAISE EXCEPTION 'a trainer may not change who is in a group or who trains it' USING ERRCODE = '42501';
        END IF;
        IF NEW.id IS DISTINCT FROM OLD.id OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.revision <> OLD.revision + 1
            OR (NEW.doc->>'revision')::int IS DISTINCT FROM NEW.revision OR NEW.doc->>'id' IS DISTINCT FROM NEW.id THEN
          RAISE EXCEPTION 'a record changes by one revision at a time, its document with it' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$;
    DROP TRIGGER IF EXISTS records_guard ON keten.records;
    CREATE TRIGGER records_guard BEFORE INSERT OR UPDATE ON keten.records
      FOR EACH ROW EXECUTE FUNCTION keten.guard_record();

    CREATE OR REPLACE FUNCTION keten.guard_case() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF keten.is_owner() THEN
          RETURN NEW;
        END IF;
        -- A mentor's or trainer's save (a check-in) never hands the case to anyone, nor to the trash.
        IF TG_OP = 'UPDATE' AND keten.my_role() IN ('mentor', 'trainer') AND (
            NEW.centre_key IS DISTINCT FROM OLD.centre_key OR NEW.case_worker IS DISTINCT FROM OLD.case_worker
            OR NEW.mentor IS DISTINCT FROM OLD.mentor OR NEW.trashed_on IS DISTINCT FROM OLD.trashed_on) THEN
          RAISE EXCEPTION 'a mentor or trainer may not change whose case it is' USING ERRCODE = '42501';
        END IF;
        -- A case worker's new or moved case is in their own centre: the column, and the
        -- document's centre too (in any case of letters).
        IF keten.my_role() = 'case-worker' AND (
            (NEW.centre_key <> coalesce(keten.my_centre(), '')
              AND (TG_OP = 'INSERT' OR NEW.centre_key IS DISTINCT FROM OLD.centre_key))
            OR ((TG_OP = 'INSERT' OR NEW.doc->'person'->>'centre' IS DISTINCT FROM OLD.doc->'person'->>'centre')
              AND lower(coalesce(NEW.doc->'person'->>'centre', '')) IS DISTINCT FROM
                lower(coalesce((SELECT u.doc->>'centre' FROM keten.users u WHERE u.login = session_user), '')))) THEN
          RAISE EXCEPTION 'a case worker may not put a case in another centre than their own' USING ERRCODE = '42501';
        END IF;
        IF TG_OP = 'UPDATE' AND (NEW.id IS DISTINCT FROM OLD.id
            OR (NEW.revision <> OLD.revision + 1 AND NEW.doc IS DISTINCT FROM OLD.doc)
            OR (NEW.revision <> OLD.revision AND NEW.doc IS NOT DISTINCT FROM OLD.doc)) THEN
          RAISE EXCEPTION 'a case changes by one revision at a time' USING ERRCODE = '42501';
        END IF;
        IF (NEW.doc->>'revision')::int IS DISTINCT FROM NEW.revision OR NEW.doc->>'id' IS DISTINCT FROM NEW.id THEN
          RAISE EXCEPTION 'a case row holds its own document at its revision' USING ERRCODE = '42501';
        END IF;
        -- Who sees the case follows its document: its case worker, and the mentor of its last
        -- open pair while the case is open (as `caseColumns` makes them).
        IF NEW.case_worker IS DISTINCT FROM coalesce(NEW.doc->'person'->>'caseWorker', '')
            OR NEW.mentor IS DISTINCT FROM (CASE WHEN coalesce(NEW.doc->'closed', 'null'::jsonb) <> 'null'::jsonb THEN ''
              ELSE coalesce((SELECT p->>'mentor' FROM jsonb_array_elements(CASE jsonb_typeof(NEW.doc->'mentoring')
                  WHEN 'array' THEN NEW.doc->'mentoring' ELSE '[]'::jsonb END) WITH ORDINALITY AS t(p, n)
                WHERE coalesce(p->'closure', 'null'::jsonb) = 'null'::jsonb ORDER BY n DESC LIMIT 1), '') END) THEN
          RAISE EXCEPTION 'a case row''s case worker and mentor are those its document names' USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$;
    DROP TRIGGER IF EXISTS cases_guard ON keten.cases;
    CREATE TRIGGER cases_guard BEFORE INSERT OR UPDATE ON keten.cases
      FOR EACH ROW EXECUTE FUNCTION keten.guard_case();

    -- The journal's truth, both ways, for staff (the owner's migrate and db-init are trusted):
    -- a change to a case or record commits only with an entry about it added in the same
    -- transaction (a deferred check, at commit); an entry that says a case or record was
    -- created, changed, trashed or restored is added only in the transaction that did it.
    -- "In this transaction" is the row's xmin, which no login can choose. A change is a
    -- create, change, trash or restore entry (an intent, an open or an export does not count);
    -- a deletion, an erase entry. A change of the columns that decide who sees the case counts
    -- as a change.
    -- What each transaction in flight has journalled as a change (filled by the journal's
    -- insert trigger, as the owner; staff hold no grant on it): a save's check at commit is
    -- then one look-up, however long the case's history. Rows of finished transactions are
    -- pruned as entries come in; unlogged, as only transactions in flight need it.
    CREATE UNLOGGED TABLE IF NOT EXISTS keten.journalled (
      xid xid8 NOT NULL,
      case_id text NOT NULL DEFAULT '',
      record_id text NOT NULL DEFAULT '',
      erased boolean NOT NULL,
      PRIMARY KEY (xid, case_id, record_id, erased)
    );
    ALTER TABLE keten.journalled ENABLE ROW LEVEL SECURITY;
    CREATE OR REPLACE FUNCTION keten.journalled_now(case_id text, record_id text, erased boolean) RETURNS boolean
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT EXISTS (SELECT 1 FROM keten.journalled j WHERE j.xid = pg_current_xact_id()
              AND j.case_id = coalesce(journalled_now.case_id, '') AND j.record_id = coalesce(journalled_now.record_id, '')
              AND j.erased = journalled_now.erased) $$;
    DROP FUNCTION IF EXISTS keten.journalled_now(text, text, integer);  -- an earlier form
    -- Whether the connected login may see a case (whole, or as a trainer's participant or a
    -- mentor's mentee): entries about a case come only from those who may.
    CREATE OR REPLACE FUNCTION keten.may_see_case(case_id text) RETURNS boolean
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT EXISTS (SELECT 1 FROM keten.cases c WHERE c.id = case_id AND keten.sees(c.id, c.centre_key, c.case_worker, c.mentor))
            OR (keten.my_role() = 'coordinator' AND NOT EXISTS (SELECT 1 FROM keten.cases c WHERE c.id = case_id)) $$;
    CREATE OR REPLACE FUNCTION keten.case_exists(case_id text) RETURNS boolean
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT EXISTS (SELECT 1 FROM keten.cases c WHERE c.id = case_id) $$;
    CREATE OR REPLACE FUNCTION keten.written_now(case_id text, record_id text) RETURNS boolean
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$ SELECT (case_id IS NOT NULL OR record_id IS NOT NULL)
          AND (case_id IS NULL OR EXISTS (SELECT 1 FROM keten.cases c WHERE c.id = case_id AND c.xmin = pg_current_xact_id()::xid))
          AND (record_id IS NULL OR EXISTS (SELECT 1 FROM keten.records r WHERE r.id = record_id AND r.xmin = pg_current_xact_id()::xid)) $$;
    CREATE OR REPLACE FUNCTION keten.require_entry() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$
      DECLARE found boolean;
      BEGIN
        IF keten.is_owner() THEN
          RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.doc IS NOT DISTINCT FROM OLD.doc THEN
          IF TG_TABLE_NAME = 'records' THEN
            RETURN NULL;
          END IF;
          -- A listing's refreshed summary changes neither the document, the trash, nor whose
          -- case it is.
          IF keten.seen_unchanged(OLD, NEW) THEN
            RETURN NULL;
          END IF;
        END IF;
        IF TG_TABLE_NAME = 'cases' THEN
          found := keten.journalled_now(coalesce(NEW.id, OLD.id), NULL, TG_OP = 'DELETE');
        ELSE
          found := keten.journalled_now(NULL, coalesce(NEW.id, OLD.id), false);
        END IF;
        IF NOT found THEN
          RAISE EXCEPTION 'a change to % % has no journal entry in its transaction; nothing was changed',
            TG_TABLE_NAME, coalesce(NEW.id, OLD.id) USING ERRCODE = '42501';
        END IF;
        RETURN NULL;
      END $$;
    DROP TRIGGER IF EXISTS cases_journalled ON keten.cases;
    CREATE CONSTRAINT TRIGGER cases_journalled AFTER INSERT OR UPDATE OR DELETE ON keten.cases
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keten.require_entry();
    DROP TRIGGER IF EXISTS records_journalled ON keten.records;
    CREATE CONSTRAINT TRIGGER records_journalled AFTER INSERT OR UPDATE OR DELETE ON keten.records
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION keten.require_entry();

    -- What an entry says of when, and of the revision a change wrote, is the database's (a
    -- client's clock, or a login with psql, could say anything).
    CREATE OR REPLACE FUNCTION keten.stamp_entry() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
      AS $$
      BEGIN
        IF keten.is_owner() OR jsonb_typeof(NEW.entry) IS DISTINCT FROM 'object' THEN
          RETURN NEW;
        END IF;
        -- The moment of the entry itself (not of its transaction's start, which a session could
        -- hold open to backdate it).
        NEW.entry := NEW.entry || jsonb_build_object('at', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
        -- A done change (or erasure) entry is what a change in this transaction needs at commit.
        IF coalesce(NEW.entry->>'state', 'done') = 'done' AND (NEW.entry->>'action' = ANY (\(changeActions))
            OR NEW.entry->>'action' = 'erase') THEN
          DELETE FROM keten.journalled j WHERE j.xid < pg_snapshot_xmin(pg_current_snapshot());
          INSERT INTO keten.journalled VALUES (pg_current_xact_id(), coalesce(NEW.case_id, ''), coalesce(NEW.record_id, ''),
            NEW.entry->>'action' = 'erase') ON CONFLICT DO NOTHING;
        END IF;
        IF NEW.entry->>'action' IN ('create', 'change') AND coalesce(NEW.entry->>'state', 'done') = 'done' THEN
          IF NEW.case_id IS NOT NULL THEN
            NEW.entry := NEW.entry || coalesce((SELECT jsonb_build_object('revision', c.revision) FROM keten.cases c WHERE c.id = NEW.case_id), '{}'::jsonb);
          ELSIF NEW.record_id IS NOT NULL THEN
            NEW.entry := NEW.entry || coalesce((SELECT jsonb_build_object('revision', r.revision) FROM keten.records r WHERE r.id = NEW.record_id), '{}'::jsonb);
          END IF;
        END IF;
        RETURN NEW;
      END $$;
    DROP TRIGGER IF EXISTS journal_stamp ON keten.journal;
    CREATE TRIGGER journal_stamp BEFORE INSERT ON keten.journal FOR EACH ROW EXECUTE FUNCTION keten.stamp_entry();

    DROP POLICY IF EXISTS journal_read ON keten.journal;
    CREATE POLICY journal_read ON keten.journal FOR SELECT
      USING (keten.my_role() = 'coordinator' OR login = session_user);
    DROP POLICY IF EXISTS journal_add ON keten.journal;
    CREATE POLICY journal_add ON keten.journal FOR INSERT
      WITH CHECK ((SELECT keten.my_role()) IS NOT NULL AND login = session_user AND entry->>'user' = session_user
        AND jsonb_typeof(entry) = 'object'
        AND coalesce(entry->>'at', '') ~ \(timestampPattern)
        AND (entry->>'at')::timestamptz IS NOT NULL  -- an impossible time is an error, so refused
        AND NOT EXISTS (SELECT 1 FROM jsonb_object_keys(entry) k
          WHERE k NOT IN ('at', 'user', 'action', 'case', 'record', 'revision', 'paths', 'detail', 'ref', 'state'))
        AND coalesce(jsonb_typeof(entry->'case'), 'string') = 'string' AND coalesce(jsonb_typeof(entry->'record'), 'string') = 'string'
        AND coalesce(jsonb_typeof(entry->'detail'), 'string') = 'string' AND coalesce(jsonb_typeof(entry->'ref'), 'string') = 'string'
        AND coalesce(jsonb_typeof(entry->'revision'), 'number') = 'number'
        AND coalesce(jsonb_typeof(entry->'paths'), 'array') = 'array'
        AND coalesce(entry->>'state', 'done') IN ('intent', 'done', 'failed')
        AND entry->>'action' IN (\(PostgresSchema.journalActions))
        AND (entry->>'case') IS NOT DISTINCT FROM case_id AND (entry->>'record') IS NOT DISTINCT FROM record_id
        AND (entry->>'action' NOT IN ('create', 'change', 'delete', 'restore') OR coalesce(entry->>'state', 'done') = 'intent'
          OR keten.written_now(case_id, record_id))
        -- About a case only from whoever may see it; an erasure only from a coordinator, and
        -- (but for its intent) once the case is gone.
        AND (case_id IS NULL OR keten.may_see_case(case_id))
        AND (entry->>'action' <> 'erase' OR ((SELECT keten.my_role()) = 'coordinator'
          AND (coalesce(entry->>'state', 'done') = 'intent' OR NOT keten.case_exists(case_id)))));

    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keten_staff') THEN
        BEGIN
          CREATE ROLE keten_staff NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
          RAISE EXCEPTION 'the group role keten_staff does not exist and this login may not create it; a database administrator runs: CREATE ROLE keten_staff NOLOGIN';
        END;
      END IF;
    END $$;
    REVOKE ALL ON ALL TABLES IN SCHEMA keten FROM PUBLIC;
    REVOKE ALL ON ALL FUNCTIONS IN SCHEMA keten FROM PUBLIC;
    GRANT USAGE ON SCHEMA keten TO keten_staff;
    GRANT SELECT ON keten.meta, keten.content TO keten_staff;
    -- Staff pass nothing on, and reach keten.erased only through keten.changed_cases.
    REVOKE GRANT OPTION FOR ALL ON ALL TABLES IN SCHEMA keten FROM keten_staff;
    REVOKE GRANT OPTION FOR ALL ON ALL SEQUENCES IN SCHEMA keten FROM keten_staff;
    REVOKE GRANT OPTION FOR ALL ON ALL FUNCTIONS IN SCHEMA keten FROM keten_staff;
    REVOKE ALL ON keten.erased FROM keten_staff;
    -- Column by column, never the whole table (`updatableColumns`): revoking the table-wide
    -- privilege of a store set up before also revokes its columns', so they are granted after.
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON keten.meta, keten.content FROM keten_staff;
    REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON keten.users, keten.cases, keten.records, keten.journal
      FROM keten_staff;
    GRANT SELECT, INSERT ON keten.users, keten.cases, keten.records TO keten_staff;
    GRANT UPDATE (\(updatableColumns["users"]!)) ON keten.users TO keten_staff;
    GRANT UPDATE (\(updatableColumns["cases"]!)) ON keten.cases TO keten_staff;
    GRANT UPDATE (\(updatableColumns["records"]!)) ON keten.records TO keten_staff;
    -- Only staff may connect: a login outside Keten would otherwise hear which cases change.
    DO $$ BEGIN
      EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
      EXECUTE format('GRANT CONNECT ON DATABASE %I TO keten_staff', current_database());
    END $$;
    -- Entries only: their number and login are the database's (a guessed number taken ahead
    -- would jam later saves; another's login would forge them).
    REVOKE INSERT ON keten.journal FROM keten_staff;
    GRANT SELECT ON keten.journal TO keten_staff;
    GRANT INSERT (case_id, record_id, entry) ON keten.journal TO keten_staff;
    GRANT USAGE ON SEQUENCE keten.journal_seq_seq TO keten_staff;
    GRANT EXECUTE ON FUNCTION keten.is_owner(), keten.my_role(), keten.my_centre(), keten.my_mentor_ids(), keten.my_participants(),
      keten.journalled_now(text, text, boolean), keten.written_now(text, text), keten.is_date(text), keten.fits(jsonb, jsonb),
      keten.sees(text, text, text, text), keten.may_see_case(text), keten.case_exists(text),
      keten.changed_cases(bigint[]),
      keten.next_id(text, integer), keten.id_counters() TO keten_staff;
    INSERT INTO keten.meta VALUES ('schema', '1') ON CONFLICT (key) DO NOTHING;
    """
  }

  /// Drops what a DBA (or an intruder with the owner's rights) added to Keten's schema that
  /// widens who sees or changes what: a policy Keten does not make, and any grant on its tables
  /// (or their columns), sequences or functions to a role other than the owner and keten_staff.
  static var removeForeignAccess: String {
    """
    DO $$
    DECLARE
      p record;
      keep constant oid[] := ARRAY[(SELECT nspowner FROM pg_namespace WHERE nspname = 'keten'),
        (SELECT oid FROM pg_roles WHERE rolname = 'keten_staff')];
    BEGIN
      FOR p IN SELECT tablename, policyname FROM pg_policies
          WHERE schemaname = 'keten' AND NOT (policyname = ANY (\(textArray(policies)))) LOOP
        EXECUTE format('DROP POLICY %I ON keten.%I', p.policyname, p.tablename);
      END LOOP;
      -- The schema itself: only the owner creates in it; staff use it.
      FOR p IN SELECT a.grantee FROM pg_namespace n, LATERAL aclexplode(n.nspacl) a
          WHERE n.nspname = 'keten' AND a.grantee <> 0 AND NOT (a.grantee = ANY (keep)) LOOP
        EXECUTE format('REVOKE ALL ON SCHEMA keten FROM %s', p.grantee::regrole::text);  -- regrole quotes it
      END LOOP;
      -- Default privileges that would open what the owner makes next.
      FOR p IN SELECT d.defaclobjtype AS kind, a.grantee FROM pg_default_acl d
          JOIN pg_namespace n ON n.oid = d.defaclnamespace, LATERAL aclexplode(d.defaclacl) a
          WHERE n.nspname = 'keten' AND d.defaclrole = keep[1] AND a.grantee <> keep[1] LOOP
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA keten REVOKE ALL ON %s FROM %s',
          CASE p.kind WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS' ELSE 'TYPES' END,
          CASE p.grantee WHEN 0 THEN 'PUBLIC' ELSE p.grantee::regrole::text END);
      END LOOP;
      FOR p IN SELECT DISTINCT c.relname, c.relkind, a.grantee FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace,
          LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
          WHERE n.nspname = 'keten' AND c.relkind IN ('r', 'S') AND c.relowner = keep[1] AND a.grantee <> 0 AND NOT (a.grantee = ANY (keep)) LOOP
        EXECUTE format('REVOKE ALL ON %s keten.%I FROM %s',
          CASE p.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, p.relname, p.grantee::regrole::text);
      END LOOP;
      FOR p IN SELECT DISTINCT c.relname, att.attname, a.grantee FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute att ON att.attrelid = c.oid AND att.attacl IS NOT NULL,
          LATERAL aclexplode(att.attacl) a
          WHERE n.nspname = 'keten' AND c.relowner = keep[1] AND a.grantee <> 0 AND NOT (a.grantee = ANY (keep)) LOOP
        EXECUTE format('REVOKE ALL (%I) ON keten.%I FROM %s', p.attname, p.relname, p.grantee::regrole::text);
      END LOOP;
      FOR p IN SELECT DISTINCT f.oid::regprocedure AS fn, a.grantee FROM pg_proc f
          JOIN pg_namespace n ON n.oid = f.pronamespace,
          LATERAL aclexplode(coalesce(f.proacl, acldefault('f', f.proowner))) a
          WHERE n.nspname = 'keten' AND f.proowner = keep[1] AND a.grantee <> 0 AND NOT (a.grantee = ANY (keep)) LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM %s', p.fn, p.grantee::regrole::text);
      END LOOP;
    END $$;
    """
  }
}
