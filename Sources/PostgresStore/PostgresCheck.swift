import CaseStore
import Foundation

/// `keten check` on a database: every case, record, user and journal row read and validated as
/// on a folder, and the database's own guarantees verified — row-level security on every table,
/// the journal append-only for staff, no table owned by or open to staff or PUBLIC beyond their
/// grants, and every id counter past every id in use.
struct PostgresCheck {
  let backend: PostgresBackend

  func run(rules: CaseRules, today: LocalDate, progress: ((Int) -> Void)? = nil) -> CheckReport {
    var report = CheckReport()
    func problem(_ file: String, _ text: String) { report.problems.append(DamagedFile(file: file, problem: text)) }
    do {
      try checkSecurity(problem)
      var used: [String: Int] = [:]
      func note(_ id: String) {
        let parts = id.split(separator: "-")
        guard parts.count == 3, let number = Int(parts[2]) else { return }
        let key = String(parts[0]) + "-" + String(parts[1])
        used[key] = max(used[key] ?? 0, number)
      }
      // A few hundred rows at a time: 100,000 documents at once would hold half a gigabyte.
      var after = ""
      while true {
        let cases = try backend.withConnection("check the cases") {
          c throws(PGFailure) -> [(String, Data, String, String?, [String?], Int?)] in
          let rows = try c.query(
            """
            SELECT id, doc::text, summary, rules_version, trashed_on::text, centre_key, case_worker, mentor, revision
            FROM keten.cases WHERE id COLLATE "C" > $1 ORDER BY id COLLATE "C" LIMIT 500
            """, [after])
          return (0..<rows.count).map { i in
            (
              rows.string(i, 0) ?? "", rows.data(i, 1), rows.string(i, 3) == rules.version ? rows.string(i, 2) ?? "" : "",
              rows.string(i, 4), [rows.string(i, 5), rows.string(i, 6), rows.string(i, 7)], rows.int(i, 8)
            )
          }
        }
        guard let last = cases.last else { break }
        after = last.0
        for (id, data, summary, trashed, access, revision) in cases {
          report.checked += 1
          if report.checked % 1_000 == 0 { progress?(report.checked) }
          if trashed != nil { report.trashed += 1 }
          note(id)
          let shown = "keten.cases " + id
          guard let caseID = try? CaseID(id) else {
            problem(shown, "its id is not a case id (K-YEAR-NUMBER)")
            continue
          }
          do {
            let stored = try StoredCase.decoded(from: data, id: caseID)
            let issues = stored.document.validationIssues(today: today)
            if !issues.isEmpty { problem(shown, Store.valueless(issues)) }
            // A save matches the revision the document holds: a column that says otherwise makes
            // every save of the case a conflict.
            if revision != stored.document.revision {
              problem(
                shown,
                "its revision column (\(revision.map(String.init) ?? "empty")) differs from its document's revision (\(stored.document.revision)), so every save of it is refused as a conflict: the owner sets the column to the document's revision")
            }
            // The columns row-level security decides on must say what the document says.
            if Array(PostgresBackend.caseColumns(stored.document, rules: rules)[2...4]) != access {
              problem(
                shown,
                "its centre, case worker or mentor columns do not match its document, so the wrong people may see it: a coordinator saves the case again (or `keten migrate` it out and back)")
            }
            let line = SummaryLine.text(CaseSummary(document: stored.document, rules: rules))
            if summary != line {
              // Made under other rules (an upgrade) or by hand: made again, as a folder's index is.
              report.staleIndexEntries += 1
              _ = try backend.withConnection("refresh the summary of \(id)") { c throws(PGFailure) in
                try c.query(
                  "UPDATE keten.cases SET summary = $1, rules_version = $2 WHERE id = $3", [line, rules.version, id])
              }
            }
          } catch {
            problem(shown, error.description)
          }
        }
      }
      let records = try backend.withConnection("check the records") { c throws(PGFailure) -> [(String, String)] in
        let rows = try c.query("SELECT id, kind FROM keten.records ORDER BY id")
        return (0..<rows.count).map { (rows.string($0, 0) ?? "", rows.string($0, 1) ?? "") }
      }
      for (id, kind) in records {
        report.checked += 1
        note(id)
        if let issue = recordProblem(id: id, kind: kind, today: today) { problem("keten.records " + id, issue) }
      }
      do {
        _ = try Store(backend: backend, rules: rules).users()
      } catch {
        problem("keten.users", error.description)
      }
      let journal = try backend.journal.readAll()
      for line in journal.damage.garbage { problem("keten.journal", "row \(line) is not a journal entry") }
      for entry in journal.entries {
        if let id = entry.caseID { note(id.rawValue) }
        if let id = entry.record { note(id) }
      }
      let counters = try backend.withConnection("read the id counters") { c throws(PGFailure) -> [String: Int] in
        let rows = try c.query("SELECT prefix, year, last FROM keten.id_counters()")
        var out: [String: Int] = [:]
        for i in 0..<rows.count { out["\(rows.string(i, 0) ?? "")-\(rows.string(i, 1) ?? "")"] = rows.int(i, 2) ?? 0 }
        return out
      }
      for key in used.keys.sorted() where (counters[key] ?? 0) < used[key]! {
        problem(
          "keten.id_\(key.replacingOccurrences(of: "-", with: "_"))",
          "the id counter stands at \(counters[key] ?? 0), behind \(key)-\(used[key]!) already in use: new ids could clash; `keten db-init` run by the owner raises it")
      }
    } catch {
      problem(backend.location, error.description)
    }
    return report
  }

