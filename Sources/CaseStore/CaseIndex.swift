import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The index of case summaries: a cache, like git's index, never the source of truth.
///
/// One line per file in `cases/`, with the inode, size and mtime it was summarised from. An entry
/// is trusted only while all three still match and the file is not "racily clean" (modified so
/// close to the index write that a same-size edit in the same timestamp tick could hide). Deleting
/// the index loses nothing: the next listing rebuilds it.
struct CaseIndex {
  static let fileName = "index.tsv"
  static let formatVersion = "3"
  /// Files modified this close before the index was written are re-read (coarse timestamps).
  static let racyWindowNs: Int64 = 2_000_000_000

  struct Stat: Equatable {
    var inode: UInt64
    var size: Int64
    var mtimeNs: Int64
  }

  enum Content: Equatable {
    case summary(CaseSummary)
    case damaged(String)
  }

  struct Entry: Equatable {
    var stat: Stat
    var content: Content
  }

  var rulesVersion: String
  /// Wall-clock time (ns) at which the listing that wrote this index started.
  var writtenAtNs: Int64
  var entries: [String: Entry]

  func isTrusted(_ entry: Entry, current: Stat) -> Bool {
    entry.stat == current && current.mtimeNs < writtenAtNs - CaseIndex.racyWindowNs
  }

  // MARK: Reading

  /// Loads the index; nil when missing, unreadable, of another format or other rules.
  static func load(from path: String, rulesVersion: String) -> CaseIndex? {
    guard let data = try? readWholeFile(path) else { return nil }
    return data.withUnsafeBytes { raw -> CaseIndex? in
      let bytes = raw.bindMemory(to: UInt8.self)
      var lines = LineScanner(bytes)
      guard let header = lines.next() else { return nil }
      let head = header.fields()
      guard head.count == 4, head[0] == "KETEN-INDEX", head[1] == formatVersion,
        head[2] == rulesVersion, let written = Int64(head[3])
      else { return nil }
      var entries: [String: Entry] = [:]
      entries.reserveCapacity(raw.count / 200)
      while let line = lines.next() {
        let f = line.slices()
        guard f.count >= 6, let ino = LineScanner.Line.integer(f[1]), let size = LineScanner.Line.integer(f[2]),
          let mtime = LineScanner.Line.integer(f[3])
        else { return nil }
        let stat = Stat(inode: UInt64(ino), size: size, mtimeNs: mtime)
        if f[4].count == 1 && f[4][0] == UInt8(ascii: "d") {
          entries[LineScanner.Line.text(f[0])] = Entry(stat: stat, content: .damaged(LineScanner.Line.text(f[5])))
        } else {
          guard let summary = decodeSummary(f) else { return nil }
          entries[LineScanner.Line.text(f[0])] = Entry(stat: stat, content: .summary(summary))
        }
      }
      return CaseIndex(rulesVersion: rulesVersion, writtenAtNs: written, entries: entries)
    }
  }

