import Foundation
import DemoData
import Testing

@testable import CaseStore

@Suite struct DamagedFileTests {
  static let kinds: [(name: String, content: [UInt8], expected: String)] = [
    ("K-2026-0101.json", Array("{\"id\": \"K-2026-0101\", \"revision\": 1,".utf8), "unexpected end of file at line 1"),
    ("K-2026-0102.json", Array("{\"schemaVersion\": 1, \"id\": \"K-2026-0102\", \"revision\": \"two\"}".utf8), "at revision: expected a whole number"),
    ("K-2026-0103.json", [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D], "invalid UTF-8 at byte 6"),
    ("K-2026-0104.json", [0x00, 0x01, 0x02, 0xFF, 0x89, 0x50, 0x4E, 0x47], "invalid UTF-8 at byte 3"),
    ("K-2026-0105.json", [], "the file is empty"),
    ("K-2026-0106.json", Array("[1, 2,\n 3 x]".utf8), "expected ',' or ']' at line 2, column 4"),
  ]

  @Test func eachKindOfDamageIsListedWithItsPositionAndTheRestLoads() throws {
    let t = try TempStore()
    let good = try t.create()
    for kind in Self.kinds {
      let path = t.path + "/cases/" + kind.name
      _ = FileManager.default.createFile(atPath: path, contents: Data(kind.content))
      chmod(path, 0o600)
    }
    // Not a regular file, and a link pointing out of the store.
    mkdir(t.path + "/cases/K-2026-0107.json", 0o700)
    symlink("/etc/passwd", t.path + "/cases/K-2026-0108.json")

    let listing = try t.store.list()
    #expect(listing.cases.map(\.id) == [good.id])
    #expect(listing.damaged.count == Self.kinds.count + 2)
    for kind in Self.kinds {
      let entry = listing.damaged.first { $0.file == kind.name }
      #expect(entry?.problem.contains(kind.expected) == true, "\(kind.name): \(entry?.problem ?? "not listed")")
    }
    #expect(listing.damaged.contains { $0.file == "K-2026-0107.json" && $0.problem.contains("not a regular file") })
    #expect(listing.damaged.contains { $0.file == "K-2026-0108.json" })
    // Still so when listed from the index.
    try IndexTests().ageIndex(t)
    let again = try t.store.list()
    #expect(again.damaged == listing.damaged)
    #expect(again.reread == 0)
    // Damaged files are never overwritten: they cannot even be loaded for editing.
    #expect(throws: StoreError.self) { try t.store.load(try CaseID("K-2026-0101")) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: t.path + "/cases/K-2026-0101.json")) == Data(Self.kinds[0].content))
    let report = t.store.check(today: today)
    #expect(!report.isClean)
    // The planted files use ids past the sequence, and no create entry in the journal names
    // them: check names both (and moves the sequence up).
    #expect(report.problems.count == Self.kinds.count + 4)
    #expect(report.problems.contains { $0.file == "journal.jsonl" && $0.problem.contains("no create entry") })
    #expect(report.problems.contains { $0.file == "sequence.json" && $0.problem.contains("behind the ids already used") })
  }

  /// A listing with no index takes each file's stat from the read; it refuses a file others may
  /// read, or one of another owner, exactly as a listing that stats every file first.
  @Test func aColdListingRefusesUnsafeOrForeignFilesAsAWarmOneDoes() throws {
    for foreign in geteuid() == 0 ? [false, true] : [false] {
      let t = try TempStore()
      let victim = try t.create()
      try t.create("Second Person")
      _ = try t.store.list()
      let path = t.casePath(victim.document.id)
      if foreign { chown(path, 54321, 54321) } else { chmod(path, 0o644) }
      func refusal() -> String {
        do {
          _ = try t.store.list()
          return "listed"
        } catch {
          return "\(error)"
        }
      }
      let warm = refusal()
      try FileManager.default.removeItem(atPath: t.path + "/index.tsv")
      let cold = refusal()
      #expect(warm == cold)
      #expect(warm.contains(foreign ? "54321" : "644") || warm.contains(foreign ? "belongs" : "chmod"), "\(warm)")
      #expect(!FileManager.default.fileExists(atPath: t.path + "/index.tsv"))
    }
  }

  @Test func aFileWhoseIdDoesNotMatchItsNameIsDamaged() throws {
    let t = try TempStore()
    let a = try t.create()
    try FileManager.default.copyItem(atPath: t.casePath(a.id), toPath: t.path + "/cases/K-2026-9999.json")
    let listing = try t.store.list()
    #expect(listing.damaged.map(\.file) == ["K-2026-9999.json"])
  }
}

