import Foundation

/// What a user of the store does: the one thing that decides which cases and which parts of
/// them they see, and what they may do.
public enum Role: String, StoredCode, CaseIterable, Sendable {
  /// Sees and does everything, manages users, erases.
  case coordinator
  /// Sees and edits the cases of their centre (and the cases assigned to them).
  case caseWorker = "case-worker"
  /// Sees the names and the training of the participants of their groups.
  case trainer
  /// Sees their mentees' names, contact, languages and the pair (see `MenteeView`).
  case mentor
}

/// The parts of a case file a role may be shown. Every field of `CaseDocument` belongs to
/// exactly one section (see `CaseDocument.redacted(to:)`).
public enum CaseSection: String, CaseIterable, Sendable {
  /// The case id and the person's full and preferred name.
  case names
  /// The person's phone.
  case contact
  /// The languages the person speaks (without levels).
  case languages
  /// The person's gender: a trainer needs it, since the guidelines ask for the VOORwerk
  /// evaluation by gender.
  case gender
  /// Date of birth, nationality, centre and the assigned case worker.
  case personal
  /// The asylum procedure and work permit.
  case procedure
  /// Chain stages and closure.
  case status
  /// Case workers' notes.
  case notes
  /// Phase-1 facts, phase-2 ambitions, skills self-assessments.
  case screening
  /// VOORwerk participation, attendance and evaluations (kept in the training groups).
  case training
  /// Mentoring pairs and check-ins.
  case mentoring
  /// Availability, internships, hires and the post-hire follow-up.
  case placement
  /// The individual action plan (a mentor is shown the actions assigned to the mentor, in the
  /// mentee view; a trainer none).
  case plan
  /// Consents to share and the log of disclosures.
  case consents
  /// The audit journal's entries about the case.
  case history
}

/// What a user may do besides seeing cases.
public enum Permission: String, CaseIterable, Sendable {
  /// Create, edit, delete and restore case files.
  case editCases
  /// Write a CV, a screening summary for a partner or a subject-access export.
  case export
  /// Erase a case for good (GDPR art. 17).
  case erase
  /// Add, change and remove users.
  case manageUsers
  /// Read the audit journal (a case worker: about the cases they may see).
  case readJournal
  /// Create and edit training groups (a trainer: the groups they train).
  case editGroups
  /// Keep the mentor registry, employers, openings and job fairs.
  case editRecords
  /// Log a check-in with a mentee (staff may log one on a mentor's behalf).
  case logCheckIns
}

/// The access rules, in one table. Tests go over every role × section and role × permission.
public enum AccessPolicy {
  /// The sections of a visible case a role is shown.
  public static func sections(for role: Role) -> Set<CaseSection> {
    switch role {
    case .coordinator, .caseWorker: return Set(CaseSection.allCases)
    case .trainer: return [.names, .gender, .training]
    case .mentor: return [.names, .contact, .languages, .mentoring]
    }
  }

  public static func permissions(for role: Role) -> Set<Permission> {
    switch role {
    case .coordinator: return Set(Permission.allCases)
    case .caseWorker: return [.editCases, .export, .readJournal, .editGroups, .editRecords, .logCheckIns]
    case .trainer: return [.editGroups]
    case .mentor: return [.logCheckIns]
    }
  }
}

/// Who is using the store, resolved from the users file: the rules applied where data leaves
/// the store (`Store.list`, `Store.load`, `Store.records`).
public struct Viewer: Sendable, Equatable {
  public var login: String
  public var role: Role
  /// The centre of a case worker (compared without case or accents).
  public var centre: String?
  /// A trainer's participants: the case ids in the groups they train.
  public var participants: Set<String>
  /// A mentor's mentor record ids.
  public var mentorIDs: Set<String>

  public init(
    login: String, role: Role, centre: String? = nil, participants: Set<String> = [], mentorIDs: Set<String> = []
  ) {
    self.login = login
    self.role = role
    self.centre = centre
    self.participants = participants
    self.mentorIDs = mentorIDs
  }

  public var sections: Set<CaseSection> { AccessPolicy.sections(for: role) }
  public var seesWholeCases: Bool { sections.count == CaseSection.allCases.count }

  public func may(_ permission: Permission) -> Bool {
    AccessPolicy.permissions(for: role).contains(permission)
  }

  /// Whether the case is one this user may see at all.
  public func maySee(id: CaseID, centre: String?, caseWorker: String?, mentor: String?) -> Bool {
    switch role {
    case .coordinator: return true
    case .caseWorker:
      if let caseWorker, caseWorker == login { return true }
      guard let mine = self.centre, let theirs = centre, !theirs.isEmpty else { return false }
      return Viewer.sameCentre(mine, theirs)
    case .trainer: return participants.contains(id.rawValue)
    case .mentor: return mentor.map(mentorIDs.contains) ?? false
    }
  }

  /// Centre names compared as typed: case and accents do not matter ("gent" is "Gent"). Plain
  /// ASCII names, nearly all of them, are compared without folding.
  static func sameCentre(_ a: String, _ b: String) -> Bool {
    if a == b { return true }
    if a.utf8.allSatisfy({ $0 < 128 }) && b.utf8.allSatisfy({ $0 < 128 }) {
      func lower(_ c: UInt8) -> UInt8 { (65...90).contains(c) ? c + 32 : c }
      return a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).allSatisfy { lower($0) == lower($1) }
    }
    return SearchText.fold(a) == SearchText.fold(b)
  }

  public func maySee(_ s: CaseSummary) -> Bool {
    // Listing 100,000 summaries calls this for each: read only the fields the role needs.
    switch role {
    case .coordinator: return true
    case .caseWorker:
      if s.caseWorker == login { return true }
      return maySee(id: s.id, centre: s.centre, caseWorker: nil, mentor: nil)
    case .trainer: return participants.contains(s.id.rawValue)
    case .mentor: return mentorIDs.contains(s.mentor)
    }
  }

  public func maySee(_ d: CaseDocument) -> Bool {
    maySee(
      id: d.id, centre: d.person.centre, caseWorker: d.person.caseWorker,
      mentor: d.isClosed ? nil : d.openPair?.mentor)
  }
}

