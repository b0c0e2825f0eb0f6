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
  // A line: file name, inode, size, mtime, kind (`c`), then id, revision, schema, gender, birth
  // date, procedure status, stages, closed on, pairs, and the text fields (`SummaryText`); or a
  // damaged file's: file name, inode, size, mtime, `d`, problem.

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

  /// An index file read into one buffer whose header names this format and `rulesVersion`:
  /// the buffer, the lines after the header, and when the listing that wrote it started. Nil
  /// when missing, unreadable, of another format or made under other rules.
  private static func open(
    _ path: String, rulesVersion: String
  ) -> (storage: SummaryBytes, body: UnsafeBufferPointer<UInt8>, writtenAtNs: Int64)? {
    guard let (storage, count) = SummaryBytes.read(path) else { return nil }
    let bytes = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(storage.base)[0..<count])
    var lines = LineScanner(bytes)
    guard let header = lines.next() else { return nil }
    let head = header.fields()
    guard head.count == 4, head[0] == "KETEN-INDEX", head[1] == formatVersion,
      head[2] == rulesVersion, let written = Int64(head[3])
    else { return nil }
    return (storage, UnsafeBufferPointer(rebasing: bytes[lines.position...]), written)
  }

  /// The index's entries keyed by file name, in file order (for checking it against the folder).
  static func load(from path: String, rulesVersion: String) -> CaseIndex? {
    guard let (storage, body, written) = open(path, rulesVersion: rulesVersion) else { return nil }
    var entries: [(key: String, entry: Entry)] = []
    entries.reserveCapacity(body.count / 300)
    var lines = LineScanner(body)
    while let line = lines.next() {
      var f = FieldCursor(line.bytes)
      guard let name = f.next(), let ino = f.integer(), let size = f.integer(), let mtime = f.integer(),
        let kind = f.kind()
      else { return nil }
      let stat = Stat(inode: UInt64(ino), size: size, mtimeNs: mtime)
      let content: Content
      if kind == UInt8(ascii: "d") {
        guard let problem = f.next() else { return nil }
        content = .damaged(LineScanner.Line.text(problem))
      } else {
        guard kind == UInt8(ascii: "c"), let s = summary(&f, storage: storage) else { return nil }
        content = .summary(s)
      }
      entries.append((key(LineScanner.Line.text(name)), Entry(stat: stat, content: content)))
    }
    return CaseIndex(rulesVersion: rulesVersion, writtenAtNs: written, entries: entries)
  }

  /// The summaries and damaged files as last listed, without the file names and stats a check
  /// needs: what the app shows in its first frame. Nil when the index cannot be used.
  ///
  /// The lines are split in two halves parsed at once on two threads (the index is written in
  /// id order, so the halves joined are still in order).
  static func listing(from path: String, rulesVersion: String) -> (cases: [CaseSummary], damaged: [DamagedFile])? {
    guard let (storage, body, _) = open(path, rulesVersion: rulesVersion) else { return nil }
    // As offsets into the storage (which is Sendable; a buffer pointer is not). Halves of a
    // small index are not worth a thread.
    let start = body.baseAddress! - UnsafePointer(storage.base.baseAddress!)
    let parts =
      if body.count > 1 << 20, let newline = SummaryText.index(of: 10, in: body, from: body.count / 2) {
        [start..<start + newline + 1, start + newline + 1..<start + body.count]
      } else {
        [start..<start + body.count]
      }
    let results = Slots<(cases: SummaryRun, damaged: [DamagedFile])?>(count: parts.count)
    DispatchQueue.concurrentPerform(iterations: parts.count) { i in
      let lines = UnsafeBufferPointer(rebasing: UnsafeBufferPointer(storage.base)[parts[i]])
      results[i] = listing(lines: lines, storage: SummaryBytes(sharing: storage))
    }
    var runs: [SummaryRun] = []
    var damaged: [DamagedFile] = []
    for part in results.values {
      guard let part = part ?? nil else { return nil }
      runs.append(part.cases)
      damaged += part.damaged
    }
    let total = runs.reduce(0) { $0 + $1.count }
    let cases = [CaseSummary](unsafeUninitializedCapacity: total) { buffer, initialized in
      for run in runs { initialized += run.move(to: buffer.baseAddress! + initialized) }
    }
    return (cases, damaged)
  }

  private static func listing(
    lines body: UnsafeBufferPointer<UInt8>, storage: SummaryBytes
  ) -> (cases: SummaryRun, damaged: [DamagedFile])? {
    let cases = SummaryRun(capacity: body.count / 400)
    var damaged: [DamagedFile] = []
    var lines = LineScanner(body)
    while let line = lines.next() {
      var f = FieldCursor(line.bytes)
      // File name, then inode, size and mtime, which only a check needs.
      guard let name = f.next(), f.skip(3), let kind = f.kind() else { return nil }
      if kind == UInt8(ascii: "d") {
        guard let problem = f.next() else { return nil }
        damaged.append(DamagedFile(file: LineScanner.Line.text(name), problem: LineScanner.Line.text(problem)))
      } else {
        guard kind == UInt8(ascii: "c"), let s = summary(&f, storage: storage) else { return nil }
        cases.append(s)
      }
    }
    return (cases, damaged)
  }

  /// Summaries parsed by one thread, in memory of their own, so that the parts of a listing are
  /// moved into the one array it returns: copying them would retain and release each one's
  /// storage again.
  private final class SummaryRun: @unchecked Sendable {
    private var base: UnsafeMutablePointer<CaseSummary>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
      self.capacity = max(capacity, 16)
      base = .allocate(capacity: self.capacity)
    }

    func append(_ summary: CaseSummary) {
      if count == capacity {
        let larger = UnsafeMutablePointer<CaseSummary>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
      }
      (base + count).initialize(to: summary)
      count += 1
    }

    /// Moves every summary to `destination` (they are no longer this run's) and says how many.
    func move(to destination: UnsafeMutablePointer<CaseSummary>) -> Int {
      let moved = count
      destination.moveInitialize(from: base, count: moved)
      count = 0
      return moved
    }

    deinit {
      base.deinitialize(count: count)
      base.deallocate()
    }
  }

  /// The summary from the fields after the kind; its text fields stay a slice of `storage`.
  static func summary(_ f: inout FieldCursor, storage: SummaryBytes) -> CaseSummary? {
    guard let id = f.next().flatMap(CaseID.init(stored:)), let revision = f.integer(), let schema = f.integer(),
      let gender = f.next().flatMap(Gender.init(stored:)), let dateOfBirth = f.next(), let status = f.next(),
      let stageBits = f.integer(), (0..<16).contains(stageBits), let closedOn = f.next(),
      let pairs = f.integer(), let rest = f.rest,
      let text = SummaryText(
        storage: storage, start: rest.baseAddress! - UnsafePointer(storage.base.baseAddress!), count: rest.count)
    else { return nil }
    var s = CaseSummary(id: id, text: text)
    s.revision = Int(revision)
    s.schemaVersion = Int(schema)
    s.gender = gender
    s.dateOfBirth = LocalDate(utf8: dateOfBirth)
    s.procedureStatus = status.isEmpty ? nil : ProcedureStatus(stored: status)
    s.stageBits = UInt8(stageBits)
    s.closedOn = LocalDate(utf8: closedOn)
    s.pairCount = Int(pairs)
    return s
  }

  /// The tab-separated fields of one line, taken in order without copying.
  struct FieldCursor {
    private let line: UnsafeBufferPointer<UInt8>
    private var from = 0

    init(_ line: UnsafeBufferPointer<UInt8>) { self.line = line }

    /// The next field, still escaped; nil past the last.
    mutating func next() -> UnsafeBufferPointer<UInt8>? {
      guard from <= line.count else { return nil }
      let end = SummaryText.index(of: 9, in: line, from: from) ?? line.count
      defer { from = end + 1 }
      return UnsafeBufferPointer(rebasing: line[from..<end])
    }

    /// Passes over `n` fields; false when the line has fewer.
    mutating func skip(_ n: Int) -> Bool {
      for _ in 0..<n where next() == nil { return false }
      return true
    }

    /// The next field as a decimal integer, or nil.
    mutating func integer() -> Int64? { next().flatMap(LineScanner.Line.integer) }

    /// The next field when it is one byte (a line's kind: `c` case, `d` damaged file).
    mutating func kind() -> UInt8? {
      guard let field = next(), field.count == 1 else { return nil }
      return field[0]
    }

    /// The rest of the line from the next field on, or nil when nothing is left.
    var rest: UnsafeBufferPointer<UInt8>? { from <= line.count ? UnsafeBufferPointer(rebasing: line[from...]) : nil }
  }

  // MARK: Writing

  /// Writes the index atomically (temp + rename) but without fsync: it is only a cache.
  /// Summaries go first, in id order (a listing from the index then needs no sort), then
  /// damaged files.
  func write(to directory: String, mode: mode_t = 0o600) {
    // Unique per write: the app's background check and a save's listing may write at once.
    let temp = directory + "/" + DurableWriter.tempPrefix + "index-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let path = directory + "/" + CaseIndex.fileName
    let fd = Glibc.open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { return }
    fchmod(fd, mode)
    // Written in chunks of about 1 MB: at 100,000 cases the whole text (56 MB) held at once, next
    // to the listing it was made from, was the peak of a cold listing's memory.
    var out = ChunkedOutput(fd: fd)
    func add(_ text: String) { out.bytes.append(contentsOf: text.utf8) }
    func addEscaped(_ text: String) { SummaryText.appendEscaped(text, to: &out.bytes) }
    add("KETEN-INDEX\t\(CaseIndex.formatVersion)\t")
    addEscaped(rulesVersion)
    add("\t\(writtenAtNs)\n")
    // Positions, not copies of the entries, are what gets sorted.
    var summaries: [Int] = []
    var damaged: [Int] = []
    summaries.reserveCapacity(entries.count)
    for (i, (_, entry)) in entries.enumerated() {
      if case .summary = entry.content { summaries.append(i) } else { damaged.append(i) }
    }
    func summary(_ i: Int) -> CaseSummary {
      guard case .summary(let s) = entries[i].entry.content else { preconditionFailure("not a summary") }
      return s
    }
    // Sorted by id read once per entry: reading each summary anew in every comparison (a copy
    // and a retain of its text) made this sort the slowest step after a cold listing.
    summaries = summaries.map { (summary($0).id, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    damaged.sort { entries[$0].key < entries[$1].key }
    // The summaries' lines are made a batch at a time, the batch split between the cores, and
    // written in order: at 100,000 cases making them on one core was most of the second a cold
    // listing spent after its parallel read.
    let workers = summaries.count < 4_096 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    let batch = 4_096
    var from = 0
    let order = summaries
    while from < order.count {
      let (start, to) = (from, min(from + batch, order.count))
      let share = (to - start + workers - 1) / workers
      let parts = Slots<[UInt8]>(count: workers)
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        var bytes: [UInt8] = []
        bytes.reserveCapacity(share * 600)
        for i in order[min(to, start + w * share)..<min(to, start + (w + 1) * share)] {
          entries.withUnsafeBufferPointer { all in
            CaseIndex.appendHead(key: all[i].key, stat: all[i].entry.stat, kind: UInt8(ascii: "c"), to: &bytes)
            if case .summary(let s) = all[i].entry.content { CaseIndex.appendFields(of: s, to: &bytes) }
          }
          bytes.append(10)
        }
        parts[w] = bytes
      }
      for part in parts.takeAll() {
        out.bytes.append(contentsOf: part ?? [])
        out.flushIfFull()
      }
      from = to
    }
    for i in damaged {
      guard case .damaged(let problem) = entries[i].entry.content else { continue }
      CaseIndex.appendHead(key: entries[i].key, stat: entries[i].entry.stat, kind: UInt8(ascii: "d"), to: &out.bytes)
      addEscaped(problem)
      out.bytes.append(10)
      out.flushIfFull()
    }
    out.flush()
    Glibc.close(fd)
    if out.failed || Glibc.rename(temp, path) != 0 { Glibc.unlink(temp) }
  }

  /// A line's head: the file's name, its stat and its kind (`c` a case, `d` a damaged file).
  static func appendHead(key: String, stat: Stat, kind: UInt8, to out: inout [UInt8]) {
    SummaryText.appendEscaped(key, to: &out)
    out.append(contentsOf: ".json\t".utf8)
    appendDecimal(stat.inode, to: &out)
    out.append(9)
    appendDecimal(stat.size, to: &out)
    out.append(9)
    appendDecimal(stat.mtimeNs, to: &out)
    out.append(9)
    out.append(kind)
    out.append(9)
  }

  /// A summary's fields as an index line holds them after the file's kind.
  static func appendFields(of s: CaseSummary, to out: inout [UInt8]) {
    func add(_ text: String) { out.append(contentsOf: text.utf8) }
    SummaryText.appendEscaped(s.id.rawValue, to: &out)
    out.append(9)
    appendDecimal(Int64(s.revision), to: &out)
    out.append(9)
    appendDecimal(Int64(s.schemaVersion), to: &out)
    out.append(9)
    add(s.gender.rawValue)
    out.append(9)
    if let born = s.dateOfBirth { add(born.description) }
    out.append(9)
    add(s.procedureStatus?.rawValue ?? "")
    out.append(9)
    appendDecimal(Int64(s.stageBits), to: &out)
    out.append(9)
    if let closed = s.closedOn { add(closed.description) }
    out.append(9)
    appendDecimal(Int64(s.pairCount), to: &out)
    out.append(9)
    out.append(contentsOf: s.text.bytes)
  }

  /// `value` in decimal digits, as `"\(value)"` writes it, without a string in between.
  static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    appendDecimal(value.magnitude, to: &out)
  }

  static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
    var n = value
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[23 - count] = UInt8(truncatingIfNeeded: 48 + n % 10)
        n /= 10
        count += 1
      } while n > 0
      out.append(contentsOf: buffer[(24 - count)...])
    }
  }

  /// Bytes gathered up to about a megabyte, then written to `fd`; after a failed write the rest
  /// is dropped and `failed` stays set.
  private struct ChunkedOutput {
    static let chunk = 1 << 20
    let fd: Int32
    var bytes: [UInt8] = []
    private(set) var failed = false

    init(fd: Int32) {
      self.fd = fd
      bytes.reserveCapacity(ChunkedOutput.chunk + 64 * 1024)
    }

    mutating func flushIfFull() {
      if bytes.count >= ChunkedOutput.chunk { flush() }
    }

    mutating func flush() {
      if !failed { failed = bytes.withUnsafeBytes { FileOps.system.writeAll(fd, $0) } != nil }
      bytes.removeAll(keepingCapacity: true)
    }
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
  var st = stat()
  return try readWholeFile(path, stat: &st)
}