  private static func decodeSummary(_ f: [UnsafeBufferPointer<UInt8>]) -> CaseSummary? {
    guard f.count == 25, let id = try? CaseID(LineScanner.Line.text(f[5])), let revision = LineScanner.Line.integer(f[6]),
      let schema = LineScanner.Line.integer(f[7]), let gender = Gender(rawValue: LineScanner.Line.text(f[10]))
    else { return nil }
    var s = CaseSummary.empty(id: id)
    s.revision = Int(revision)
    s.schemaVersion = Int(schema)
    s.fullName = LineScanner.Line.text(f[8])
    s.preferredName = LineScanner.Line.text(f[9])
    s.gender = gender
    s.dateOfBirth = LocalDate(utf8: f[11])
    s.nationality = LineScanner.Line.text(f[12])
    s.centre = LineScanner.Line.text(f[13])
    s.caseWorker = LineScanner.Line.text(f[14])
    s.procedureStatus = f[15].isEmpty ? nil : ProcedureStatus(rawValue: LineScanner.Line.text(f[15]))
    // Split on bytes: String.split by Character costs more than the rest of the line.
    s.stages = f[16].split(separator: UInt8(ascii: ",")).compactMap {
      ChainStage(rawValue: String(decoding: $0, as: UTF8.self))
    }
    s.dueItems = f[17].split(separator: UInt8(ascii: ";")).compactMap { item in
      let parts = item.split(separator: UInt8(ascii: " "), maxSplits: 2)
      guard parts.count == 3, let date = LocalDate(utf8: parts[0]),
        let kind = DueItem.Kind(rawValue: String(decoding: parts[1], as: UTF8.self))
      else { return nil }
      return DueItem(date: date, what: LineScanner.Line.text(UnsafeBufferPointer(rebasing: parts[2])), kind: kind)
    }
    s.closedOn = LocalDate(utf8: f[18])
    s.updatedAt = LineScanner.Line.text(f[19])
    s.updatedBy = LineScanner.Line.text(f[20])
    s.searchKey = LineScanner.Line.text(f[21])
    s.mentor = LineScanner.Line.text(f[22])
    s.pairCount = Int(LineScanner.Line.integer(f[23]) ?? 0)
    s.facts = f[24].split(separator: UInt8(ascii: ";")).map { String(decoding: $0, as: UTF8.self) }
    return s
  }

  // MARK: Writing

  /// Writes the index atomically (temp + rename) but without fsync: it is only a cache.
  func write(to directory: String, mode: mode_t = 0o600) {
    var out = String()
    out.reserveCapacity(entries.count * 220)
    out += "KETEN-INDEX\t\(CaseIndex.formatVersion)\t\(CaseIndex.escape(rulesVersion))\t\(writtenAtNs)\n"
    for (file, entry) in entries {
      out += CaseIndex.escape(file)
      out += "\t\(entry.stat.inode)\t\(entry.stat.size)\t\(entry.stat.mtimeNs)\t"
      switch entry.content {
      case .damaged(let problem):
        out += "d\t" + CaseIndex.escape(problem)
      case .summary(let s):
        let fields: [String] = [
          "c", s.id.rawValue, String(s.revision), String(s.schemaVersion), s.fullName,
          s.preferredName, s.gender.rawValue, s.dateOfBirth?.description ?? "", s.nationality,
          s.centre, s.caseWorker, s.procedureStatus?.rawValue ?? "",
          s.stages.map(\.rawValue).joined(separator: ","), s.dueItems.map { "\($0.date) \($0.kind.rawValue) \($0.what)" }.joined(separator: ";"),
          s.closedOn?.description ?? "", s.updatedAt, s.updatedBy,
          s.searchKey, s.mentor, String(s.pairCount), s.facts.joined(separator: ";"),
        ]
        out += fields.map(CaseIndex.escape).joined(separator: "\t")
      }
      out += "\n"
    }
    let temp = directory + "/" + DurableWriter.tempPrefix + "index-\(getpid())"
    let path = directory + "/" + CaseIndex.fileName
    let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
    guard fd >= 0 else { return }
    fchmod(fd, mode)
    var ok = true
    out.withUTF8 { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n <= 0 {
          if n < 0 && errno == EINTR { continue }
          ok = false
          return
        }
        offset += n
      }
    }
    Glibc.close(fd)
    if !ok || Glibc.rename(temp, path) != 0 { Glibc.unlink(temp) }
  }

  static func escape(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 92 }) else { return s }
    var out = ""
    for ch in s.unicodeScalars {
      switch ch {
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\\": out += "\\\\"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out
  }
}

extension CaseSummary {
  /// A summary with only an id, filled in field by field by the index reader (cheap: no
  /// document, no folding, no date formatting).
  static func empty(id: CaseID) -> CaseSummary {
    CaseSummary(
      id: id, revision: 0, schemaVersion: CaseDocument.currentSchemaVersion, fullName: "",
      preferredName: "", gender: .unspecified, dateOfBirth: nil, nationality: "", centre: "",
      caseWorker: "", procedureStatus: nil, stages: [], dueItems: [], closedOn: nil,
      updatedAt: "", updatedBy: "", searchKey: "")
  }
}