@Suite struct IndexTests {
  @Test func listingUsesTheIndexAndRebuildsItWhenDeleted() throws {
    let t = try TempStore()
    for i in 0..<20 { try t.create("Person \(i)") }
    let first = try t.store.list()
    #expect(first.cases.count == 20)
    // Make the index older than the racy window so its entries are trusted.
    try ageIndex(t)
    let second = try t.store.list()
    #expect(second.reread == 0)
    #expect(second.cases == first.cases)
    unlink(t.path + "/index.tsv")
    let rebuilt = try t.store.list()
    #expect(rebuilt.reread == 20)
    #expect(rebuilt.cases == first.cases)
  }

  @Test func aHandEditOfSameSizeInTheSameTimestampTickIsStillSeen() throws {
    let t = try TempStore()
    let a = try t.create("Olena")
    let path = t.casePath(a.id)
    var st = stat()
    stat(path, &st)
    let mtime = st.st_mtim
    _ = try t.store.list()  // writes the index while the file is "racily clean"
    // Same size, same inode, and the mtime put back: only the racy-clean rule can catch it.
    let edited = String(decoding: try t.bytes(a.id), as: UTF8.self).replacingOccurrences(of: "Olena", with: "Oxana")
    let fd = open(path, O_WRONLY)
    _ = edited.withCString { write(fd, $0, strlen($0)) }
    close(fd)
    var times = [timespec](repeating: mtime, count: 2)
    utimensat(AT_FDCWD, path, &times, 0)
    #expect(try t.store.list().cases.first?.fullName == "Oxana")
  }

  @Test func changedAndRemovedFilesAreNoticed() throws {
    let t = try TempStore()
    let a = try t.create("Anna")
    let b = try t.create("Bram")
    _ = try t.store.list()
    try ageIndex(t)
    var doc = a.document
    doc.person.fullName = "Anna Renamed"
    try t.store.save(doc, basedOn: a, by: "x")
    unlink(t.casePath(b.id))
    let listing = try t.store.list()
    #expect(listing.cases.map(\.fullName) == ["Anna Renamed"])
    #expect(listing.reread == 1)
  }

  @Test func staleTempFilesAreIgnoredAndSweptOnOpen() throws {
    let t = try TempStore()
    try t.create()
    let temp = t.path + "/cases/.tmp-K-2026-0001.json-999-1"
    _ = FileManager.default.createFile(atPath: temp, contents: Data("{\"half".utf8))
    #expect(try t.store.list().damaged.isEmpty)
    #expect(try t.store.list().cases.count == 1)
    _ = try Store(root: t.path)
    #expect(!FileManager.default.fileExists(atPath: temp))
  }

  @Test func aCorruptIndexIsRebuiltNotTrusted() throws {
    let t = try TempStore()
    try t.create("Samson")
    _ = try t.store.list()
    try Data("KETEN-INDEX\t1\tnone\t0\ngarbage\tline\n".utf8).write(to: URL(fileURLWithPath: t.path + "/index.tsv"))
    #expect(try t.store.list().cases.map(\.fullName) == ["Samson"])
  }

  @Test func searchFindsNotesAndPhoneThroughTheIndex() throws {
    let t = try TempStore()
    try t.create("Hévé Özdemir")
    let listing = try t.store.list()
    #expect(listing.cases.filter { $0.matches(foldedQuery: SearchText.fold("HEVE")) }.count == 1)
    #expect(listing.cases.filter { $0.matches(foldedQuery: SearchText.fold("eerste gesprek")) }.count == 1)
    #expect(listing.cases.filter { $0.matches(foldedQuery: SearchText.fold("470 12")) }.count == 1)
    #expect(listing.cases.filter { $0.matches(foldedQuery: SearchText.fold("syria")) }.count == 1)
    #expect(listing.cases.filter { $0.matches(foldedQuery: SearchText.fold("nobody")) }.isEmpty)
  }

