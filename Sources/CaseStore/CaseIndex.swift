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
  static let formatVersion = "1"
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
        let f = line.fields()
        guard f.count >= 6, let ino = UInt64(f[1]), let size = Int64(f[2]),
          let mtime = Int64(f[3])
        else { return nil }
        let stat = Stat(inode: ino, size: size, mtimeNs: mtime)
        if f[4] == "d" {
          entries[f[0]] = Entry(stat: stat, content: .damaged(f[5]))
        } else {
          guard let summary = decodeSummary(f) else { return nil }
          entries[f[0]] = Entry(stat: stat, content: .summary(summary))
        }
      }
      return CaseIndex(rulesVersion: rulesVersion, writtenAtNs: written, entries: entries)
    }
  }

  private static func decodeSummary(_ f: [String]) -> CaseSummary? {
    guard f.count == 22, let id = try? CaseID(f[5]), let revision = Int(f[6]),
      let schema = Int(f[7]), let gender = Gender(rawValue: f[10])
    else { return nil }
    var s = CaseSummary.empty(id: id)
    s.revision = revision
    s.schemaVersion = schema
    s.fullName = f[8]
    s.preferredName = f[9]
    s.gender = gender
    s.dateOfBirth = LocalDate(f[11])
    s.nationality = f[12]
    s.centre = f[13]
    s.caseWorker = f[14]
    s.procedureStatus = ProcedureStatus(rawValue: f[15])
    s.stages = f[16].split(separator: ",").compactMap { ChainStage(rawValue: String($0)) }
    s.dueItems = f[17].split(separator: ";").compactMap { item in
      let parts = item.split(separator: " ", maxSplits: 2)
      guard parts.count == 3, let date = LocalDate(String(parts[0])),
        let kind = DueItem.Kind(rawValue: String(parts[1]))
      else { return nil }
      return DueItem(date: date, what: String(parts[2]), kind: kind)
    }
    s.closedOn = LocalDate(f[18])
    s.updatedAt = f[19]
    s.updatedBy = f[20]
    s.searchKey = f[21]
    return s
  }

  // MARK: Writing

  /// Writes the index atomically (temp + rename) but without fsync: it is only a cache.
  func write(to directory: String) {
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
          s.searchKey,
        ]
        out += fields.map(CaseIndex.escape).joined(separator: "\t")
      }
      out += "\n"
    }
    let temp = directory + "/" + DurableWriter.tempPrefix + "index-\(getpid())"
    let path = directory + "/" + CaseIndex.fileName
    let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { return }
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
    func fields() -> [String] {
      var out: [String] = []
      out.reserveCapacity(24)
      var start = 0
      var hasEscape = false
      for i in 0...bytes.count {
        if i == bytes.count || bytes[i] == 9 {
          let slice = UnsafeBufferPointer(rebasing: bytes[start..<i])
          out.append(hasEscape ? Line.unescape(slice) : String(decoding: slice, as: UTF8.self))
          start = i + 1
          hasEscape = false
        } else if bytes[i] == 92 {
          hasEscape = true
        }
      }
      return out
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
