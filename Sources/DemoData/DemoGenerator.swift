import CaseStore
import Casework
import Foundation
import KetenResources

/// Realistic synthetic cases for demos, tests and benchmarks; the same seed gives the same store.
///
/// Names come in their own scripts (Arabic, Ge'ez, Perso-Arabic, Cyrillic, Latin with diacritics)
/// with a Latin preferred name; dates spread over the two years before `asOf`; every chain stage
/// and some closed cases are present; about one case in seven belongs to `currentUser`.
public struct DemoGenerator {
  public let vocabulary: DemoVocabulary
  public let seed: UInt64
  public let asOf: LocalDate
  public let currentUser: String
  let content: CaseworkContent

  public init(seed: UInt64, asOf: LocalDate, currentUser: String) throws {
    self.vocabulary = try DemoVocabulary.load()
    self.seed = seed
    self.asOf = asOf
    self.currentUser = currentUser
    self.content = try CaseworkContent.load(storeRoot: nil)
  }

  /// `count` draft documents, ready for `Store.createAll`.
  public func drafts(count: Int) -> [CaseDocument] {
    var rng = draftRNG()
    return drafts(0..<count, of: count, rng: &rng)
  }

  /// The random sequence the drafts are drawn from, to carry from one batch to the next.
  public func draftRNG() -> SplitMix64 { SplitMix64(seed: seed) }

  /// Drafts `range` of a demo of `count` cases: batches taken in order with one `rng` give the
  /// same cases as `drafts(count:)`, without holding them all at once.
  public func drafts(_ range: Range<Int>, of count: Int, rng: inout SplitMix64) -> [CaseDocument] {
    let totalWeight = vocabulary.origins.reduce(0) { $0 + $1.weight }
    let workers = vocabulary.workers + [currentUser]
    let start = asOf.adding(days: -730)
    var drafts: [CaseDocument] = []
    drafts.reserveCapacity(range.count)
    let screening = DemoScreening(catalog: content.skills, interview: content.interview, asOf: asOf)
    for index in range {
      // Spread creation evenly over two years so ids grow with time.
      let createdDay = start.adding(days: count > 1 ? index * 729 / (count - 1) : 729)
      let createdAt = Date(
        timeIntervalSince1970: Double(createdDay.daysSinceEpoch) * 86_400
          + Double(rng.next(in: 8 * 3600..<17 * 3600)))
      var pick = rng.next(in: 0..<totalWeight)
      var origin = vocabulary.origins[0]
      for candidate in vocabulary.origins {
        if pick < candidate.weight {
          origin = candidate
          break
        }
        pick -= candidate.weight
      }
      let female = rng.chance(0.45)
      let given = rng.pick(female ? origin.female : origin.male)
      let family = rng.pick(origin.family)
      let native = rng.chance(0.6)
      let fullName = native ? "\(given[0]) \(family[0])" : "\(given[1]) \(family[1])"
      let preferred = native && given[0] != given[1] ? given[1] : nil
      let age = 18 + rng.next(in: 0..<42)
      let born = LocalDate(
        year: createdDay.year - age, month: 1 + rng.next(in: 0..<12), day: 1 + rng.next(in: 0..<28))
      let worker = rng.chance(1.0 / 7.0) ? currentUser : rng.pick(workers)
      var person = Person(
        fullName: fullName, preferredName: preferred, dateOfBirth: born,
        gender: rng.chance(0.02) ? .x : (female ? .female : .male),
        nationality: origin.nationality,
        languages: Array(origin.languages.prefix(1 + rng.next(in: 0..<origin.languages.count))),
        phone: "+32 4" + String(format: "%02d %02d %02d %02d", rng.next(in: 70..<99),
          rng.next(in: 0..<100), rng.next(in: 0..<100), rng.next(in: 0..<100)),
        centre: rng.pick(vocabulary.centres), caseWorker: worker)
      if rng.chance(0.05) { person.phone = nil }
      let applied = createdDay.adding(days: -rng.next(in: 0..<60))
      let status: ProcedureStatus = rng.weighted([
        (.asylumSeeker, 55), (.recognisedRefugee, 20), (.subsidiaryProtection, 10),
        (.temporaryProtection, 12), (.other, 3),
      ])
      var procedure = Procedure(status: status, applicationDate: applied)
      if rng.chance(0.1) { procedure.overrideWorkPermitDate(applied.adding(months: 4).adding(days: rng.next(in: 1..<40))) }
      // Older cases are further along the chain.
      let progress = Double(asOf.days(until: createdDay) + 730) / 730.0
      var stages: Set<ChainStage> = []
      let roll = Double(rng.next(in: 0..<1000)) / 1000.0
      if roll < 0.35 * progress + 0.1 {
        stages = [.screening]
      } else if roll < 0.6 {
        stages = rng.chance(0.3) ? [.screening, .bridging] : [.bridging]
      } else if roll < 0.82 {
        stages = rng.chance(0.4) ? [.bridging, .matching] : [.matching]
      } else {
        stages = [.sustaining]
      }
      var document = CaseDocument(
        id: CaseID(year: createdDay.year, number: 0), person: person, procedure: procedure,
        stages: stages, createdAt: createdAt, createdBy: worker)
      for n in 0..<rng.next(in: 0..<4) {
        let day = createdDay.adding(days: n * 21 + rng.next(in: 0..<14))
        guard day <= asOf else { break }
        document.addNote(
          text: rng.pick(vocabulary.notes), author: worker,
          at: Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400 + 36_000))
      }
      if rng.chance(0.08) {
        let closedOn = min(asOf, createdDay.adding(days: 30 + rng.next(in: 0..<300)))
        document.closure = Closure(
          on: closedOn,
          reason: rng.pick(["Verhuisd naar andere regio", "Werk gevonden", "Vrijwillige terugkeer", "Geen verdere begeleiding gewenst"]))
      }
      screening.fill(&document, intake: createdDay, rng: &rng)
      drafts.append(document)
    }
    return drafts
  }
}