  @Test func theListFromTheIndexIsWhatTheLastListingSawUntilTheNextOne() throws {
    let t = try TempStore()
    #expect(t.store.listFromIndex() == nil)  // no index yet
    var a = try t.create("Anna")
    // Tabs, line breaks and backslashes in names and notes survive the index's escaping.
    var doc = a.document
    doc.person.fullName = "Anna\tTab \\ Back\nLine"
    doc.addNote(text: "first line\nsecond\tline", author: "an")
    a = try t.store.save(doc, basedOn: a, by: "an")
    try t.create("Bram")
    let listed = try t.store.list()
    let quick = try #require(t.store.listFromIndex())
    #expect(quick.cases == listed.cases)
    #expect(quick.cases.map(\.fullName) == ["Anna\tTab \\ Back\nLine", "Bram"])
    #expect(quick.cases[0].matches(foldedQuery: SearchText.fold("second\tline")))
    #expect(quick.cases[0].searchKey == listed.cases[0].searchKey)
    // A change after the listing shows in the next list(), not in the index until then.
    doc = a.document
    doc.person.fullName = "Anna Renamed"
    try t.store.save(doc, basedOn: a, by: "an")
    #expect(t.store.listFromIndex()?.cases.first?.fullName == "Anna\tTab \\ Back\nLine")
    #expect(try t.store.list().cases.first?.fullName == "Anna Renamed")
    #expect(t.store.listFromIndex()?.cases.first?.fullName == "Anna Renamed")
  }

  @Test func theListFromTheIndexShowsOnlyWhatTheUserMaySee() throws {
    let t = try TempStore()
    var gent = sampleDocument(name: "Gent Person")
    gent.person.centre = "Gent"
    var leuven = sampleDocument(name: "Leuven Person")
    leuven.person.centre = "Leuven"
    leuven.person.caseWorker = "someone.else"
    gent.person.caseWorker = "someone.else"
    try t.store.create(gent, by: "boss")
    try t.store.create(leuven, by: "boss")
    try t.store.saveUsers(
      UserRegistry(users: [
        StaffUser(login: "boss", role: .coordinator, centre: nil, addedOn: LocalDate("2026-01-01")!, addedBy: "boss"),
        StaffUser(login: "wim", role: .caseWorker, centre: "Gent", addedOn: LocalDate("2026-01-01")!, addedBy: "boss"),
      ]), basedOn: try t.store.users(), by: "boss", change: "test")
    _ = try t.store.list()
    let wim = try t.store.signIn("wim")
    #expect(wim.listFromIndex()?.cases.map(\.fullName) == ["Gent Person"])
  }

  @Test func aSummaryReadsTheSameFromTheIndexAsFromItsDocument() throws {
    let t = try TempStore()
    var doc = sampleDocument(name: "Hévé Özdemir")
    doc.stages = [.bridging, .matching]
    doc.closure = Closure(on: LocalDate("2026-03-01")!, reason: "moved")
    let created = try t.store.create(doc, by: "an")
    let fromDocument = t.store.summary(of: created)
    _ = try t.store.list()
    let fromIndex = try #require(t.store.listFromIndex()?.cases.first)
    #expect(fromIndex == fromDocument)
    #expect(fromIndex.stages == [.bridging, .matching] && fromIndex.isIn(.matching) && !fromIndex.isIn(.screening))
    #expect(fromIndex.closedOn == LocalDate("2026-03-01") && fromIndex.gender == .female)
    #expect(fromIndex.dateOfBirth == LocalDate("1991-02-28") && fromIndex.nationality == "Syria")
    #expect(fromIndex.facts == fromDocument.facts && fromIndex.dueItems == fromDocument.dueItems)
    // Setting a field rewrites only that field.
    var changed = fromIndex
    changed.centre = "Leu\tven"
    #expect(changed.centre == "Leu\tven" && changed.fullName == "Hévé Özdemir" && changed.caseWorker == "an.peeters")
  }

