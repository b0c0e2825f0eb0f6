import Foundation
import Synchronization
import Testing

@testable import CaseStore

/// Injected failures of each system call: the save throws naming the step, the old document is
/// byte for byte intact, no temp file is left, and fsync is never retried. The failures hit the
/// case file's writes; the journal's own (written ahead, through the same calls) are tested in
/// `JournalTests`.
@Suite struct FaultInjectionTests {
  enum Step: String, CaseIterable { case open, write, fsync, close, rename }

  final class Counter: Sendable {
    let fsyncs = Mutex(0)
    let armed = Mutex(false)
    /// Open descriptors of the journal, which the injected failures leave alone.
    let journal = Mutex(Set<Int32>())
  }

  static func failing(_ step: Step, with code: Int32, counter: Counter) -> FileOps {
    var ops = FileOps.system
    @Sendable func armed() -> Bool { counter.armed.withLock { $0 } }
    @Sendable func armed(_ fd: Int32) -> Bool { armed() && !counter.journal.withLock { $0.contains(fd) } }
    ops.open = { path, flags, mode in
      let isJournal = path.hasSuffix("/" + Journal.fileName)
      if step == .open && armed() && flags & O_CREAT != 0 && !isJournal {
        errno = code
        return -1
      }
      let fd = Glibc.open(path, flags, mode)
      if isJournal && fd >= 0 { counter.journal.withLock { _ = $0.insert(fd) } }
      return fd
    }
    let close = ops.close
    ops.close = { fd in
      counter.journal.withLock { _ = $0.remove(fd) }
      return close(fd)
    }
    switch step {
    case .open:
      break
    case .write:
      ops.write = { fd, bytes in
        if armed(fd) {
          // A short write first, then the failure: the temp file has partial content.
          if bytes.count > 10 { return Glibc.write(fd, bytes.baseAddress, 10) }
          errno = code
          return -1
        }
        return Glibc.write(fd, bytes.baseAddress, bytes.count)
      }
    case .fsync:
      ops.fsync = { fd in
        guard !counter.journal.withLock({ $0.contains(fd) }) else { return Glibc.fsync(fd) }
        counter.fsyncs.withLock { $0 += 1 }
        if armed() {
          errno = code
          return -1
        }
        return Glibc.fsync(fd)
      }
    case .close:
      ops.close = { fd in
        let journal = counter.journal.withLock { $0.remove(fd) != nil }
        let result = Glibc.close(fd)
        if armed() && !journal {
          errno = code
          return -1
        }
        return result
      }
    case .rename:
      ops.rename = { from, to in
        if armed() {
          errno = code
          return -1
        }
        return Glibc.rename(from, to)
      }
    }
    return ops
  }

  @Test(arguments: [
    (Step.open, EACCES), (Step.write, ENOSPC), (Step.write, EIO), (Step.fsync, EIO),
    (Step.fsync, ENOSPC), (Step.close, EIO), (Step.rename, EACCES), (Step.rename, ENOSPC),
  ])
  func failedSaveLeavesTheOldDocumentIntact(step: Step, code: Int32) throws {
    let counter = Counter()
    let t = try TempStore(ops: Self.failing(step, with: code, counter: counter))
    let base = try t.create()
    let before = try t.bytes(base.id)
    var doc = base.document
    doc.person.fullName = "Changed"
    counter.armed.withLock { $0 = true }
    counter.fsyncs.withLock { $0 = 0 }
    let error = storeError { try t.store.save(doc, basedOn: base, by: "x") }
    guard case .io(_, let file, let errno)? = error else {
      Issue.record("expected an I/O error, got \(String(describing: error))")
      return
    }
    #expect(errno == code)
    #expect(file == base.id.fileName)
    #expect(error!.description.contains(String(cString: strerror(code))))
    #expect(try t.bytes(base.id) == before)
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: t.path + "/cases")
    #expect(leftovers == [base.id.fileName])
    if step == .fsync { #expect(counter.fsyncs.withLock { $0 } == 1) }
    // After the failure clears, the same edit saves from memory.
    counter.armed.withLock { $0 = false }
    let saved = try t.store.save(doc, basedOn: base, by: "x")
    #expect(try t.store.load(base.id).document == saved.document)
  }

  @Test func createThatFailsLeavesNoCaseAndNoTempFile() throws {
    let counter = Counter()
    let t = try TempStore(ops: Self.failing(.write, with: ENOSPC, counter: counter))
    counter.armed.withLock { $0 = true }
    #expect(throws: StoreError.self) { try t.create() }
    #expect(try FileManager.default.contentsOfDirectory(atPath: t.path + "/cases").isEmpty)
    #expect(try t.store.list().cases.isEmpty)
  }
}
