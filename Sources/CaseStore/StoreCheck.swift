import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What `keten check` found.
public struct CheckReport: Sendable {
  public var checked = 0
  /// Problems to fix: each names the file (and the line or position where it applies) and what
  /// to do. Any problem makes `keten check` exit 1.
  public var problems: [DamagedFile] = []
  /// What check noticed and repaired or left as it is on purpose (a torn journal line, a
  /// rebuilt index); not problems.
  public var notes: [String] = []
  /// Index entries that did not match their file (refreshed; the index is only a cache).
  public var staleIndexEntries = 0
  public var trashed = 0

  public var isClean: Bool { problems.isEmpty }

  public init() {}
}

extension Store {
  /// Checks the whole store: every case and trash file, every record folder, the users file,
  /// the sequence, the index and the journal — contents, links, owners and modes — and
  /// rebuilds the index from scratch and a damaged or lagging sequence from everything that
  /// used an id. Fixes fit how the store is shared.
  /// `progress` hears the number of files checked now and then (a terminal shows it).
  public func check(today: LocalDate = .today(), progress: ((Int) -> Void)? = nil) -> CheckReport {
    guard folder != nil else { return backend.check(rules: rules, today: today, progress: progress) }
    var report = CheckReport()
    checkFolders(into: &report)
    checkCases(today: today, into: &report, progress: progress)
    for kind in Store.recordKinds { checkRecords(kind, today: today, into: &report) }
    checkUsers(into: &report)
    // Read once: the journal's own checks and the sequence's rebuild both go over every entry.
    let journalRead = Result { () throws(StoreError) in try journal.readAll() }
    checkJournal(journalRead, into: &report)
    checkSequence(journalEntries: journalRead, into: &report)
    for name in Store.directoryEntries(root, hidden: true) where name.hasPrefix(ErasureMarker.prefix) {
      let id = name.dropFirst(ErasureMarker.prefix.count)
      if honouredErasure(root + "/" + name) != nil {
        report.problems.append(
          DamagedFile(
            file: name,
            problem: "the erasure of \(id) did not finish; `keten erase \(id) --reason …` again says what is left"))
      } else if access(root + "/" + name, F_OK) == 0 {
        report.problems.append(
          DamagedFile(
            file: name,
            problem:
              "it claims an erasure of \(id) that the journal does not hold (no coordinator's erase intent with its reference): it was not honoured and erased nothing; find out who put it there, then remove it"
          ))
      }
    }
    checkStrayFiles(into: &report)
    return report
  }

  /// A file's or folder's link, owner and mode, with the fix that fits the store's sharing.
  private func checkMode(_ path: String, shown: String, into report: inout CheckReport) -> Bool {
    var st = stat()
    guard lstat(path, &st) == 0 else { return false }
    if let problem = sharing.problem(st, path: path, root: root) {
      report.problems.append(DamagedFile(file: shown, problem: Store.withoutFileName(problem.description, path)))
      return false
    }
    if let group = sharing.group, (st.st_mode & S_IFMT) != S_IFLNK {
      let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
      let needed: mode_t = isDirectory ? 0o070 : 0o060
      if st.st_mode & needed != needed || st.st_gid != group {
        report.problems.append(
          DamagedFile(
            file: shown,
            problem:
              "the team's group \(Sharing.name(of: group)) cannot \(isDirectory ? "open" : "read and write") it (mode \(String(st.st_mode & 0o777, radix: 8))); run chgrp \(Sharing.name(of: group)) '\(path)' && chmod \(isDirectory ? "2770" : "660") '\(path)'"
          ))
      }
    }
    return true
  }

  /// Validation issues of stored data, named by field path, without repeating their values.
  public static func valueless(_ issues: [ValidationIssue]) -> String {
    issues.map { "\($0.path): \($0.problem.valueless.message)" }.joined(separator: " ")
  }

  /// A message about `path` without repeating the path the listing already names.
  static func withoutFileName(_ message: String, _ path: String) -> String {
    message.hasPrefix(path + " ") ? String(message.dropFirst(path.count + 1)) : message
  }

  private func checkFolders(into report: inout CheckReport) {
    _ = checkMode(root, shown: "./", into: &report)
    for folder in ["cases", "trash", "content"] + Store.recordKinds.map(\.folder) {
      _ = checkMode(root + "/" + folder, shown: folder + "/", into: &report)
    }
    _ = checkMode(lockPath, shown: ".lock", into: &report)
    _ = checkMode(root + "/settings.json", shown: "settings.json", into: &report)
  }