/// The demo vocabulary from `Resources/demo/vocabulary.json`, validated on load.
public struct DemoVocabulary: Decodable, Sendable {
  public struct Origin: Decodable, Sendable {
    public var nationality: String
    public var languages: [String]
    public var weight: Int
    public var female: [[String]]
    public var male: [[String]]
    public var family: [[String]]
  }

  public var origins: [Origin]
  public var centres: [String]
  public var workers: [String]
  public var notes: [String]

  public static func load() throws -> DemoVocabulary {
    let file = "demo/vocabulary.json"
    let vocabulary: DemoVocabulary
    do {
      vocabulary = try JSONDecoder().decode(DemoVocabulary.self, from: try KetenResources.data(file))
    } catch {
      throw ResourceError(file: file, problem: "\(error)")
    }
    try vocabulary.validate(file: file)
    return vocabulary
  }

  func validate(file: String) throws {
    guard !origins.isEmpty, !centres.isEmpty, !workers.isEmpty, !notes.isEmpty else {
      throw ResourceError(file: file, problem: "origins, centres, workers and notes must not be empty")
    }
    for origin in origins {
      for (list, name) in [(origin.female, "female"), (origin.male, "male"), (origin.family, "family")] {
        guard !list.isEmpty, list.allSatisfy({ $0.count == 2 && !$0[0].isEmpty && !$0[1].isEmpty })
        else {
          throw ResourceError(
            file: file,
            problem: "origin \(origin.nationality): '\(name)' must list [native, Latin] name pairs")
        }
      }
      guard origin.weight > 0, !origin.languages.isEmpty else {
        throw ResourceError(file: file, problem: "origin \(origin.nationality): weight and languages are required")
      }
    }
  }
}

/// A content file in Resources that is missing or malformed.
public struct ResourceError: Error, CustomStringConvertible {
  public var file: String
  public var problem: String
  public var description: String { "Resources/\(file) is not valid: \(problem)" }
}

/// A small, fast, seedable random generator (SplitMix64): same seed, same sequence, everywhere.
/// The demo draws from it, and so do the seeded fuzz and random-key tests.
public struct SplitMix64: RandomNumberGenerator {
  public mutating func next() -> UInt64 { nextUInt64() }

  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func nextUInt64() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  public mutating func next(in range: Range<Int>) -> Int {
    range.lowerBound + Int(nextUInt64() % UInt64(range.count))
  }

  public mutating func chance(_ p: Double) -> Bool {
    Double(nextUInt64() >> 11) / Double(1 << 53) < p
  }

  public mutating func pick<T>(_ items: [T]) -> T { items[next(in: 0..<items.count)] }

  public mutating func weighted<T>(_ items: [(T, Int)]) -> T {
    var roll = next(in: 0..<items.reduce(0) { $0 + $1.1 })
    for (item, weight) in items {
      if roll < weight { return item }
      roll -= weight
    }
    return items[items.count - 1].0
  }
}