  @Test func aLargeIndexIsReadInTwoHalvesThatJoinInIdOrder() throws {
    let t = try TempStore()
    var doc = sampleDocument(name: "Template")
    doc.addNote(text: String(repeating: "long note for a line of some length ", count: 8), author: "an")
    let template = t.store.summary(of: try t.store.create(doc, by: "an"))
    var index = CaseIndex(rulesVersion: t.store.rules.version, writtenAtNs: 0, entries: [])
    var expected: [CaseSummary] = []
    // Over two batches of lines made on every core (4,096 at a time), plus a part batch.
    for n in 1...9_000 {
      var s = template
      s.id = CaseID(year: 2026, number: n)
      s.fullName = "Person \(n)"
      expected.append(s)
      // Entries go in unsorted (the index writes them in id order).
      let stat = CaseIndex.Stat(inode: UInt64(n) * 1_000_003, size: Int64(n % 7_000), mtimeNs: Int64(n) * 1_000_000_007)
      index.entries.append(("K-2026-\(n)", .init(stat: stat, content: .summary(s))))
    }
    index.entries.reverse()
    for name in ["K-2026-9901", "K-2026-9900"] {
      index.entries.append((name, .init(stat: .init(inode: 1, size: 1, mtimeNs: 1), content: .damaged("unexpected end"))))
    }
    index.write(to: t.path)
    // Large enough for the two-thread read (over 1 MB of lines), or this test proves nothing.
    let size = try #require(try FileManager.default.attributesOfItem(atPath: t.path + "/index.tsv")[.size] as? Int)
    #expect(size > 1 << 20)

    let listing = try #require(t.store.listFromIndex())
    #expect(listing.cases.count == expected.count)
    #expect(listing.cases == expected)
    #expect(listing.cases[2_345].fullName == "Person 2346" && listing.cases.last?.fullName == "Person 9000")
    #expect(listing.damaged.map(\.file) == ["K-2026-9900.json", "K-2026-9901.json"])
    let read = try #require(CaseIndex.load(from: t.path + "/index.tsv", rulesVersion: t.store.rules.version))
    #expect(read.entries.count == 9_002)
    // Every line keeps its own file's stat.
    for (key, entry) in read.entries where !key.hasPrefix("K-2026-99") {
      let n = try #require(Int(key.dropFirst(7)))
      #expect(entry.stat == CaseIndex.Stat(inode: UInt64(n) * 1_000_003, size: Int64(n % 7_000), mtimeNs: Int64(n) * 1_000_000_007))
    }

    // A line that does not parse in the second half still makes the whole index unusable.
    var text = try String(contentsOfFile: t.path + "/index.tsv", encoding: .utf8)
    text = text.replacingOccurrences(of: "\tK-2026-3999\t", with: "\t../3999\t")
    try Data(text.utf8).write(to: URL(fileURLWithPath: t.path + "/index.tsv"))
    #expect(t.store.listFromIndex() == nil)
  }

  @Test func aColdListingReadsManyFilesOnEveryCoreAndGivesEachItsOwnSummary() throws {
    let t = try TempStore()
    let store = try t.store.signIn("tester")
    _ = try DemoStoreFiller.fill(store, cases: 150, seed: 4, asOf: LocalDate("2026-11-01")!, user: "tester")
    let broken = t.path + "/cases/K-2026-9999.json"
    _ = FileManager.default.createFile(atPath: broken, contents: Data("{".utf8))
    chmod(broken, 0o600)
    try FileManager.default.removeItem(atPath: t.path + "/index.tsv")
    let progress = Store.ListProgress()
    let listing = try t.store.list(progress: progress)  // 151 files: read by several workers
    #expect(listing.reread == 151 && progress.filesRead == 151)
    #expect(listing.cases.count == 150)
    #expect(listing.damaged.map(\.file) == ["K-2026-9999.json"])
    for summary in listing.cases {
      #expect(summary == t.store.summary(of: try t.store.load(summary.id)), "\(summary.id)")
    }
    try ageIndex(t)  // past the racy window: the next listing trusts the index it wrote
    #expect(try t.store.list().reread == 0)
  }

  @Test func anIndexLineThatDoesNotParseMakesTheWholeIndexBeRebuilt() throws {
    let t = try TempStore()
    try t.create("Samson")
    try t.create("Delilah")
    _ = try t.store.list()
    try ageIndex(t)
    let path = t.path + "/index.tsv"
    let good = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    let lines = good.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // A bad id (a path), a text field missing, an unknown gender, stage bits out of range.
    let breakages: [(String) -> String] = [
      { $0.replacingOccurrences(of: "\tK-2026-0001\t", with: "\t../../etc\t") },
      { String($0[..<$0.lastIndex(of: "\t")!]) },
      { $0.replacingOccurrences(of: "\tfemale\t", with: "\tfemme\t") },
      { var f = $0.split(separator: "\t", omittingEmptySubsequences: false); f[11] = "99"; return f.joined(separator: "\t") },
    ]
    for breakage in breakages {
      var broken = lines
      broken[1] = breakage(lines[1])
      #expect(broken[1] != lines[1])
      try Data(broken.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
      #expect(t.store.listFromIndex() == nil)
      let listing = try t.store.list()
      #expect(listing.cases.map(\.fullName) == ["Samson", "Delilah"])
      #expect(listing.reread == 2)
    }
  }

  /// Rewrites the index header as if it had been written a minute ago.
  func ageIndex(_ t: TempStore) throws {
    let path = t.path + "/index.tsv"
    var text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    let header = text.prefix { $0 != "\n" }
    var parts = header.split(separator: "\t").map(String.init)
    parts[3] = String(Store.nowNs() + 60_000_000_000)
    text = parts.joined(separator: "\t") + text.dropFirst(header.count)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  }
}
