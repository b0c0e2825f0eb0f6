import CaseStore
import Foundation

/// Job-matching weights and the shortage occupations (`Resources/matching/matching.json`,
/// replaceable per store under `<store>/content/matching/matching.json`).
public struct MatchingSettings: Codable, Sendable, Equatable {
  public struct Weights: Codable, Sendable, Equatable {
    public var skills: Int
    public var ambitions: Int
    public var language: Int
    public var region: Int
    public var permit: Int
    public var availability: Int

    var all: [(String, Int)] {
      [("skills", skills), ("ambitions", ambitions), ("language", language), ("region", region), ("permit", permit), ("availability", availability)]
    }
  }

  public var format: Int
  public var weights: Weights
  /// Job-profile ids in short supply in the region the centre serves ("knelpuntberoepen").
  public var shortageProfiles: [String]

  static let relativePath = "matching/matching.json"

  public static func load(storeRoot: String?, skills: SkillsCatalog? = nil) throws(ContentError) -> MatchingSettings {
    let (url, name) = ContentFiles.overridable(relativePath, storeRoot: storeRoot)
    let settings = try ContentFiles.decode(MatchingSettings.self, from: url, name: name)
    try settings.validate(name: name, skills: skills)
    return settings
  }

  public func validate(name: String, skills: SkillsCatalog?) throws(ContentError) {
    func fail(_ entry: String, _ problem: String) -> ContentError { ContentError(file: name, entry: entry, problem: problem) }
    if format != 1 { throw fail("format", "format \(format) is not known; this version reads format 1.") }
    for (key, value) in weights.all where !(0...100).contains(value) {
      throw fail("weights.\(key)", "\(value) is not a weight from 0 to 100.")
    }
    if weights.all.allSatisfy({ $0.1 == 0 }) { throw fail("weights", "at least one weight must be above 0.") }
    if let skills {
      for id in shortageProfiles where skills.profile(id) == nil {
        throw fail("shortageProfiles \(id)", "'\(id)' is not a job profile of the skills catalog.")
      }
    }
  }

  public func isShortage(_ profile: String?) -> Bool { profile.map(shortageProfiles.contains) ?? false }
}

/// Ranks candidates for an opening and openings for a candidate. Each score is the sum of parts
/// a case worker can check: self-assessed fit for the profile, phase-2 ambitions, the language
/// level against the requirement, the preferred region, the work permit on the start date, and
/// whether the person is free then.
public struct JobMatching: Sendable {
  public struct Part: Sendable, Equatable {
    /// `skills`, `ambitions`, `language`, `region`, `permit`, `availability`.
    public var name: String
    public var points: Int
    public var maximum: Int
    /// What the points are for, as a key and values the UI words (`fit 62`, `level B1 B2`).
    public var detail: Detail
  }

  /// Why a part scored what it did; the UI translates `key` (`match.detail.KEY`) with `values`.
  public struct Detail: Sendable, Equatable {
    public var key: String
    public var values: [String]
    init(_ key: String, _ values: String...) {
      self.key = key
      self.values = values
    }
  }

  public struct Score: Sendable, Equatable {
    public var parts: [Part]
    public var total: Int { parts.reduce(0) { $0 + $1.points } }
    public var maximum: Int { parts.reduce(0) { $0 + $1.maximum } }
    public func part(_ name: String) -> Part? { parts.first { $0.name == name } }
  }

  public struct Candidate: Sendable, Equatable {
    public var caseID: CaseID
    public var name: String
    public var score: Score
  }

  public struct OpeningMatch: Sendable, Equatable {
    public var opening: Opening
    public var score: Score
    public var shortage: Bool
  }

  public let settings: MatchingSettings
  public let skills: SkillsCatalog

  public init(settings: MatchingSettings, skills: SkillsCatalog) {
    self.settings = settings
    self.skills = skills
  }

  /// Candidates for an opening, best first (ties by name, then id). Closed cases are left out.
  public func candidates(for opening: Opening, among documents: [CaseDocument], today: LocalDate) -> [Candidate] {
    documents.filter { !$0.isClosed }.map {
      Candidate(caseID: $0.id, name: $0.person.displayName, score: score($0, for: opening, today: today))
    }.sorted { ($1.score.total, $0.name, $0.caseID.rawValue) < ($0.score.total, $1.name, $1.caseID.rawValue) }
  }

