import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What `keten check` found.
public struct CheckReport: Sendable {
  public var checked = 0
  public var problems: [DamagedFile] = []
  /// Index entries that did not match their file (refreshed; the index is only a cache).
  public var staleIndexEntries = 0
  public var trashed = 0

  public var isClean: Bool { problems.isEmpty }
}

extension Store {
  /// Reads and validates every document, checks file modes, and rebuilds the index from scratch.
  public func check(today: LocalDate = .today()) -> CheckReport {
    var report = CheckReport()
    let indexPath = root + "/" + CaseIndex.fileName
    let old = CaseIndex.load(from: indexPath, rulesVersion: rules.version)
    let oldPositions = old?.positions() ?? [:]
    var fresh = CaseIndex(rulesVersion: rules.version, writtenAtNs: Store.nowNs(), entries: [])
    for (directory, label) in [(casesDirectory, "cases/"), (trashDirectory, "trash/")] {
      for name in Store.directoryEntries(directory).sorted()
      where !name.hasPrefix(".") && name.hasSuffix(".json") {
        report.checked += 1
        if label == "trash/" { report.trashed += 1 }
        let path = directory + "/" + name
        let shown = label + name
        var st = stat()
        if lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_mode & 0o077 != 0 {
          report.problems.append(
            DamagedFile(
              file: shown,
              problem: "other users may read it (mode \(String(st.st_mode & 0o777, radix: 8))); run chmod 600 on it"
            ))
        }
        do {
          let stored = try read(path: path, fileName: name)
          let issues = stored.document.validationIssues(today: today)
          if !issues.isEmpty {
            report.problems.append(
              DamagedFile(file: shown, problem: issues.map(\.description).joined(separator: " ")))
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
    return report
  }
}
