import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Bytes shared by many summaries: the whole index file as read, or one summary's own fields.
/// Never changed after it is made.
final class SummaryBytes: @unchecked Sendable {
  let base: UnsafeMutableBufferPointer<UInt8>
  /// The buffer this one shares, when it is a second handle on another's bytes.
  private let owner: SummaryBytes?

  /// Buffers from this size on (a large store's index) are asked to sit in huge pages: filling
  /// 56 MB of fresh 4 KB pages costs more page faults than the copy itself.
  private static let hugePageSize = 2 << 20

  init(count: Int) {
    let size = max(count, 1)
    var raw: UnsafeMutableRawPointer?
    if size >= 2 * SummaryBytes.hugePageSize {
      let rounded = (size + SummaryBytes.hugePageSize - 1) / SummaryBytes.hugePageSize * SummaryBytes.hugePageSize
      if posix_memalign(&raw, SummaryBytes.hugePageSize, rounded) == 0, let raw {
        _ = madvise(raw, rounded, MADV_HUGEPAGE)  // advice only: it may be refused
      }
    }
    if raw == nil { raw = malloc(size) }
    guard let raw else { fatalError("out of memory for \(size) bytes") }
    base = UnsafeMutableBufferPointer(start: raw.bindMemory(to: UInt8.self, capacity: size), count: size)
    owner = nil
  }

  convenience init(copying bytes: some Collection<UInt8>) {
    self.init(count: bytes.count)
    _ = base.initialize(from: bytes)
  }

  /// Another handle on the same bytes. Every summary retains its handle, so threads parsing
  /// parts of one index each use their own: one shared reference count would be contended.
  init(sharing owner: SummaryBytes) {
    base = owner.base
    self.owner = owner
  }

  deinit { if owner == nil { free(base.baseAddress) } }

  /// A whole file read into one buffer, and how many bytes it holds; nil when it cannot be read.
  /// A large file is read as two halves at once, so the copy and the page faults share the cores.
  static func read(_ path: String) -> (SummaryBytes, Int)? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
    let size = Int(st.st_size)
    let storage = SummaryBytes(count: size)
    let parts = size >= 2 * hugePageSize ? 2 : 1
    let failed = Slots<Bool>(count: parts)
    DispatchQueue.concurrentPerform(iterations: parts) { i in
      var filled = size * i / parts
      let end = size * (i + 1) / parts
      while filled < end {
        let n = pread(fd, storage.base.baseAddress! + filled, end - filled, off_t(filled))
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else {
          failed[i] = true
          return
        }
        filled += n
      }
    }
    return failed.values.contains(true) ? nil : (storage, size)
  }
}

/// The text fields of a case summary, escaped and tab-separated exactly as on an index line.
///
/// A listing of 100,000 cases keeps these as slices of the one buffer the index was read into,
/// instead of a million small strings: listing then costs one read and a pass over the lines,
/// and a field becomes a `String` only when something (a row on screen, a filter) asks for it.
struct SummaryText: Sendable, Equatable {
  enum Field: Int, CaseIterable {
    case fullName, preferredName, nationality, centre, caseWorker, dueItems, updatedAt, updatedBy
    case searchKey, mentor, facts
  }

  private let storage: SummaryBytes
  private let start: Int
  private let count: Int

  /// Fields read from an index line: `bytes` must hold exactly one field per `Field`.
  init?(storage: SummaryBytes, start: Int, count: Int) {
    self.storage = storage
    self.start = start
    self.count = count
    let all = bytes
    var tabs = 0
    var from = 0
    while let tab = SummaryText.index(of: 9, in: all, from: from) {
      tabs += 1
      from = tab + 1
    }
    guard tabs == Field.allCases.count - 1 else { return nil }
  }

  /// Fields from values (escaped here).
  init(_ values: [String]) {
    precondition(values.count == Field.allCases.count)
    var joined: [UInt8] = []
    joined.reserveCapacity(values.reduce(0) { $0 + $1.utf8.count + 1 })
    for (i, value) in values.enumerated() {
      if i > 0 { joined.append(9) }
      SummaryText.appendEscaped(value, to: &joined)
    }
    storage = SummaryBytes(copying: joined)
    start = 0
    count = joined.count
  }

  /// All fields, escaped and tab-separated (what the index line holds).
  var bytes: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: storage.base[start..<start + count])
  }

  /// One field's bytes, still escaped.
  func raw(_ field: Field) -> UnsafeBufferPointer<UInt8> {
    let all = bytes
    var from = 0
    var n = field.rawValue
    while n > 0 {
      guard let tab = SummaryText.index(of: 9, in: all, from: from) else { return UnsafeBufferPointer(rebasing: all[all.count...]) }
      from = tab + 1
      n -= 1
    }
    let end = SummaryText.index(of: 9, in: all, from: from) ?? all.count
    return UnsafeBufferPointer(rebasing: all[from..<end])
  }

  func string(_ field: Field) -> String { LineScanner.Line.text(raw(field)) }

  /// The same fields with one replaced.
  func replacing(_ field: Field, with value: String) -> SummaryText {
    var values = Field.allCases.map(string)
    values[field.rawValue] = value
    return SummaryText(values)
  }

  static func == (a: SummaryText, b: SummaryText) -> Bool {
    let x = a.bytes
    let y = b.bytes
    return x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
  }

  static func index(of byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    guard from < buffer.count, let base = buffer.baseAddress,
      let hit = memchr(base + from, Int32(byte), buffer.count - from)
    else { return nil }
    return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
  }

  static func appendEscaped(_ value: String, to out: inout [UInt8]) {
    var value = value
    // Text without a tab, line break or backslash (nearly all) is copied whole.
    let plain = value.withUTF8 { bytes -> Bool in
      guard !bytes.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 || $0 == 92 }) else { return false }
      out.append(contentsOf: bytes)
      return true
    }
    if plain { return }
    for b in value.utf8 {
      switch b {
      case 9: out += [92, UInt8(ascii: "t")]
      case 10: out += [92, UInt8(ascii: "n")]
      case 13: out += [92, UInt8(ascii: "r")]
      case 92: out += [92, 92]
      default: out.append(b)
      }
    }
  }
}

extension CaseSummary {
  /// The date of the next due item and whether any task is overdue, read straight from the
  /// stored bytes (the list works this out for every case when it loads).
  public func dueState(today: LocalDate) -> (next: LocalDate?, overdue: Bool) {
    let raw = text.raw(.dueItems)
    var next: LocalDate?
    var overdue = false
    var from = 0
    while from < raw.count {
      let end = SummaryText.index(of: UInt8(ascii: ";"), in: raw, from: from) ?? raw.count
      // "YYYY-MM-DD k what": the date, then the kind's one letter.
      if end - from >= 12, let date = LocalDate(utf8: UnsafeBufferPointer(rebasing: raw[from..<from + 10])) {
        let task = raw[from + 11] == UInt8(ascii: "t")  // DueItem.Kind.task
        if next == nil && (task || date >= today) { next = date }
        if task && date < today { overdue = true }
      }
      from = end + 1
    }
    return (next, overdue)
  }
}