/// Reads a whole file as `readWholeFile(_:)` does, leaving its stat (taken from the descriptor
/// it is read through, so of the very file read) in `st`.
func readWholeFile(_ path: String, stat st: inout stat) throws(StoreError) -> Data {
  let name = (path as NSString).lastPathComponent
  let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
  guard fd >= 0 else { throw .io(operation: "open", file: name, errno: errno) }
  defer { Glibc.close(fd) }
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

/// A case summary as one line of text: the fields an index line holds after its file's kind,
/// made by the same rules. The database store keeps one in each case's row, so that a listing
/// reads summaries, never documents.
public enum SummaryLine {
  /// The line for `summary` (no newline).
  public static func text(_ summary: CaseSummary) -> String {
    var bytes: [UInt8] = []
    CaseIndex.appendFields(of: summary, to: &bytes)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// Summaries from lines `text` made, each ended by a newline, as `fill` writes them into a
  /// buffer of `count` bytes; nil when a line is not one.
  public static func summaries(count: Int, fill: (UnsafeMutableBufferPointer<UInt8>) -> Void) -> [CaseSummary]? {
    let storage = SummaryBytes(count: count)
    fill(UnsafeMutableBufferPointer(rebasing: storage.base[0..<count]))
    var cases: [CaseSummary] = []
    var lines = LineScanner(UnsafeBufferPointer(rebasing: storage.base[0..<count]))
    while let line = lines.next() {
      var f = CaseIndex.FieldCursor(line.bytes)
      guard let s = CaseIndex.summary(&f, storage: storage) else { return nil }
      cases.append(s)
    }
    return cases
  }
}