/// Splits a byte buffer into lines without copying.
struct LineScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  mutating func next() -> Line? {
    guard position < bytes.count else { return nil }
    var end = position
    while end < bytes.count && bytes[end] != 10 { end += 1 }
    let line = Line(bytes: UnsafeBufferPointer(rebasing: bytes[position..<end]))
    position = end + 1
    return line
  }

  struct Line {
    let bytes: UnsafeBufferPointer<UInt8>

    /// Tab-separated fields, unescaped.
    func fields() -> [String] { slices().map(Line.text) }

    /// Tab-separated fields as raw bytes (still escaped), without copying.
    func slices() -> [UnsafeBufferPointer<UInt8>] {
      var out: [UnsafeBufferPointer<UInt8>] = []
      out.reserveCapacity(24)
      var start = 0
      for i in 0...bytes.count where i == bytes.count || bytes[i] == 9 {
        out.append(UnsafeBufferPointer(rebasing: bytes[start..<i]))
        start = i + 1
      }
      return out
    }

    /// A field as text, unescaped.
    static func text(_ slice: UnsafeBufferPointer<UInt8>) -> String {
      slice.contains(92) ? unescape(slice) : String(decoding: slice, as: UTF8.self)
    }

    /// A field holding a decimal integer (optionally negative), or nil.
    static func integer(_ slice: UnsafeBufferPointer<UInt8>) -> Int64? {
      var value: Int64 = 0
      var negative = false
      for (i, b) in slice.enumerated() {
        if i == 0 && b == UInt8(ascii: "-") && slice.count > 1 {
          negative = true
          continue
        }
        guard (48...57).contains(b) else { return nil }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (a, o2) = m.addingReportingOverflow(Int64(b - 48))
        guard !o1, !o2 else { return nil }
        value = a
      }
      return slice.isEmpty ? nil : (negative ? -value : value)
    }

    static func unescape(_ slice: UnsafeBufferPointer<UInt8>) -> String {
      var out: [UInt8] = []
      out.reserveCapacity(slice.count)
      var i = 0
      while i < slice.count {
        if slice[i] == 92, i + 1 < slice.count {
          switch slice[i + 1] {
          case UInt8(ascii: "t"): out.append(9)
          case UInt8(ascii: "n"): out.append(10)
          case UInt8(ascii: "r"): out.append(13)
          default: out.append(slice[i + 1])
          }
          i += 2
        } else {
          out.append(slice[i])
          i += 1
        }
      }
      return String(decoding: out, as: UTF8.self)
    }
  }
}

/// Reads a whole regular file (not following a symlink) into memory.
func readWholeFile(_ path: String) throws(StoreError) -> Data {
  let name = (path as NSString).lastPathComponent
  let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
  guard fd >= 0 else { throw .io(operation: "open", file: name, errno: errno) }
  defer { Glibc.close(fd) }
  var st = stat()
  guard fstat(fd, &st) == 0 else { throw .io(operation: "inspect", file: name, errno: errno) }
  guard (st.st_mode & S_IFMT) == S_IFREG else {
    throw .damaged(file: name, problem: "it is not a regular file")
  }
  var data = Data(count: Int(st.st_size))
  var total = 0
  let failure: Int32? = data.withUnsafeMutableBytes { buffer -> Int32? in
    while total < buffer.count {
      let n = Glibc.read(fd, buffer.baseAddress! + total, buffer.count - total)
      if n < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if n == 0 { break }
      total += n
    }
    return nil
  }
  if let code = failure { throw .io(operation: "read", file: name, errno: code) }
  if total < data.count { data.removeSubrange(total...) }
  return data
}
