import CaseStore

/// The sections of the phase-1 interview, one per screen, in order.
public enum Phase1Section: String, CaseIterable, Sendable {
  case education, work, languages, digital, criteria, softSkills
}

/// Something a screening still lacks: a field key (`isced`, `motherTongues`, …), with the entry
/// it belongs to when the section is a list.
public struct MissingItem: Equatable, Sendable {
  public var section: String
  public var field: String
  /// 0-based entry index in the section's list, when the item belongs to an entry.
  public var entry: Int?

  public init(section: String, field: String, entry: Int? = nil) {
    self.section = section
    self.field = field
    self.entry = entry
  }
}

/// Completeness of the two screening phases, and the re-screen date.
public struct ScreeningRules: Sendable {
  public let interview: InterviewCatalog
  public let settings: ScreeningSettings

  public init(interview: InterviewCatalog, settings: ScreeningSettings = ScreeningSettings()) {
    self.interview = interview
    self.settings = settings
  }

  /// What phase 1 lacks in one section.
  public func missing(_ section: Phase1Section, in f: FactualScreening) -> [MissingItem] {
    missing(section, in: f, upTo: .max)
  }

  /// What phase 1 lacks in one section, its first `limit` items: once that many are found the
  /// rest is not looked at (the index asks only whether anything is missing, for every case of
  /// a cold open).
  private func missing(_ section: Phase1Section, in f: FactualScreening, upTo limit: Int) -> [MissingItem] {
    var items: [MissingItem] = []
    func need(_ field: String, _ ok: @autoclosure () -> Bool, entry: Int? = nil) {
      if items.count < limit, !ok() { items.append(MissingItem(section: section.rawValue, field: field, entry: entry)) }
    }
    switch section {
    case .education:
      need("education", !f.education.isEmpty || f.noEducation)
      for (i, e) in f.education.enumerated() {
        need("isced", e.isced != nil, entry: i)
        need("field", !e.field.isBlank || (e.isced ?? 9) <= 1, entry: i)
        need("country", !e.country.isBlank, entry: i)
        need("diploma", e.diploma != nil, entry: i)
        if e.diploma == true {
          need("document", e.document != nil, entry: i)
          need("recognition", e.recognition != nil, entry: i)
        }
      }
    case .work:
      need("work", !f.work.isEmpty || f.noWork)
      for (i, w) in f.work.enumerated() {
        need("occupation", !w.occupation.isBlank, entry: i)
        need("country", !w.country.isBlank, entry: i)
        need("fromYear", w.fromYear != nil, entry: i)
        need("employment", w.employment != nil, entry: i)
      }
    case .languages:
      need("motherTongues", !f.motherTongues.isEmpty)
      for (i, l) in f.languages.enumerated() {
        need("language", !l.language.isBlank, entry: i)
        need("levels", !l.levels.contains(nil), entry: i)
      }
    case .digital:
      need("digitalLevel", f.digitalLevel != nil)
      need("drivingLicences", f.drivingLicences != nil)
    case .criteria:
      for q in interview.hardCriteria { need(q.id, f.hardCriteria[q.id] != nil) }
      for q in interview.softCriteria { need(q.id, !(f.softCriteria[q.id] ?? "").isBlank) }
    case .softSkills:
      for q in interview.softSkills { need(q.id, !(f.softSkills[q.id] ?? "").isBlank) }
    }
    return items
  }

  /// Everything phase 1 lacks, section by section.
  public func missingPhase1(_ f: FactualScreening) -> [MissingItem] {
    Phase1Section.allCases.flatMap { missing($0, in: f) }
  }

  public func isPhase1Complete(_ f: FactualScreening) -> Bool {
    for section in Phase1Section.allCases where !missing(section, in: f, upTo: 1).isEmpty { return false }
    return true
  }

  /// What a phase-2 screening lacks before it can be concluded.
  public func missingPhase2(_ a: AmbitionScreening) -> [MissingItem] {
    var items: [MissingItem] = []
    func need(_ field: String, _ ok: Bool) {
      if !ok { items.append(MissingItem(section: "ambitions", field: field)) }
    }
    need("occupations", !a.occupations.isEmpty)
    need("sectors", !a.sectors.isEmpty)
    need("regions", !a.regions.isEmpty)
    need("retraining", a.retraining != nil)
    need("ambitions", !a.ambitions.isBlank)
    need("obstacles", a.obstacles != nil)
    return items
  }

  /// True when phase 2 may start: phase 1 is complete.
  public func canStartPhase2(_ d: CaseDocument) -> Bool { isPhase1Complete(d.screening.factual) }

  /// When the next phase-2 screening is due: the last concluded one plus the interval, while the
  /// asylum procedure runs (status asylum seeker) and the case is open. Nil otherwise.
  public func rescreenDue(_ d: CaseDocument) -> LocalDate? { settings.rescreenDue(d) }
}
