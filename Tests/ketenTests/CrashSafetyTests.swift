import CaseStore
import Foundation
import Testing

@Suite(.serialized) struct CrashSafetyTests {
  /// A child process saves one case in a loop and is killed with SIGKILL at random moments,
  /// hundreds of times. After every kill the file parses and is exactly one coherent revision.
  @Test func sigkillDuringSavesNeverLeavesATornFile() throws {
    let dir = TempDir()
    let created = try Keten.run(["new", "--name", "Dawit Haile"], store: dir.store)
    #expect(created.code == 0)
    let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let path = dir.store + "/cases/\(id).json"
    var rng = SystemRandomNumberGenerator()
    var lastRevision = 1
    var progressed = 0
    let kills = 300
    for _ in 0..<kills {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: Keten.helper("keten-torture"))
      process.arguments = [dir.store, id]
      let out = Pipe()
      process.standardOutput = out
      process.standardError = FileHandle.nullDevice
      try process.run()
      // Wait for the first save to land (start-up time varies with the machine's load), then
      // kill at a random moment among the saves that follow (each is two fsynced writes: the
      // journal line, then the case file).
      _ = out.fileHandleForReading.availableData
      usleep(UInt32.random(in: 0...30_000, using: &rng))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()

      let data = try Data(contentsOf: URL(fileURLWithPath: path))
      let store = try Store(root: dir.store)
      let loaded = try store.load(try CaseID(id))
      let revision = loaded.document.revision
      #expect(revision >= lastRevision, "revision went back from \(lastRevision) to \(revision)")
      if revision > lastRevision { progressed += 1 }
      lastRevision = revision
      if revision > 1 {
        // Content is a function of the revision: a mix of two versions cannot pass this.
        #expect(loaded.document.person.preferredName == "rev-\(revision)")
        #expect(loaded.document.notes.count == revision % 7)
        for note in loaded.document.notes {
          #expect(note.text.hasPrefix("rev-\(revision) "))
        }
      }
      #expect(data.last == 0x0A)
    }
    // The kills must have landed during real work, not only before the first save.
    #expect(progressed > 150)
    #expect(try Store(root: dir.store).list().damaged.isEmpty)
    // The journal holds a whole entry for every save that landed (each is written ahead of its
    // save); a kill in the middle of an append tears at most that one line, which stays alone.
    let journal = try Store(root: dir.store).journal.read()
    #expect(journal.entries.filter { $0.action == .change }.count >= lastRevision - 1)
    #expect(journal.unreadable <= kills)
  }
}

@Suite struct ConcurrencyTests {
  /// Many `keten new` processes at the same moment: every id distinct, every case present.
  @Test func concurrentNewNeverSharesAnIdOrLosesACase() throws {
    let dir = TempDir()
    _ = try Store(root: dir.store)
    let processes = (0..<16).map { worker -> (Process, Pipe) in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      let script = (0..<5).map { "\(Keten.binary) new --store '\(dir.store)' --name 'P\(worker)-\($0)'" }
        .joined(separator: " && ")
      process.arguments = ["-c", script]
      let out = Pipe()
      process.standardOutput = out
      return (process, out)
    }
    for (process, _) in processes { try process.run() }
    var ids: [String] = []
    for (process, out) in processes {
      let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0)
      ids += text.split(separator: "\n").map(String.init)
    }
    #expect(ids.count == 80)
    #expect(Set(ids).count == 80)
    let listing = try Store(root: dir.store).list()
    #expect(listing.cases.count == 80)
    #expect(Set(listing.cases.map(\.fullName)).count == 80)
  }

  /// Many processes each saving the same case repeatedly, every save based on what it read:
  /// the final revision equals the number of saves that reported success.
  @Test func revisionCountsEverySuccessfulSave() throws {
    let dir = TempDir()
    let id = try Keten.run(["new", "--name", "Selam"], store: dir.store).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let processes = (0..<6).map { worker -> Process in
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/bin/sh")
      let script = (0..<6).map { "\(Keten.binary) edit \(id) --store '\(dir.store)' --note 'w\(worker) \($0)'" }
        .joined(separator: "; ")
      process.arguments = ["-c", script]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      return process
    }
    for p in processes { try p.run() }
    for p in processes { p.waitUntilExit() }
    let doc = try Store(root: dir.store).load(try CaseID(id)).document
    // Each edit is load → save from the revision just read; losers get a conflict and save nothing.
    #expect(doc.revision == 1 + doc.notes.count)
    #expect(doc.notes.count >= 6)
  }
}