  /// Open openings for a candidate, best first (ties by start, then id).
  public func openings(for document: CaseDocument, among openings: [Opening], today: LocalDate) -> [OpeningMatch] {
    openings.filter(\.open).map {
      OpeningMatch(opening: $0, score: score(document, for: $0, today: today), shortage: settings.isShortage($0.profile))
    }.sorted { ($1.score.total, $0.opening.start, $0.opening.id) < ($0.score.total, $1.opening.start, $1.opening.id) }
  }

  public func score(_ d: CaseDocument, for opening: Opening, today: LocalDate) -> Score {
    let w = settings.weights
    let start = max(opening.start, today)
    return Score(parts: [
      skillsPart(d, opening, w.skills),
      ambitionsPart(d, opening, w.ambitions),
      languagePart(d, opening, w.language),
      regionPart(d, opening, w.region),
      permitPart(d, start, w.permit),
      availabilityPart(d, opening, start, w.availability),
    ])
  }

  /// The latest self-assessment for the profile, as its percentage of the weight.
  func skillsPart(_ d: CaseDocument, _ o: Opening, _ weight: Int) -> Part {
    guard let profile = skills.profile(o.profile),
      let latest = d.screening.assessments.filter({ $0.profile == o.profile }).max(by: { $0.on < $1.on })
    else { return Part(name: "skills", points: 0, maximum: weight, detail: Detail("noAssessment")) }
    let percent = SkillsReport(assessment: latest, profile: profile).percent
    return Part(
      name: "skills", points: (weight * percent + 50) / 100, maximum: weight,
      detail: Detail("fit", String(percent), latest.on.description))
  }

  /// The latest phase-2 screening: the profile among desired occupations, or its sector among
  /// desired sectors (half).
  func ambitionsPart(_ d: CaseDocument, _ o: Opening, _ weight: Int) -> Part {
    guard let latest = d.screening.ambitions.last else {
      return Part(name: "ambitions", points: 0, maximum: weight, detail: Detail("noAmbitions"))
    }
    if latest.occupations.contains(o.profile) {
      return Part(name: "ambitions", points: weight, maximum: weight, detail: Detail("wantsOccupation", o.profile))
    }
    if let sector = skills.profile(o.profile)?.sector, latest.sectors.contains(sector) {
      return Part(name: "ambitions", points: weight / 2, maximum: weight, detail: Detail("wantsSector", sector))
    }
    return Part(name: "ambitions", points: 0, maximum: weight, detail: Detail("otherAmbitions"))
  }

  /// The person's level in the workplace language: the lowest skill recorded for it. Meeting the
  /// requirement scores in full, one level short half.
  func languagePart(_ d: CaseDocument, _ o: Opening, _ weight: Int) -> Part {
    guard let required = o.languageLevel, required > .notYet else {
      return Part(name: "language", points: weight, maximum: weight, detail: Detail("noRequirement"))
    }
    let skill = d.screening.factual.languages.first { Languages.same($0.language, o.language) }
    guard let level = skill?.levels.compactMap({ $0 }).min() else {
      return Part(name: "language", points: 0, maximum: weight, detail: Detail("noLevel", o.language, required.rawValue))
    }
    let levels = CEFRLevel.allCases
    let gap = levels.firstIndex(of: required)! - levels.firstIndex(of: level)!
    let points = gap <= 0 ? weight : gap == 1 ? weight / 2 : 0
    return Part(name: "language", points: points, maximum: weight, detail: Detail("level", o.language, level.rawValue, required.rawValue))
  }