  /// A record row that does not hold a valid record of its kind, or nil.
  private func recordProblem(id: String, kind: String, today: LocalDate) -> String? {
    func check<R: StoreRecord>(_ type: R.Type) -> String? {
      do {
        let stored = try backend.record(R.self, id)
        let issues = stored.record.validationIssues(today: today)
        return issues.isEmpty ? nil : Store.valueless(issues)
      } catch {
        return error.description
      }
    }
    guard let type = Store.recordType(prefix: kind) else { return "its kind '\(kind)' is none Keten keeps" }
    return check(type)
  }

  /// Row-level security on every table; the journal append-only for staff; nothing open to
  /// PUBLIC; no table owned by the staff role.
  private func checkSecurity(_ problem: (String, String) -> Void) throws(StoreError) {
    let staff = PostgresSchema.staffRole
    let rows = try backend.withConnection("check the tables' security") { c throws(PGFailure) -> [[String?]] in
      let rows = try c.query(
        """
        SELECT t.relname, t.relrowsecurity::text, pg_get_userbyid(t.relowner),
          has_table_privilege($1, t.oid, 'SELECT')::text, has_any_column_privilege($1, t.oid, 'INSERT')::text,
          has_table_privilege($1, t.oid, 'UPDATE')::text, has_table_privilege($1, t.oid, 'DELETE')::text,
          has_table_privilege($1, t.oid, 'TRUNCATE')::text, has_table_privilege('public', t.oid, 'SELECT')::text,
          pg_has_role($1, t.relowner, 'MEMBER')::text,
          (t.relname = 'journal' AND has_column_privilege($1, t.oid, 'seq', 'INSERT'))::text,
          (t.relname = 'journal' AND has_column_privilege($1, t.oid, 'login', 'INSERT'))::text
        FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = 'keten' AND t.relkind = 'r'
        """, [staff])
      return (0..<rows.count).map { i in (0..<12).map { rows.string(i, $0) } }
    }
    let more = try backend.withConnection("check the roles and triggers") { c throws(PGFailure) -> [String?] in
      let r = try c.query(
        """
        SELECT
          (SELECT string_agg(tablename || ': ' || policyname, ', ') FROM pg_policies
            WHERE schemaname = 'keten' AND NOT (policyname = ANY ($2::text[]))),
          (SELECT string_agg(r.rolname, ', ') FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid
            WHERE m.roleid = $1::regrole AND (r.rolbypassrls OR r.rolsuper)),
          (pg_has_role($1, 'pg_read_all_data', 'MEMBER') OR pg_has_role($1, 'pg_write_all_data', 'MEMBER'))::text,
          has_schema_privilege($1, 'keten', 'CREATE')::text,
          (SELECT string_agg(n, ', ') FROM unnest(\(PostgresSchema.textArray(PostgresSchema.triggers))) n
            WHERE NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgname = n AND t.tgenabled <> 'D'
              AND t.tgrelid IN ('keten.cases'::regclass, 'keten.records'::regclass, 'keten.journal'::regclass))),
          has_function_privilege($1, 'keten.raise_counter(text, integer, bigint)', 'EXECUTE')::text,
          (SELECT string_agg(r.rolname, ', ') FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid
            WHERE m.roleid = $1::regrole
              AND pg_has_role(r.oid, (SELECT nspowner FROM pg_namespace WHERE nspname = 'keten'), 'MEMBER')),
          \(PostgresSchema.foreignObjects),
          (SELECT string_agg(DISTINCT what, '; ') FROM (
            SELECT a.grantee::regrole::text || ' may create in the schema' AS what FROM pg_namespace n, LATERAL aclexplode(n.nspacl) a
              WHERE n.nspname = 'keten' AND a.privilege_type = 'CREATE' AND a.grantee <> n.nspowner
            UNION ALL
            SELECT 'default privileges open new objects to ' || CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
              FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace, LATERAL aclexplode(d.defaclacl) a
              WHERE n.nspname = 'keten' AND a.grantee <> d.defaclrole
            UNION ALL
            SELECT $1 || ' may pass on its rights to keten.' || c.relname FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace, LATERAL aclexplode(c.relacl) a
              WHERE n.nspname = 'keten' AND a.grantee = $1::regrole AND a.is_grantable
            UNION ALL
            SELECT $1 || ' may read keten.erased' WHERE has_table_privilege($1, 'keten.erased', 'SELECT')
            UNION ALL
            SELECT a.grantee::regrole::text || ' holds ' || a.privilege_type || ' on keten.' || c.relname FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace, LATERAL aclexplode(c.relacl) a
              WHERE n.nspname = 'keten' AND a.grantee NOT IN (0, c.relowner, $1::regrole)
            UNION ALL
            SELECT a.grantee::regrole::text || ' holds ' || a.privilege_type || ' on keten.' || c.relname || '.' || att.attname
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute att ON att.attrelid = c.oid AND att.attacl IS NOT NULL, LATERAL aclexplode(att.attacl) a
              WHERE n.nspname = 'keten' AND a.grantee NOT IN (0, c.relowner, $1::regrole)
            UNION ALL
            SELECT a.grantee::regrole::text || ' may run keten.' || f.proname FROM pg_proc f
              JOIN pg_namespace n ON n.oid = f.pronamespace, LATERAL aclexplode(f.proacl) a
              WHERE n.nspname = 'keten' AND a.grantee NOT IN (0, f.proowner, $1::regrole)
            UNION ALL
            SELECT 'keten.content has lost its check on paths' WHERE NOT EXISTS (SELECT 1 FROM pg_constraint
              WHERE conrelid = 'keten.content'::regclass AND conname = 'content_path_check')) w)
        """, [staff, PostgresBackend.array(PostgresSchema.policies)])
      return (0..<9).map { r.string(0, $0) }
    }
    if let extra = more[0] {
      problem("keten", "policies Keten did not make widen what staff see (\(extra)): `keten db-init`, run by the owner, drops them")
    }
    if let logins = more[1] {
      problem("keten_staff", "staff logins pass row-level security by role attribute (\(logins)): `ALTER ROLE … NOBYPASSRLS NOSUPERUSER`")
    }
    if more[2] == "true" { problem("keten_staff", "it may read or write every table (pg_read_all_data or pg_write_all_data): revoke it") }
    if more[3] == "true" { problem("keten", "\(staff) may create objects in the schema: `REVOKE CREATE ON SCHEMA keten FROM \(staff)`") }
    if let triggers = more[4] {
      problem("keten", "triggers missing or disabled (\(triggers)): the guards and live notifications depend on them; `keten db-init` puts them back")
    }
    if more[5] == "true" {
      problem("keten.raise_counter", "\(staff) may move id counters: `REVOKE EXECUTE ON FUNCTION keten.raise_counter(text, integer, bigint) FROM \(staff)`")
    }
    if let foreign = more[7] {
      problem(
        "keten",
        "it holds objects Keten did not make (\(foreign)), which could show staff what row-level security hides: a superuser drops them")
    }
    if let wider = more[8] {
      problem("keten", "access wider than Keten grants (\(wider)): `keten db-init`, run by the owner, takes it back")
    }
    if let owners = more[6] {
      problem(
        "keten_staff",
        "staff logins may act as the schema's owner (\(owners)), whom row-level security does not bind: `REVOKE` that membership")
    }
    let found = Set(rows.compactMap { $0[0] })
    for table in PostgresSchema.tables where !found.contains(table) {
      problem("keten." + table, "the table is missing (or this login may not see it); `keten db-init` run by the owner sets it up")
    }
    for row in rows {
      let table = "keten." + (row[0] ?? "?")
      if row[1] != "true" {
        problem(table, "row-level security is off: every staff login sees every row; `ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY` (or `keten db-init`)")
      }
      if row[9] == "true" {
        problem(table, "it is owned by \(row[2] ?? "?"), a role \(staff) belongs to: its owner is not bound by row-level security; give it to another role")
      }
      if row[8] == "true" { problem(table, "PUBLIC may read it: `REVOKE ALL ON \(table) FROM PUBLIC`") }
      if row[5] == "true" || row[6] == "true" || row[7] == "true" {
        problem(
          table,
          row[0] == "journal"
            ? "\(staff) may change or remove journal entries: `REVOKE UPDATE, DELETE, TRUNCATE ON \(table) FROM \(staff)`"
            : "\(staff) holds a table-wide UPDATE, DELETE or TRUNCATE, with which any staff login may lock the table against every save: `keten db-init`, run by the owner, grants column by column")
      }
      if row[0] == "journal" {
        if row[3] != "true" || row[4] != "true" {
          problem(table, "\(staff) may not read or add journal entries: `GRANT SELECT, INSERT (case_id, record_id, entry) ON \(table) TO \(staff)`")
        }
        if row[10] == "true" || row[11] == "true" {
          problem(table, "\(staff) may choose an entry's number or login: `REVOKE INSERT ON \(table) FROM \(staff)`, then `GRANT INSERT (case_id, record_id, entry) ON \(table) TO \(staff)`")
        }
      }
    }
  }
}