extension CaseSection {
  /// The document's keys (top level, or `person.` + key) each set of sections shows; the id,
  /// revision and dates of the last change say nothing about the person and always show.
  public static func visibleKeys(_ sections: Set<CaseSection>) -> Set<String> {
    var keys: Set<String> = ["id", "schemaVersion", "revision", "createdAt", "createdBy", "updatedAt", "updatedBy"]
    for section in sections {
      switch section {
      case .names: keys.formUnion(["person.fullName", "person.preferredName"])
      case .contact: keys.insert("person.phone")
      case .languages: keys.insert("person.languages")
      case .gender: keys.insert("person.gender")
      case .personal:
        keys.formUnion(["person.dateOfBirth", "person.nationality", "person.centre", "person.caseWorker"])
      case .procedure: keys.insert("procedure")
      case .status: keys.formUnion(["stages", "stageHistory", "closed"])
      case .notes: keys.insert("notes")
      case .screening: keys.insert("screening")
      case .mentoring: keys.insert("mentoring")
      case .placement: keys.insert("placement")
      case .plan: keys.insert("actionPlan")
      case .consents: keys.formUnion(["consents", "disclosures"])
      case .training, .history: break
      }
    }
    return keys
  }
}

extension Viewer {
  /// Whether records of this kind reach this user at all (some of them, for a trainer's groups
  /// and a mentor's own registration).
  public func mayRead(kind: RecordKind) -> Bool {
    switch role {
    case .coordinator, .caseWorker: return true
    case .trainer: return kind == TrainingGroup.kind
    case .mentor: return kind == Mentor.kind
    }
  }

  /// Whether a record (training group, mentor, employer, …) reaches this user.
  public func mayRead<Record: StoreRecord>(_ record: Record) -> Bool {
    switch role {
    case .coordinator, .caseWorker: return true
    case .trainer: return (record as? TrainingGroup)?.trainers.contains(login) ?? false
    case .mentor: return (record as? Mentor)?.login == login
    }
  }

  /// Whether this user may write the record as it is (before and after a change).
  public func mayWrite<Record: StoreRecord>(_ record: Record) -> Bool {
    if let group = record as? TrainingGroup {
      return may(.editGroups) && (role != .trainer || group.trainers.contains(login))
    }
    return may(.editRecords)
  }
}

extension CaseDocument {
  /// The document with every section outside `sections` emptied. The id, revision and the
  /// dates of the last change stay (they say nothing about the person).
  public func redacted(to sections: Set<CaseSection>) -> CaseDocument {
    if sections.count == CaseSection.allCases.count { return self }
    var d = CaseDocument(id: id, person: Person(fullName: ""), createdAt: createdAt, createdBy: createdBy)
    d.schemaVersion = schemaVersion
    d.revision = revision
    d.updatedAt = updatedAt
    d.updatedBy = updatedBy
    d.stages = []
    if sections.contains(.names) {
      d.person.fullName = person.fullName
      d.person.preferredName = person.preferredName
    }
    if sections.contains(.contact) { d.person.phone = person.phone }
    if sections.contains(.languages) {
      var languages = person.languages
      for tongue in screening.factual.motherTongues + screening.factual.languages.map(\.language)
      where !tongue.isEmpty && !languages.contains(where: { $0.lowercased() == tongue.lowercased() }) {
        languages.append(tongue)
      }
      d.person.languages = languages
    }
    if sections.contains(.gender) { d.person.gender = person.gender }
    if sections.contains(.personal) {
      d.person.dateOfBirth = person.dateOfBirth
      d.person.nationality = person.nationality
      d.person.centre = person.centre
      d.person.caseWorker = person.caseWorker
    }
    if sections.contains(.procedure) { d.procedure = procedure }
    if sections.contains(.status) {
      d.stages = stages
      d.stageHistory = stageHistory
      d.closure = closure
    }
    if sections.contains(.notes) { d.notes = notes }
    if sections.contains(.screening) { d.screening = screening }
    if sections.contains(.mentoring) { d.mentoring = mentoring }
    if sections.contains(.placement) { d.placement = placement }
    if sections.contains(.plan) { d.actionPlan = actionPlan }
    if sections.contains(.consents) {
      d.consents = consents
      d.disclosures = disclosures
    }
    return d
  }
}

extension CaseSummary {
  /// The summary with what `sections` does not cover left blank; the search key then holds the
  /// names and id only.
  public func redacted(to sections: Set<CaseSection>) -> CaseSummary {
    if sections.count == CaseSection.allCases.count { return self }
    var s = self
    if !sections.contains(.names) {
      s.fullName = ""
      s.preferredName = ""
    }
    if !sections.contains(.gender) { s.gender = .unspecified }
    if !sections.contains(.personal) {
      s.dateOfBirth = nil
      s.nationality = ""
      s.centre = ""
      s.caseWorker = ""
    }
    if !sections.contains(.procedure) { s.procedureStatus = nil }
    if !sections.contains(.status) {
      s.stages = []
      s.closedOn = nil
    }
    // Due items and report facts come from every section; a partial view gets none.
    s.dueItems = []
    s.facts = []
    if !sections.contains(.mentoring) {
      s.mentor = ""
      s.pairCount = 0
    }
    s.searchKey = SearchText.fold([s.fullName, s.preferredName, id.rawValue].joined(separator: "\u{1F}"))
    return s
  }
}
