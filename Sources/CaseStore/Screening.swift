import Foundation

/// The screening section of a case: the factual phase 1, the dated phase-2 ambition screenings,
/// and the skills self-assessments (DOMAIN.md, "Screening").
///
/// Phase 2 and assessments are kept as lists so that no earlier answer is overwritten: a
/// re-screen adds a new dated entry.
public struct Screening: Codable, Equatable, Sendable {
  public var factual: FactualScreening
  /// Ambition screenings, oldest first.
  public var ambitions: [AmbitionScreening]
  /// Skills self-assessments, oldest first.
  public var assessments: [SkillsAssessment]

  public init(
    factual: FactualScreening = FactualScreening(), ambitions: [AmbitionScreening] = [],
    assessments: [SkillsAssessment] = []
  ) {
    self.factual = factual
    self.ambitions = ambitions
    self.assessments = assessments
  }

  enum CodingKeys: String, CodingKey { case factual, ambitions, assessments }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    factual = try c.decodeIfPresent(FactualScreening.self, forKey: .factual) ?? FactualScreening()
    ambitions = try c.decodeIfPresent([AmbitionScreening].self, forKey: .ambitions) ?? []
    assessments = try c.decodeIfPresent([SkillsAssessment].self, forKey: .assessments) ?? []
  }

  /// True when nothing has been recorded yet.
  public var isEmpty: Bool { self == Screening() }

  /// The next free id with `prefix` among `ids` (`a1`, `a2`, …).
  static func nextID(_ prefix: String, after ids: [String]) -> String {
    let used = ids.compactMap { $0.hasPrefix(prefix) ? Int($0.dropFirst(prefix.count)) : nil }.max() ?? 0
    return "\(prefix)\(used + 1)"
  }
}

/// Phase 1: the facts recorded at intake. Answers to catalog questions are keyed by the
/// question's id from `Resources/screening/interview.json`.
public struct FactualScreening: Codable, Equatable, Sendable {
  public var education: [EducationEntry] = []
  /// Set when the person answered that they had no formal education.
  public var noEducation = false
  public var work: [WorkEntry] = []
  /// Set when the person answered that they have no work experience.
  public var noWork = false
  public var motherTongues: [String] = []
  public var languages: [LanguageSkill] = []
  public var digitalLevel: DigitalLevel?
  public var digitalNotes: String?
  /// Driving licence categories; nil while not asked, empty when the person has none.
  public var drivingLicences: [DrivingLicence]?
  /// Hard placement criteria by id: true (applies) or false (does not).
  public var hardCriteria: [String: Bool] = [:]
  /// Soft placement criteria by id, in the person's words.
  public var softCriteria: [String: String] = [:]
  /// Soft skills and potential by question id, in the person's words.
  public var softSkills: [String: String] = [:]
  /// The section the interview was paused at, to resume there.
  public var resumeSection: String?
  public var startedOn: LocalDate?
  public var updatedOn: LocalDate?

  public init() {}

  enum CodingKeys: String, CodingKey {
    case education, noEducation, work, noWork, motherTongues, languages, digitalLevel
    case digitalNotes, drivingLicences, hardCriteria, softCriteria, softSkills, resumeSection
    case startedOn, updatedOn
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    education = try c.decodeIfPresent([EducationEntry].self, forKey: .education) ?? []
    noEducation = try c.decodeIfPresent(Bool.self, forKey: .noEducation) ?? false
    work = try c.decodeIfPresent([WorkEntry].self, forKey: .work) ?? []
    noWork = try c.decodeIfPresent(Bool.self, forKey: .noWork) ?? false
    motherTongues = try c.decodeIfPresent([String].self, forKey: .motherTongues) ?? []
    languages = try c.decodeIfPresent([LanguageSkill].self, forKey: .languages) ?? []
    digitalLevel = try c.decodeIfPresent(DigitalLevel.self, forKey: .digitalLevel)
    digitalNotes = try c.decodeIfPresent(String.self, forKey: .digitalNotes)
    drivingLicences = try c.decodeIfPresent([DrivingLicence].self, forKey: .drivingLicences)
    hardCriteria = try c.decodeIfPresent([String: Bool].self, forKey: .hardCriteria) ?? [:]
    softCriteria = try c.decodeIfPresent([String: String].self, forKey: .softCriteria) ?? [:]
    softSkills = try c.decodeIfPresent([String: String].self, forKey: .softSkills) ?? [:]
    resumeSection = try c.decodeIfPresent(String.self, forKey: .resumeSection)
    startedOn = try c.decodeIfPresent(LocalDate.self, forKey: .startedOn)
    updatedOn = try c.decodeIfPresent(LocalDate.self, forKey: .updatedOn)
  }
}

/// One school, course or degree.
public struct EducationEntry: Codable, Equatable, Sendable {
  /// ISCED 2011 level, 0–8.
  public var isced: Int?
  public var field: String = ""
  public var school: String = ""
  public var country: String = ""
  public var fromYear: Int?
  public var toYear: Int?
  /// Whether a diploma was obtained; nil while not asked.
  public var diploma: Bool?
  public var document: DocumentOnHand?
  public var recognition: RecognitionStatus?

  public init() {}
}

/// What the person holds of a diploma.
public enum DocumentOnHand: String, StoredCode, CaseIterable, Sendable {
  case original, copy, none
}

/// Where the recognition of a foreign diploma stands.
public enum RecognitionStatus: String, StoredCode, CaseIterable, Sendable {
  case notStarted = "not-started"
  case requested, recognised, refused
  case notNeeded = "not-needed"
}