  /// Files Keten does not know in the store's folder: personal data kept there is outside
  /// every rule Keten applies (and outside `keten erase`).
  private func checkStrayFiles(into report: inout CheckReport) {
    for (directory, label, trash) in [(casesDirectory, "cases/", false), (trashDirectory, "trash/", true)] {
      for name in Store.directoryEntries(directory).sorted() where !name.hasPrefix(DurableWriter.tempPrefix) {
        let base = name.prefix { $0 != "." }
        let known =
          name == base + ".json" && (try? CaseID(String(base))) != nil
          || (trash && name.hasPrefix(base + ".") && name.hasSuffix(".json.old") && (try? CaseID(String(base))) != nil)
          || (trash && name == FolderBackend.carriedDatesFile)
        if !known {
          report.problems.append(
            DamagedFile(
              file: label + name,
              problem:
                "it is not a case file Keten writes (K-YEAR-NNNN.json\(trash ? ", or a kept copy .json.old" : "")); a copy of a case here is outside Keten's rules and survives `keten erase` — move it out of the store"
            ))
        }
      }
    }
    var st = stat()
    if lstat(root + "/content", &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR {
      report.problems.append(
        DamagedFile(file: "content", problem: "it should be a folder of the store's own content files; move it out of the store"))
    }
    let known: Set<String> =
      Set(["cases", "trash", "content", "settings.json", UserRegistry.fileName, Journal.fileName, CaseIndex.fileName,
        "sequence.json", Store.damagedSequenceName, ".lock", Store.stagingName] + Store.recordKinds.map(\.folder))
    for name in Store.directoryEntries(root).sorted()
    where !known.contains(name) && !name.hasPrefix(ErasureMarker.prefix) && !name.hasPrefix(DurableWriter.tempPrefix) {
      report.problems.append(
        DamagedFile(
          file: name,
          problem:
            "Keten does not know this file; whatever it holds is outside Keten's rules (and outside `keten erase`) — move it out of the store"
        ))
    }
  }

  private func checkCases(today: LocalDate, into report: inout CheckReport, progress: ((Int) -> Void)?) {
    let indexPath = root + "/" + CaseIndex.fileName
    let old = CaseIndex.load(from: indexPath, rulesVersion: rules.version)
    if old == nil, access(indexPath, F_OK) == 0 {
      let head = (try? readWholeFile(indexPath))?.prefix(12) ?? Data()
      if head == Data("KETEN-INDEX\t".utf8) {
        report.notes.append("\(CaseIndex.fileName) was made by another version or under other rules; rebuilt.")
      } else {
        report.problems.append(
          DamagedFile(
            file: CaseIndex.fileName,
            problem: "it is not an index Keten wrote (damaged or replaced); rebuilt from the case files"))
      }
    }
    _ = checkMode(indexPath, shown: CaseIndex.fileName, into: &report)
    let oldPositions = old?.positions() ?? [:]
    var fresh = CaseIndex(rulesVersion: rules.version, writtenAtNs: Store.nowNs(), entries: [])
    for (directory, label) in [(casesDirectory, "cases/"), (trashDirectory, "trash/")] {
      for name in Store.directoryEntries(directory).sorted()
      where !name.hasPrefix(".") && (name.hasSuffix(".json") || name.hasSuffix(".json.old")) {
        report.checked += 1
        if report.checked % 1_000 == 0 { progress?(report.checked) }
        if label == "trash/" { report.trashed += 1 }
        let path = directory + "/" + name
        let shown = label + name
        guard checkMode(path, shown: shown, into: &report) else { continue }
        var st = stat()
        lstat(path, &st)
        // A trash copy kept aside (K-…<time>.json.old) holds the case of its first part.
        let fileName = name.hasSuffix(".json.old") ? String(name.prefix { $0 != "." }) + ".json" : name
        do {
          let stored = try read(path: path, fileName: fileName)
          let issues = stored.document.validationIssues(today: today)
          if !issues.isEmpty {
            report.problems.append(
              DamagedFile(file: shown, problem: Store.valueless(issues)))
          }
          if label == "cases/" {
            let summary = CaseSummary(document: stored.document, rules: rules)
            let current = CaseIndex.Stat(
              inode: UInt64(st.st_ino), size: Int64(st.st_size),
              mtimeNs: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
            let entry = CaseIndex.Entry(stat: current, content: .summary(summary))
            if let old, let known = oldPositions[CaseIndex.key(name)].map({ old.entries[$0].entry }), known != entry {
              report.staleIndexEntries += 1
            }
            fresh.entries.append((CaseIndex.key(name), entry))
          }
        } catch .damaged(_, let problem) {
          report.problems.append(DamagedFile(file: shown, problem: problem))
        } catch {
          report.problems.append(DamagedFile(file: shown, problem: error.description))
        }
      }
    }
    fresh.write(to: root, mode: sharing.fileMode)
  }

  private func checkRecords(_ kind: RecordKind, today: LocalDate, into report: inout CheckReport) {
    let directory = root + "/" + kind.folder
    for name in Store.directoryEntries(directory).sorted() where !name.hasPrefix(".") {
      let path = directory + "/" + name
      let shown = kind.folder + "/" + name
      report.checked += 1
      guard checkMode(path, shown: shown, into: &report) else { continue }
      guard name.hasSuffix(".json") else {
        report.problems.append(
          DamagedFile(file: shown, problem: "it is not a \(kind.noun) file (\(kind.prefix)-YEAR-NNNN.json); move it out of the store"))
        continue
      }
      let problems: [String]
      switch kind.folder {
      case TrainingGroup.kind.folder: problems = recordProblems(TrainingGroup.self, path: path, name: name, today: today)
      case Mentor.kind.folder: problems = recordProblems(Mentor.self, path: path, name: name, today: today)
      case Employer.kind.folder: problems = recordProblems(Employer.self, path: path, name: name, today: today)
      case Opening.kind.folder: problems = recordProblems(Opening.self, path: path, name: name, today: today)
      case JobFair.kind.folder: problems = recordProblems(JobFair.self, path: path, name: name, today: today)
      case Service.kind.folder: problems = recordProblems(Service.self, path: path, name: name, today: today)
      default: problems = []
      }
      report.problems += problems.map { DamagedFile(file: shown, problem: $0) }
    }
  }

  /// What is wrong with one record file, read once: damage, broken rules, and (for a group or a
  /// fair) entries naming cases that are neither in cases/ nor in trash/.
  private func recordProblems<R: StoreRecord>(_ type: R.Type, path: String, name: String, today: LocalDate) -> [String] {
    let stored: StoredRecord<R>
    do {
      stored = try fb.readRecord(type, path: path, fileName: name)
    } catch .damaged(_, let problem) {
      return [problem + "; repair it from a backup or with a text editor (the message names where)"]
    } catch {
      return [error.description]
    }
    var problems: [String] = []
    let issues = stored.record.validationIssues(today: today)
    if !issues.isEmpty { problems.append(Store.valueless(issues)) }
    let dangling = ((stored.record as? any CaseEntryScoping)?.entryCaseIDs ?? []).filter { id in
      guard let file = try? CaseID(id).fileName else { return true }
      return access(casesDirectory + "/" + file, F_OK) != 0 && access(trashDirectory + "/" + file, F_OK) != 0
    }
    if !dangling.isEmpty {
      problems.append(
        "it names case(s) the store does not hold (\(dangling.prefix(5).joined(separator: ", "))): an erasure that did not reach it, or an edit by hand; remove those entries"
      )
    }
    return problems
  }

  private func checkUsers(into report: inout CheckReport) {
    let path = root + "/" + UserRegistry.fileName
    guard checkMode(path, shown: UserRegistry.fileName, into: &report) else { return }
    do {
      _ = try users()
    } catch {
      report.problems.append(DamagedFile(file: UserRegistry.fileName, problem: error.description))
    }
  }

  private func checkJournal(
    _ journalRead: Result<(entries: [JournalEntry], damage: JournalDamage), StoreError>, into report: inout CheckReport
  ) {
    let path = root + "/" + Journal.fileName
    guard checkMode(path, shown: Journal.fileName, into: &report) else { return }
    do {
      let (entries, damage) = try journalRead.get()
      let cases = Store.directoryEntries(casesDirectory).filter { !$0.hasPrefix(".") }.count
      // Every case, in the store or its trash, was created through the journal: one without its
      // create entry means lines were cut from the journal (or the store is older than it).
      if !entries.isEmpty {
        var created: Set<String> = []
        var unfinished: [String] = []
        for e in entries where e.isCompleted || e.action == .erase {
          guard let id = e.caseID?.rawValue else { continue }
          if e.action == .create && e.isCompleted { created.insert(id) }
          if e.action == .erase && e.state == .intent { unfinished.append(id) }
        }
        var missing: [String] = []
        for directory in [casesDirectory, trashDirectory] {
          for name in Store.directoryEntries(directory) where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let id = String(name.dropLast(5))
            if !created.contains(id) { missing.append(id) }
          }
        }
        if !missing.isEmpty {
          report.problems.append(
            DamagedFile(
              file: Journal.fileName,
              problem:
                "it holds no create entry for \(missing.count) case(s) (\(missing.sorted().prefix(5).joined(separator: ", "))\(missing.count > 5 ? ", …" : "")): lines were cut from the journal or it was replaced (or the store is older than its journal); restore it from a backup and find out how it happened"
            ))
        }
        let stillHere = unfinished.filter { access(casesDirectory + "/" + $0 + ".json", F_OK) == 0 }
        if !stillHere.isEmpty {
          report.notes.append(
            "an erasure of \(stillHere.joined(separator: ", ")) was started and stopped before it removed anything (the journal shows it NOT CONFIRMED); run `keten erase ID --reason …` again if it is still wanted.")
        }
      }
      if entries.isEmpty && cases > 0 {
        report.problems.append(
          DamagedFile(
            file: Journal.fileName,
            problem:
              "it holds no entry although the store holds \(cases) case(s): the audit trail was removed or emptied; restore it from a backup and find out how it happened"
          ))
      }
      if !damage.garbage.isEmpty {
        let lines = damage.garbage.prefix(10).map(String.init).joined(separator: ", ")
        report.problems.append(
          DamagedFile(
            file: Journal.fileName,
            problem:
              "\(damage.garbage.count) line(s) are not journal entries (line \(lines)\(damage.garbage.count > 10 ? ", …" : "")): it was damaged outside Keten (a disk fault, an editor); keep a copy as evidence, restore the journal from a backup, and find out how it happened"
          ))
      }
      if !damage.torn.isEmpty {
        report.notes.append(
          "\(Journal.fileName): \(damage.torn.count) torn line(s) (line \(damage.torn.prefix(10).map(String.init).joined(separator: ", "))): appends cut short by a kill, a crash or a full disk; they hold no whole entry and are left as they are.")
      }
    } catch {
      report.problems.append(DamagedFile(file: Journal.fileName, problem: error.description))
    }
  }

  private func checkSequence(
    journalEntries journalRead: Result<(entries: [JournalEntry], damage: JournalDamage), StoreError>,
    into report: inout CheckReport
  ) {
    let aside = root + "/" + Store.damagedSequenceName
    if access(aside, F_OK) == 0 {
      report.problems.append(
        DamagedFile(
          file: Store.damagedSequenceName,
          problem:
            "sequence.json was found damaged and was rebuilt from the case and record files, the trash and the journal; look at this copy, then remove it"
        ))
    }
    guard checkMode(sequencePath, shown: "sequence.json", into: &report) || access(sequencePath, F_OK) != 0 else { return }
    let used: [String: Int]
    do {
      used = try rebuiltSequence(journalEntries: journalRead.get().entries)
    } catch {
      report.problems.append(DamagedFile(file: "sequence.json", problem: "the ids in use could not be gathered: \(error.description)"))
      return
    }
    var stored: [String: Int] = [:]
    switch storedSequence() {
    case .valid(let sequence): stored = sequence
    case .missing:
      if !used.isEmpty {
        report.problems.append(
          DamagedFile(file: "sequence.json", problem: "it is missing although ids were used; rebuilt from the case and record files, the trash and the journal"))
      }
    case .damaged(let why):
      report.problems.append(
        DamagedFile(file: "sequence.json", problem: "\(why); rebuilt from the case and record files, the trash and the journal"))
      let aside = root + "/" + Store.damagedSequenceName
      if access(aside, F_OK) != 0 { _ = Glibc.rename(sequencePath, aside) }
    }
    let behind = sequenceLag(against: used, stored: stored)
    if case .valid = storedSequence(), !behind.isEmpty {
      report.problems.append(
        DamagedFile(
          file: "sequence.json",
          problem:
            "it is behind the ids already used for \(behind.joined(separator: ", ")) (an id could have been handed out twice); moved up to the highest used"
        ))
    }
    var merged = stored
    for (key, number) in used { merged[key] = max(merged[key] ?? 0, number) }
    if merged != stored || storedSequence().isNotValid {
      do {
        let lock = try StoreLock(path: lockPath, mode: sharing.fileMode)
        try writeSequence(merged)
        withExtendedLifetime(lock) {}
      } catch {
        report.problems.append(DamagedFile(file: "sequence.json", problem: "it could not be rewritten: \(error.description)"))
      }
    }
  }
}

extension Store.StoredSequence {
  var isNotValid: Bool {
    if case .valid = self { return false }
    return true
  }
}
