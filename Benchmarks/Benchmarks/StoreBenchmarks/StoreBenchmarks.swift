import BenchFixtures
import Benchmark
import CaseStore
import Casework
import DemoData
import Foundation

// What a case worker waits for, at 1,000, 10,000 and 100,000 cases:
// - opening the store and producing the whole list (warm index, and cold with no index);
// - searching every case for a name typed without diacritics;
// - one durable save, next to its floor: a bare write+fsync+rename+fsync of the same bytes;
// - the floor for listing: reading every case file raw.
// Stores are generated once per size under $TMPDIR/keten-bench and reused across runs
// (BenchFixtures).

/// The interpreter itself, not a version manager's shim in front of it (pyenv's adds 0.4 s).
let pythonExecutable: String = {
  let ask = Process()
  let out = Pipe()
  ask.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  ask.arguments = ["python3", "-c", "import sys; print(sys.executable)"]
  ask.standardOutput = out
  try? ask.run()
  ask.waitUntilExit()
  let path = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  return path.trimmingCharacters(in: .whitespacesAndNewlines)
}()

/// The sizes measured; `KETEN_BENCH_SIZES=1000,20000` picks others (a 100,000-case store takes
/// some five minutes to generate).
let sizes = ProcessInfo.processInfo.environment["KETEN_BENCH_SIZES"].map { $0.split(separator: ",").compactMap { Int($0) } }
  ?? [1_000, 20_000, 100_000]

/// Reads every file in the cases folder into memory: the floor any listing is compared with.
func readAllRaw(_ directory: String) -> Int {
  var total = 0
  let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
  var buffer = [UInt8](repeating: 0, count: 1 << 16)
  for name in names where name.hasSuffix(".json") {
    let fd = open(directory + "/" + name, O_RDONLY)
    guard fd >= 0 else { continue }
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      total += n
    }
    close(fd)
  }
  return total
}

/// Stats every file in the cases folder: the floor of a listing that checks each file is unchanged.
func statAll(_ directory: String) -> Int {
  guard let dir = opendir(directory) else { return 0 }
  defer { closedir(dir) }
  let fd = dirfd(dir)
  var total = 0
  var st = stat()
  while let entry = readdir(dir) {
    let found = withUnsafeBytes(of: entry.pointee.d_name) { raw in
      fstatat(fd, raw.bindMemory(to: CChar.self).baseAddress!, &st, AT_SYMLINK_NOFOLLOW) == 0
    }
    if found { total += Int(st.st_size) }
  }
  return total
}

