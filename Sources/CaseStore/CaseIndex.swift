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
  static let formatVersion = "4"
  /// Files modified this close before the index was written are re-read (coarse timestamps).
  static let racyWindowNs: Int64 = 2_000_000_000
  /// Fields before a summary's text fields: name, inode, size, mtime, kind, id, revision, schema,
  /// gender, birth date, procedure status, stages, closed on, pairs.
  static let fixedFields = 14

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
  /// Keyed by file name without `.json` (`K-2026-0001`: short enough to be stored inline), in
  /// no particular order.
  var entries: [(key: String, entry: Entry)]

  /// Where each key is in `entries`.
  func positions() -> [String: Int] {
    var out: [String: Int] = [:]
    out.reserveCapacity(entries.count)
    for (i, e) in entries.enumerated() { out[e.key] = i }
    return out
  }

  static func key(_ fileName: String) -> String {
    fileName.hasSuffix(".json") ? String(fileName.dropLast(5)) : fileName
  }

  func isTrusted(_ entry: Entry, current: Stat) -> Bool {
    entry.stat == current && current.mtimeNs < writtenAtNs - CaseIndex.racyWindowNs
  }

  // MARK: Reading

  /// The index's entries in file order, from one read of the file into one buffer that the
  /// summaries' text fields then point into. Nil when missing, unreadable, damaged, of another
  /// format or made under other rules.
  /// Keys are made only when `keyed`, and for damaged files (listing needs only their names).
  static func read(
    from path: String, rulesVersion: String, keyed: Bool
  ) -> (writtenAtNs: Int64, entries: [(key: String, entry: Entry)])? {
    guard let (storage, count) = SummaryBytes.read(path) else { return nil }
    let bytes = UnsafeBufferPointer(storage.base)
    var lines = LineScanner(UnsafeBufferPointer(rebasing: bytes[0..<count]))
    guard let header = lines.next() else { return nil }
    let head = header.fields()
    guard head.count == 4, head[0] == "KETEN-INDEX", head[1] == formatVersion,
      head[2] == rulesVersion, let written = Int64(head[3])
    else { return nil }
    var entries: [(key: String, entry: Entry)] = []
    entries.reserveCapacity(count / 300)
    var fields: [UnsafeBufferPointer<UInt8>] = []
    fields.reserveCapacity(fixedFields)
    while let line = lines.next() {
      guard let entry = decode(line.bytes, storage: storage, base: bytes.baseAddress!, fields: &fields, keyed: keyed)
      else { return nil }
      entries.append(entry)
    }
    return (written, entries)
  }

  /// Loads the index keyed by file name (for checking it against the folder).
  static func load(from path: String, rulesVersion: String) -> CaseIndex? {
    guard let read = read(from: path, rulesVersion: rulesVersion, keyed: true) else { return nil }
    return CaseIndex(rulesVersion: rulesVersion, writtenAtNs: read.writtenAtNs, entries: read.entries)
  }

  /// One line: the first fields parsed, the text fields kept as a slice of `storage`.
  private static func decode(
    _ line: UnsafeBufferPointer<UInt8>, storage: SummaryBytes, base: UnsafePointer<UInt8>,
    fields f: inout [UnsafeBufferPointer<UInt8>], keyed: Bool
  ) -> (key: String, entry: Entry)? {
    f.removeAll(keepingCapacity: true)
    var from = 0
    while f.count < fixedFields {
      guard let tab = SummaryText.index(of: 9, in: line, from: from) else {
        f.append(UnsafeBufferPointer(rebasing: line[from...]))
        from = line.count
        break
      }
      f.append(UnsafeBufferPointer(rebasing: line[from..<tab]))
      from = tab + 1
    }
    guard f.count >= 6, let ino = LineScanner.Line.integer(f[1]), let size = LineScanner.Line.integer(f[2]),
      let mtime = LineScanner.Line.integer(f[3])
    else { return nil }
    let stat = Stat(inode: UInt64(ino), size: size, mtimeNs: mtime)
    if f[4].count == 1 && f[4][0] == UInt8(ascii: "d") {
      return (key(LineScanner.Line.text(f[0])), Entry(stat: stat, content: .damaged(LineScanner.Line.text(f[5]))))
    }
    guard f.count == fixedFields, from <= line.count, f[4].count == 1, f[4][0] == UInt8(ascii: "c"),
      let id = CaseID(stored: f[5]), let revision = LineScanner.Line.integer(f[6]),
      let schema = LineScanner.Line.integer(f[7]), let gender = Gender(stored: f[8]),
      let stageBits = LineScanner.Line.integer(f[11]), (0..<16).contains(stageBits),
      let pairs = LineScanner.Line.integer(f[13]),
      let text = SummaryText(storage: storage, start: line.baseAddress! - base + from, count: line.count - from)
    else { return nil }
    var s = CaseSummary(id: id, text: text)
    s.revision = Int(revision)
    s.schemaVersion = Int(schema)
    s.gender = gender
    s.dateOfBirth = LocalDate(utf8: f[9])
    s.procedureStatus = f[10].isEmpty ? nil : ProcedureStatus(stored: f[10])
    s.stageBits = UInt8(stageBits)
    s.closedOn = LocalDate(utf8: f[12])
    s.pairCount = Int(pairs)
    return (keyed ? key(LineScanner.Line.text(f[0])) : "", Entry(stat: stat, content: .summary(s)))
  }

  // MARK: Writing

  /// Writes the index atomically (temp + rename) but without fsync: it is only a cache.
  /// Summaries go first, in id order (a listing from the index then needs no sort), then
  /// damaged files.
  func write(to directory: String, mode: mode_t = 0o600) {
    var out: [UInt8] = []
    out.reserveCapacity(entries.count * 450)
    func add(_ text: String) { out.append(contentsOf: text.utf8) }
    func addEscaped(_ text: String) { SummaryText.appendEscaped(text, to: &out) }
    add("KETEN-INDEX\t\(CaseIndex.formatVersion)\t")
    addEscaped(rulesVersion)
    add("\t\(writtenAtNs)\n")
    var summaries: [(key: String, entry: Entry, summary: CaseSummary)] = []
    var damaged: [(key: String, entry: Entry, problem: String)] = []
    summaries.reserveCapacity(entries.count)
    for (key, entry) in entries {
      switch entry.content {
      case .summary(let s): summaries.append((key, entry, s))
      case .damaged(let problem): damaged.append((key, entry, problem))
      }
    }
    summaries.sort { $0.summary.id < $1.summary.id }
    func head(_ key: String, _ stat: Stat) {
      addEscaped(key + ".json")
      add("\t\(stat.inode)\t\(stat.size)\t\(stat.mtimeNs)\t")
    }
    for (key, entry, s) in summaries {
      head(key, entry.stat)
      add("c\t")
      addEscaped(s.id.rawValue)
      add("\t\(s.revision)\t\(s.schemaVersion)\t\(s.gender.rawValue)\t\(s.dateOfBirth?.description ?? "")\t")
      add("\(s.procedureStatus?.rawValue ?? "")\t\(s.stageBits)\t\(s.closedOn?.description ?? "")\t\(s.pairCount)\t")
      out.append(contentsOf: s.text.bytes)
      out.append(10)
    }
    for (key, entry, problem) in damaged.sorted(by: { $0.key < $1.key }) {
      head(key, entry.stat)
      add("d\t")
      addEscaped(problem)
      out.append(10)
    }
    // Unique per write: the app's background check and a save's listing may write at once.
    let temp = directory + "/" + DurableWriter.tempPrefix + "index-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let path = directory + "/" + CaseIndex.fileName
    let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { return }
    fchmod(fd, mode)
    var ok = true
    out.withUnsafeBufferPointer { buffer in
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

/// Splits a byte buffer into lines without copying.
struct LineScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  var position = 0

  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  mutating func next() -> Line? {
    guard position < bytes.count else { return nil }
    let end = SummaryText.index(of: 10, in: bytes, from: position) ?? bytes.count
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

extension RawRepresentable where Self: CaseIterable, RawValue == String {
  /// The case whose raw value is these bytes, compared in place (no string made).
  init?(stored bytes: UnsafeBufferPointer<UInt8>) {
    for candidate in Self.allCases {
      var raw = candidate.rawValue
      let same = raw.withUTF8 { $0.count == bytes.count && ($0.isEmpty || memcmp($0.baseAddress!, bytes.baseAddress!, $0.count) == 0) }
      if same {
        self = candidate
        return
      }
    }
    return nil
  }
}
