import Foundation

/// One case file: a person on their way through the chain, stored as one JSON document.
///
/// Each section lives in its own type and file (`Person`, `Procedure`, `Note`, …). To add a
/// section: add its type in a new file, a property here with a default, one line in `CodingKeys`
/// and one `decodeIfPresent` in `init(from:)`, and describe it in `Resources/schema`.
public struct CaseDocument: Equatable, Sendable {
  /// The schema version this build writes.
  public static let currentSchemaVersion = 1

  public var schemaVersion: Int
  public var id: CaseID
  /// Incremented by one on every save; the basis of conflict detection.
  public var revision: Int
  public var createdAt: Date
  public var updatedAt: Date
  public var createdBy: String
  public var updatedBy: String

  public var person: Person
  public var procedure: Procedure
  /// Active chain stages; several may be active at once.
  public var stages: Set<ChainStage>
  /// Every change of `stages`, oldest first, kept by the store (see `recordStages`).
  public var stageHistory: [StageChange]
  /// Set when the case is closed.
  public var closure: Closure?
  public var notes: [Note]
  /// Phase-1 facts, phase-2 ambitions and skills self-assessments.
  public var screening: Screening
  /// Consents to share with chain partners, per recipient and purpose.
  public var consents: [Consent]
  /// Every time data of the case left the app, oldest first.
  public var disclosures: [Disclosure]
  /// Mentoring pairs, oldest first; at most the last one is open.
  public var mentoring: [MentorPair]
  /// Availability, internships and hires with their post-hire follow-up.
  public var placement: Placement
  /// The individual action plan, once started.
  public var actionPlan: ActionPlan?

  public init(
    id: CaseID, person: Person, procedure: Procedure = Procedure(),
    stages: Set<ChainStage> = [.screening], createdAt: Date = Timestamp.now(),
    createdBy: String
  ) {
    self.schemaVersion = CaseDocument.currentSchemaVersion
    self.id = id
    self.revision = 0
    self.createdAt = createdAt
    self.updatedAt = createdAt
    self.createdBy = createdBy
    self.updatedBy = createdBy
    self.person = person
    self.procedure = procedure
    self.stages = stages
    self.stageHistory = []
    self.closure = nil
    self.notes = []
    self.screening = Screening()
    self.consents = []
    self.disclosures = []
    self.mentoring = []
    self.placement = Placement()
    self.actionPlan = nil
  }

  /// True when the case is closed.
  public var isClosed: Bool { closure != nil }

  /// Active stages in chain order.
  public var orderedStages: [ChainStage] { ChainStage.allCases.filter(stages.contains) }
}

extension CaseDocument: Codable {
  enum CodingKeys: String, CodingKey {
    case schemaVersion, id, revision, createdAt, updatedAt, createdBy, updatedBy
    case person, procedure, stages, stageHistory, closure = "closed", notes, screening, consents, disclosures
    case mentoring, placement, actionPlan
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
    id = try c.decode(CaseID.self, forKey: .id)
    revision = try c.decode(Int.self, forKey: .revision)
    createdAt = try c.decode(Date.self, forKey: .createdAt)
    updatedAt = try c.decode(Date.self, forKey: .updatedAt)
    createdBy = try c.decode(String.self, forKey: .createdBy)
    updatedBy = try c.decode(String.self, forKey: .updatedBy)
    person = try c.decode(Person.self, forKey: .person)
    procedure = try c.decodeIfPresent(Procedure.self, forKey: .procedure) ?? Procedure()
    stages = Set(try c.decodeIfPresent([ChainStage].self, forKey: .stages) ?? [])
    stageHistory = try c.decodeIfPresent([StageChange].self, forKey: .stageHistory) ?? []
    closure = try c.decodeIfPresent(Closure.self, forKey: .closure)
    notes = try c.decodeIfPresent([Note].self, forKey: .notes) ?? []
    screening = try c.decodeIfPresent(Screening.self, forKey: .screening) ?? Screening()
    consents = try c.decodeIfPresent([Consent].self, forKey: .consents) ?? []
    disclosures = try c.decodeIfPresent([Disclosure].self, forKey: .disclosures) ?? []
    mentoring = try c.decodeIfPresent([MentorPair].self, forKey: .mentoring) ?? []
    placement = try c.decodeIfPresent(Placement.self, forKey: .placement) ?? Placement()
    actionPlan = try c.decodeIfPresent(ActionPlan.self, forKey: .actionPlan)
  }

  /// The keys of the sections that equal `base`'s: a save takes their encoding from the tree
  /// of `base` (each section's encoding follows from its value alone).
  func unchangedSections(since base: CaseDocument) -> Set<String> {
    var same: [CodingKeys] = []
    if person == base.person { same.append(.person) }
    if procedure == base.procedure { same.append(.procedure) }
    if stages == base.stages { same.append(.stages) }
    if stageHistory == base.stageHistory { same.append(.stageHistory) }
    if closure == base.closure { same.append(.closure) }
    if notes == base.notes { same.append(.notes) }
    if screening == base.screening { same.append(.screening) }
    if consents == base.consents { same.append(.consents) }
    if disclosures == base.disclosures { same.append(.disclosures) }
    if mentoring == base.mentoring { same.append(.mentoring) }
    if placement == base.placement { same.append(.placement) }
    if actionPlan == base.actionPlan { same.append(.actionPlan) }
    return Set(same.map(\.stringValue))
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(schemaVersion, forKey: .schemaVersion)
    try c.encode(id, forKey: .id)
    try c.encode(revision, forKey: .revision)
    try c.encode(createdAt, forKey: .createdAt)
    try c.encode(updatedAt, forKey: .updatedAt)
    try c.encode(createdBy, forKey: .createdBy)
    try c.encode(updatedBy, forKey: .updatedBy)
    try c.encode(person, forKey: .person)
    try c.encode(procedure, forKey: .procedure)
    try c.encode(orderedStages, forKey: .stages)
    if !stageHistory.isEmpty { try c.encode(stageHistory, forKey: .stageHistory) }
    try c.encodeIfPresent(closure, forKey: .closure)
    try c.encode(notes, forKey: .notes)
    if !screening.isEmpty { try c.encode(screening, forKey: .screening) }
    if !consents.isEmpty { try c.encode(consents, forKey: .consents) }
    if !disclosures.isEmpty { try c.encode(disclosures, forKey: .disclosures) }
    if !mentoring.isEmpty { try c.encode(mentoring, forKey: .mentoring) }
    if !placement.isEmpty { try c.encode(placement, forKey: .placement) }
    try c.encodeIfPresent(actionPlan, forKey: .actionPlan)
  }
}