/// One job or trade the person worked in.
public struct WorkEntry: Codable, Equatable, Sendable {
  /// A job-profile id from the skills catalog, or the occupation in free text.
  public var occupation: String = ""
  /// A sector id from the skills catalog, or empty.
  public var sector: String = ""
  public var country: String = ""
  public var fromYear: Int?
  public var toYear: Int?
  public var tasks: String = ""
  public var employment: Employment?

  public init() {}
}

public enum Employment: String, StoredCode, CaseIterable, Sendable {
  case employed
  case selfEmployed = "self-employed"
}

/// A language other than a mother tongue, with a CEFR level per skill.
public struct LanguageSkill: Codable, Equatable, Sendable {
  public var language: String = ""
  public var listening: CEFRLevel?
  public var reading: CEFRLevel?
  public var spokenInteraction: CEFRLevel?
  public var spokenProduction: CEFRLevel?
  public var writing: CEFRLevel?

  public init(language: String = "") { self.language = language }

  /// The five levels in Europass order (nil where not assessed).
  public var levels: [CEFRLevel?] { [listening, reading, spokenInteraction, spokenProduction, writing] }
}

/// The Common European Framework of Reference levels. `notYet` is "no knowledge yet" (pre-A1).
public enum CEFRLevel: String, StoredCode, CaseIterable, Sendable, Comparable {
  case notYet = "-"
  case a1 = "A1", a2 = "A2", b1 = "B1", b2 = "B2", c1 = "C1", c2 = "C2"

  public static func < (a: CEFRLevel, b: CEFRLevel) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// Digital skills, on the four steps of the Europass self-assessment.
public enum DigitalLevel: String, StoredCode, CaseIterable, Sendable {
  case noSkills = "none", basic, independent, proficient
}

/// EU driving licence categories.
public enum DrivingLicence: String, StoredCode, CaseIterable, Sendable {
  case am = "AM", a1 = "A1", a2 = "A2", a = "A", b = "B", be = "BE", c1 = "C1", c1e = "C1E"
  case c = "C", ce = "CE", d1 = "D1", d1e = "D1E", d = "D", de = "DE", t = "T"
}

/// Phase 2: one dated ambition screening. Concluded screenings are never edited again; a
/// re-screen starts a new one from the last.
public struct AmbitionScreening: Codable, Equatable, Sendable, Identifiable {
  public var id: String
  public var on: LocalDate
  public var by: String
  /// Desired occupations, most wanted first: job-profile ids from the catalog or free text.
  public var occupations: [String] = []
  /// Sector ids from the catalog.
  public var sectors: [String] = []
  public var regions: [String] = []
  public var retraining: Willingness?
  /// The person's ambitions in their own words.
  public var ambitions: String = ""
  /// Obstacles; nil while not asked, empty when there are none.
  public var obstacles: [Obstacle]?
  public var obstacleNotes: String = ""
  /// Set when the screening is finished; it is then kept as it is.
  public var concluded = false

  public init(id: String, on: LocalDate, by: String) {
    self.id = id
    self.on = on
    self.by = by
  }

  enum CodingKeys: String, CodingKey {
    case id, on, by, occupations, sectors, regions, retraining, ambitions, obstacles
    case obstacleNotes, concluded
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .id)
    on = try c.decode(LocalDate.self, forKey: .on)
    by = try c.decode(String.self, forKey: .by)
    occupations = try c.decodeIfPresent([String].self, forKey: .occupations) ?? []
    sectors = try c.decodeIfPresent([String].self, forKey: .sectors) ?? []
    regions = try c.decodeIfPresent([String].self, forKey: .regions) ?? []
    retraining = try c.decodeIfPresent(Willingness.self, forKey: .retraining)
    ambitions = try c.decodeIfPresent(String.self, forKey: .ambitions) ?? ""
    obstacles = try c.decodeIfPresent([Obstacle].self, forKey: .obstacles)
    obstacleNotes = try c.decodeIfPresent(String.self, forKey: .obstacleNotes) ?? ""
    concluded = try c.decodeIfPresent(Bool.self, forKey: .concluded) ?? false
  }
}

public enum Willingness: String, StoredCode, CaseIterable, Sendable {
  case yes, maybe, no
}

public enum Obstacle: String, StoredCode, CaseIterable, Sendable {
  case childcare, health, transport, housing, language
}

extension CaseDocument {
  /// The phase-2 screening being filled in, if one is open (not concluded).
  public var openAmbitionScreening: AmbitionScreening? {
    screening.ambitions.last.flatMap { $0.concluded ? nil : $0 }
  }

  /// Starts a phase-2 screening on `date`: a copy of the last concluded one (a re-screen checks
  /// whether answers changed), or a blank one. Returns the open one if there already is one.
  @discardableResult
  public mutating func startAmbitionScreening(on date: LocalDate, by user: String) -> String {
    if let open = openAmbitionScreening { return open.id }
    let id = Screening.nextID("a", after: screening.ambitions.map(\.id))
    var next = AmbitionScreening(id: id, on: date, by: user)
    if let last = screening.ambitions.last {
      next.occupations = last.occupations
      next.sectors = last.sectors
      next.regions = last.regions
      next.retraining = last.retraining
      next.ambitions = last.ambitions
      next.obstacles = last.obstacles
      next.obstacleNotes = last.obstacleNotes
    }
    screening.ambitions.append(next)
    return id
  }
}
