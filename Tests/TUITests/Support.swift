
import CaseStore
import Casework
import Foundation
import Testing

@testable import TUI

let today = LocalDate("2026-11-22")!
/// 2026-11-22T09:30:00Z, the pinned clock of every test.
let fixedNow = Date(timeIntervalSince1970: 1_795_339_800)

/// A temporary store with a handful of cases whose names use several scripts, removed at the end.
final class Fixture {
  let folder: String
  let store: Store
  let driver: AppDriver

  init(language: Language = .en, rows: Int = 24, columns: Int = 80, cases: Bool = true) throws {
    folder = NSTemporaryDirectory() + "keten-tui-\(UUID().uuidString)"
    store = try Store(root: folder + "/store", rules: Fixture.rules)
    if cases { try Fixture.fill(store) }
    var state = AppState(
      strings: try Strings.load(language), content: try CaseworkContent.load(storeRoot: nil),
      user: "tester", today: today, rules: Fixture.rules,
      rows: rows, columns: columns)
    state.now = { fixedNow }
    driver = AppDriver(state: state, store: store, user: "tester")
    driver.exportFolder = folder
    driver.start()
  }

  deinit { try? FileManager.default.removeItem(atPath: folder) }

  /// The chain rules with the shipped follow-up cadence, as the app runs with.
  static let rules: ChainRules = {
    do {
      return ChainRules(followUp: try FollowUpCadence.shipped())
    } catch {
      fatalError("the shipped cadence does not load: \(error)")
    }
  }()

  var state: AppState { driver.state }
  var screen: String { driver.render().text }

  static func fill(_ store: Store) throws {
    func make(
      _ name: String, preferred: String? = nil, born: String, gender: Gender, nationality: String,
      centre: String, worker: String, status: ProcedureStatus?, applied: String?,
      stages: Set<ChainStage>, closed: String? = nil, note: String? = nil, created: String
    ) throws {
      var doc = CaseDocument(
        id: CaseID(year: 2000, number: 0),
        person: Person(
          fullName: name, preferredName: preferred, dateOfBirth: LocalDate(born), gender: gender,
          nationality: nationality, languages: ["nl"], phone: "+32 470 00 00 00", centre: centre,
          caseWorker: worker),
        procedure: Procedure(status: status, applicationDate: applied.flatMap(LocalDate.init)),
        stages: stages, createdBy: worker)
      let at = ISO8601DateFormatter().date(from: created + "T10:00:00Z")!
      doc.createdAt = at
      doc.updatedAt = at
      if let closed { doc.closure = Closure(on: LocalDate(closed)!, reason: "Verhuisd") }
      if let note { doc.addNote(text: note, author: worker, at: at) }
      _ = try store.createAll([doc], by: worker, now: fixedNow, durable: true)
    }
    try make(
      "ليلى الحسن", preferred: "Layla", born: "1991-02-28", gender: .female, nationality: "Syria",
      centre: "Gent-Centrum", worker: "tester", status: .asylumSeeker, applied: "2026-09-01",
      stages: [.screening, .bridging], note: "Eerste gesprek; spreekt Arabisch en wat Engels.",
      created: "2026-09-02")
    try make(
      "ሳባ ኪዳነ", preferred: "Saba Kidane", born: "1998-06-15", gender: .female, nationality: "Eritrea",
      centre: "Mechelen", worker: "an.peeters", status: .recognisedRefugee, applied: "2025-01-10",
      stages: [.bridging], created: "2026-03-05")
    try make(
      "Дмитро Коваленко", born: "1987-11-30", gender: .male, nationality: "Ukraine",
      centre: "Leuven", worker: "tester", status: .temporaryProtection, applied: nil,
      stages: [.matching], created: "2026-04-01")
    try make(
      "Hévé Özdemir", born: "1993-04-02", gender: .x, nationality: "Turkey", centre: "Brugge",
      worker: "an.peeters", status: .asylumSeeker, applied: "2026-08-20",
      stages: [.matching, .sustaining], created: "2026-08-21")
    try make(
      "王芳", preferred: "Wang Fang", born: "2001-01-20", gender: .female, nationality: "China",
      centre: "Antwerpen-Linkeroever", worker: "tester", status: .other, applied: nil,
      stages: [.screening], created: "2026-10-12")
    try make(
      "Amina 🌻 Yusuf", born: "1979-07-07", gender: .female, nationality: "Somalia",
      centre: "Gent-Centrum", worker: "an.peeters", status: .recognisedRefugee, applied: "2024-05-01",
      stages: [.sustaining], closed: "2026-10-01", created: "2026-01-15")
  }

  func send(_ keys: Key...) { driver.send(keys) }
  func type(_ text: String) { driver.type(text) }

  func document(_ id: String) throws -> CaseDocument {
    try store.load(try CaseID(id)).document
  }
}