/// The same durable sequence as the store, with none of its checks: the floor for one save.
/// A save is two durable writes — the journal line written ahead, then the case file — so the
/// floor is both: an fsynced append, then write+fsync+rename+fsync of the folder.
func bareDurableWrite(_ data: Data, directory: String, name: String, journal: String, outcome: Bool = false) {
  func append(_ text: String) {
    let line = Array(text.utf8)
    let jfd = open(journal, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    _ = line.withUnsafeBytes { write(jfd, $0.baseAddress, $0.count) }
    fsync(jfd)
    close(jfd)
  }
  append("{\"at\":\"2026-11-01T10:00:00Z\",\"user\":\"bench\",\"action\":\"change\",\"case\":\"K-2025-0001\",\"ref\":\"x1\",\"state\":\"intent\"}\n")
  defer {
    // The outcome line that says the change landed, as a save writes it.
    if outcome { append("{\"at\":\"2026-11-01T10:00:00Z\",\"user\":\"bench\",\"action\":\"change\",\"case\":\"K-2025-0001\",\"ref\":\"x1\",\"state\":\"done\"}\n") }
  }
  let temp = directory + "/.bench-" + name
  let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  data.withUnsafeBytes { _ = write(fd, $0.baseAddress, $0.count) }
  fsync(fd)
  close(fd)
  rename(temp, directory + "/" + name)
  let dfd = open(directory, O_RDONLY | O_DIRECTORY)
  fsync(dfd)
  close(dfd)
}

/// What the report and the calendar are computed from: the listing, the training groups and
/// the shipped content.
struct Reporting {
  let listing: Listing
  let groups: [TrainingGroup]
  let content: CaseworkContent
  init(_ store: Store) throws {
    listing = try store.list()
    groups = try store.records(TrainingGroup.self).records.map(\.record)
    content = try CaseworkContent.load(storeRoot: nil)
  }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .peakMemoryResident],
    timeUnits: .milliseconds,
    maxDuration: .seconds(5),
    maxIterations: 50
  )

  for n in sizes {
    let label = n.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))

    Benchmark("Read every case file raw (floor) · \(label)") { (benchmark: Benchmark, store: Store) in
      for _ in benchmark.scaledIterations {
        blackHole(readAllRaw(store.root + "/cases"))
      }
    } setup: {
      try fixture(n)
    }

    Benchmark("Stat every case file (floor of a checked list) · \(label)") { (benchmark: Benchmark, store: Store) in
      for _ in benchmark.scaledIterations {
        blackHole(statAll(store.root + "/cases"))
      }
    } setup: {
      try fixture(n)
    }

    Benchmark("List from the index (the app's first frame) · \(label)") { (benchmark: Benchmark, store: Store) in
      for _ in benchmark.scaledIterations {
        blackHole(store.listFromIndex()!.cases.count)
      }
    } setup: {
      let store = try fixture(n)
      _ = try store.list()
      return store
    }

    Benchmark("List checked against every file, warm index · \(label)") { (benchmark: Benchmark, store: Store) in
      for _ in benchmark.scaledIterations {
        blackHole(try store.list().cases.count)
      }
    } setup: {
      let store = try fixture(n)
      _ = try store.list()
      return store
    }

    Benchmark(
      "Demo generation (keten demo) · \(label)",
      configuration: .init(
        metrics: [.wallClock, .peakMemoryResident], warmupIterations: 0, maxDuration: .seconds(10),
        maxIterations: n >= 100_000 ? 1 : 3)
    ) { (benchmark: Benchmark) in
      let base = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/keten-bench-demo"
      for _ in benchmark.scaledIterations {
        try? FileManager.default.removeItem(atPath: base)
        let store = try Store(root: base, rules: try appRules()).signIn("bench")
        blackHole(try DemoStoreFiller.fill(store, cases: n, seed: 1, asOf: asOf, user: "bench"))
      }
      try? FileManager.default.removeItem(atPath: base)
    }

    Benchmark(
      "CPython json.loads of every case file, one core (floor of a cold list) · \(label)",
      configuration: .init(maxDuration: .seconds(n >= 100_000 ? 60 : 10), maxIterations: n >= 100_000 ? 5 : 10)
    ) { (benchmark: Benchmark, store: Store) in
      // The same files, read and parsed by CPython's C json module in one process (its start,
      // some 20 ms, is counted too).
      let script = """
        import json, os, sys
        d = sys.argv[1]
        for name in os.listdir(d):
            if name.endswith(".json"):
                with open(os.path.join(d, name), "rb") as f:
                    json.loads(f.read())
        """
      for _ in benchmark.scaledIterations {
        let python = Process()
        python.executableURL = URL(fileURLWithPath: pythonExecutable)
        python.arguments = ["-c", script, store.root + "/cases"]
        try python.run()
        python.waitUntilExit()
        precondition(python.terminationStatus == 0, "python3 failed")
      }
    } setup: {
      try fixture(n)
    }

    Benchmark(
      "List, cold (index deleted) · \(label)",
      configuration: .init(maxDuration: .seconds(n >= 100_000 ? 60 : 10), maxIterations: n >= 100_000 ? 5 : 10)
    ) { (benchmark: Benchmark, store: Store) in
      for _ in benchmark.scaledIterations {
        // Deleting the index takes microseconds; the listing then reads every document.
        unlink(store.root + "/index.tsv")
        blackHole(try store.list().cases.count)
      }
    } setup: {
      try fixture(n)
    }

    Benchmark("Chain report over every case · \(label)") { (benchmark: Benchmark, input: Reporting) in
      // The figures come from the summaries' report facts and the training groups: no case
      // file is read.
      for _ in benchmark.scaledIterations {
        blackHole(
          ChainReport(
            summaries: input.listing.cases, groups: input.groups, voorwerk: input.content.voorwerk,
            mentoring: input.content.mentoring, period: LocalDate("2026-01-01")!...asOf, today: asOf
          ).figures.count)
      }
    } setup: {
      try Reporting(fixture(n))
    }
    Benchmark("Calendar: a month of entries · \(label)") { (benchmark: Benchmark, input: Reporting) in
      for _ in benchmark.scaledIterations {
        let agenda = Agenda(summaries: input.listing.cases, groups: input.groups, login: nil)
        blackHole(agenda.between(LocalDate("2026-11-01")!, LocalDate("2026-11-30")!).count)
      }
    } setup: {
      try Reporting(fixture(n))
    }
    Benchmark("Search 'heve' in every case · \(label)") { (benchmark: Benchmark, listing: Listing) in
      for _ in benchmark.scaledIterations {
        let query = SearchText.fold("heve")
        blackHole(listing.cases.lazy.filter { $0.matches(foldedQuery: query) }.count)
      }
    } setup: {
      try fixture(n).list()
    }
  }

  // A save of the store's first 2025 case (13 KB, a hire with its follow-up plan and an action
  // plan) and of its smallest case, each against the bare floor of the same bytes.
  for which in ["13 KB case", "smallest case"] {
    func pick(_ store: Store) throws -> CaseID {
      if which == "13 KB case" { return try CaseID("K-2025-0001") }
      let names = try FileManager.default.contentsOfDirectory(atPath: store.root + "/cases").filter { $0.hasSuffix(".json") }
      func size(_ name: String) -> Int {
        var st = stat()
        stat(store.root + "/cases/" + name, &st)
        return Int(st.st_size)
      }
      let smallest = names.min { (size($0), $0) < (size($1), $1) }!
      return try CaseID(String(smallest.dropLast(5)))
    }

    Benchmark(
      "Durable save of the \(which) · 10,000",
      configuration: .init(metrics: [.wallClock], timeUnits: .microseconds, maxIterations: 200)
    ) { (benchmark: Benchmark, session: Editing) in
      // Each save is based on the one before, as in an editing session: the measured part is
      // validation, encoding, the conflict check and the durable write.
      for _ in benchmark.scaledIterations {
        var document = session.stored.document
        document.person.phone = String(format: "+31 6 %08d", session.stored.revision)
        session.stored = try session.store.save(document, basedOn: session.stored, by: "bench")
      }
    } setup: {
      let store = try fixture(10_000)
      return Editing(store: store, stored: try store.load(try pick(store)))
    }

    Benchmark(
      "First save after opening the \(which) (its unknown keys looked for) · 10,000",
      configuration: .init(metrics: [.wallClock], timeUnits: .microseconds, maxIterations: 200)
    ) { (benchmark: Benchmark, session: Editing) in
      // Opened from disk, then saved: the save reads the file's raw tree for unknown keys.
      for _ in benchmark.scaledIterations {
        let opened = try session.store.load(session.stored.id)
        var document = opened.document
        document.person.phone = String(format: "+31 6 %08d", opened.revision)
        session.stored = try session.store.save(document, basedOn: opened, by: "bench")
      }
    } setup: {
      let store = try fixture(10_000)
      return Editing(store: store, stored: try store.load(try pick(store)))
    }

    Benchmark(
      "Bare intent append+fsync, write+fsync+rename+fsync, outcome append+fsync of the \(which) (floor) · 10,000",
      configuration: .init(metrics: [.wallClock], timeUnits: .microseconds, maxIterations: 200)
    ) { (benchmark: Benchmark, pair: (Store, Data, CaseID)) in
      for _ in benchmark.scaledIterations {
        bareDurableWrite(
          pair.1, directory: pair.0.root + "/cases", name: pair.2.fileName, journal: pair.0.root + "/bench-journal.jsonl",
          outcome: true)
      }
    } setup: {
      let store = try fixture(10_000)
      let id = try pick(store)
      return (store, try store.load(id).bytes, id)
    }
  }
}