  func regionPart(_ d: CaseDocument, _ o: Opening, _ weight: Int) -> Part {
    let region = o.region.trimmingCharacters(in: .whitespaces)
    guard !region.isEmpty else { return Part(name: "region", points: weight, maximum: weight, detail: Detail("anyRegion")) }
    let wanted = d.screening.ambitions.last?.regions ?? []
    if wanted.isEmpty { return Part(name: "region", points: weight / 2, maximum: weight, detail: Detail("noPreference")) }
    let folded = SearchText.fold(region)
    if wanted.contains(where: { SearchText.fold($0) == folded }) {
      return Part(name: "region", points: weight, maximum: weight, detail: Detail("preferred", region))
    }
    return Part(name: "region", points: 0, maximum: weight, detail: Detail("otherRegion", wanted.joined(separator: ", ")))
  }

  /// Recognised refugees and others with a status may work; an asylum seeker from the permit date.
  func permitPart(_ d: CaseDocument, _ start: LocalDate, _ weight: Int) -> Part {
    let p = d.procedure
    switch p.status {
    case .recognisedRefugee, .subsidiaryProtection, .temporaryProtection:
      return Part(name: "permit", points: weight, maximum: weight, detail: Detail("status", p.status!.rawValue))
    default:
      guard let permit = p.workPermitDate else {
        return Part(name: "permit", points: 0, maximum: weight, detail: Detail("permitUnknown"))
      }
      if permit <= start { return Part(name: "permit", points: weight, maximum: weight, detail: Detail("permitFrom", permit.description)) }
      return Part(name: "permit", points: 0, maximum: weight, detail: Detail("permitLater", permit.description))
    }
  }

  func availabilityPart(_ d: CaseDocument, _ o: Opening, _ start: LocalDate, _ weight: Int) -> Part {
    let placement = d.placement
    if placement.isEmployed(on: start) {
      return Part(name: "availability", points: 0, maximum: weight, detail: Detail("employed"))
    }
    if let running = placement.runningInternship(on: start) {
      return Part(name: "availability", points: weight / 2, maximum: weight, detail: Detail("inInternship", (running.ended ?? running.to).description))
    }
    if let from = placement.availableFrom, from > start {
      return Part(name: "availability", points: weight / 2, maximum: weight, detail: Detail("availableFrom", from.description))
    }
    if let hours = placement.hoursPerWeek, let wanted = o.hoursPerWeek, hours < wanted {
      return Part(name: "availability", points: weight / 2, maximum: weight, detail: Detail("fewerHours", String(hours), String(wanted)))
    }
    return Part(name: "availability", points: weight, maximum: weight, detail: Detail("free"))
  }
}

extension Store {
  /// Open cases in bridging or matching, as the user may see them, without those working in a
  /// job now (a hire without an outcome): the pool an opening's candidates come from (`keten
  /// openings candidates` and the app's candidates screen).
  public func candidatePool() throws(StoreError) -> [CaseDocument] {
    var out: [CaseDocument] = []
    for s in try list().cases where !s.isClosed && (s.stages.contains(.matching) || s.stages.contains(.bridging)) {
      let d = try load(s.id).document
      if d.placement.currentHire == nil { out.append(d) }
    }
    return out
  }
}

extension Store {
  /// Records that a case was hired or taken on from an opening: the opening lists the case, and
  /// closes once every place is taken. Nil when the opening is unknown or lists the case already.
  public func place(_ caseID: CaseID, in opening: String, by user: String, now: Date) throws(StoreError) -> StoredRecord<Opening>? {
    guard let stored = try? record(Opening.self, opening), !(stored.record.placed ?? []).contains(caseID.rawValue) else { return nil }
    var o = stored.record
    o.placed = (o.placed ?? []) + [caseID.rawValue]
    if o.taken >= o.places { o.open = false }
    return try save(o, basedOn: stored, by: user, now: now)
  }
}

extension JobMatching.Part {
  /// The values its wording names, for people: a procedure status, a language and a sector by
  /// their names in the interface language (never the stored codes).
  public func shownValues(strings: Strings, skills: SkillsCatalog) -> [String] {
    var values = detail.key == "status" ? detail.values.map { strings.status(ProcedureStatus(rawValue: $0)) } : detail.values
    if name == "language", !values.isEmpty { values[0] = Languages.name(values[0], strings.language.rawValue) }
    if detail.key == "wantsSector", !values.isEmpty { values[0] = skills.sectorName(values[0], strings.language.rawValue) }
    return values
  }
}
