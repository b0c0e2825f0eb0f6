import Foundation

/// Matching and sustaining in the case file (`placement`): when the person can start, their
/// internships with the agreement, and their hires with the post-hire plan and follow-ups.
public struct Placement: Codable, Equatable, Sendable {
  /// From when the person can take up work or an internship (nil: now).
  public var availableFrom: LocalDate?
  /// Hours a week the person can work (nil: not said).
  public var hoursPerWeek: Int?
  public var internships: [Internship]
  public var hires: [Hire]

  public init(availableFrom: LocalDate? = nil, hoursPerWeek: Int? = nil) {
    self.availableFrom = availableFrom
    self.hoursPerWeek = hoursPerWeek
    internships = []
    hires = []
  }

  public var isEmpty: Bool { self == Placement() }

  enum CodingKeys: String, CodingKey { case availableFrom, hoursPerWeek, internships, hires }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    availableFrom = try c.decodeIfPresent(LocalDate.self, forKey: .availableFrom)
    hoursPerWeek = try c.decodeIfPresent(Int.self, forKey: .hoursPerWeek)
    internships = try c.decodeIfPresent([Internship].self, forKey: .internships) ?? []
    hires = try c.decodeIfPresent([Hire].self, forKey: .hires) ?? []
  }

  /// The hire still followed up (no six-month outcome yet), latest first.
  public var currentHire: Hire? { hires.last { $0.outcome == nil } }

  /// Whether the person is in work on `day`: a hire started and no outcome says they left.
  public func isEmployed(on day: LocalDate) -> Bool {
    hires.contains { h in
      guard h.start <= day else { return false }
      guard let outcome = h.outcome else { return true }
      return outcome.status.stillEmployed || outcome.on > day
    }
  }

  /// An internship running on `day` (started and not ended).
  public func runningInternship(on day: LocalDate) -> Internship? {
    internships.first { i in
      guard let started = i.started, started <= day else { return false }
      return (i.ended ?? i.to) >= day
    }
  }

  /// Problems of the availability, by field path.
  public func availabilityIssues() -> [ValidationIssue] {
    guard let hours = hoursPerWeek, !(1...60).contains(hours) else { return [] }
    return [ValidationIssue(path: "hoursPerWeek", problem: .notInRange(String(hours), min: 1, max: 60))]
  }

  public static let fields: [FormField<Placement>] = [
    .date("availableFrom", \.availableFrom),
    .whole("hoursPerWeek", 1...60, \.hoursPerWeek),
  ]

  public var nextInternshipID: String { Screening.nextID("i", after: internships.map(\.id)) }
  public var nextHireID: String { Screening.nextID("h", after: hires.map(\.id)) }
}

/// A dated signature or approval: who, and on which day.
public struct Signature: Codable, Equatable, Sendable {
  public var name: String
  public var on: LocalDate

  public init(name: String, on: LocalDate) {
    self.name = name
    self.on = on
  }

  /// "Name on YYYY-MM-DD" as typed in a form; "on" and the date may be left out for today.
  static func field<Root>(_ path: String, _ key: WritableKeyPath<Root, Signature?> & Sendable, today: LocalDate)
    -> FormField<Root>
  {
    FormField(
      path: path, kind: .text, required: false,
      get: { $0[keyPath: key].map { "\($0.name), \($0.on)" } ?? "" },
      set: { root, text throws(FieldError) in
        if text.isEmpty {
          root[keyPath: key] = nil
          return
        }
        var name = text
        var on = today
        if let comma = text.lastIndex(of: ",") {
          let tail = text[text.index(after: comma)...].trimmingCharacters(in: .whitespaces)
          if let date = LocalDate(tail) {
            on = date
            name = text[..<comma].trimmingCharacters(in: .whitespaces)
          } else if tail.first?.isNumber == true {
            _ = try FormField<Placement>.parseDate(path, tail)
          }
        }
        if name.isEmpty { throw FieldError(path: path, problem: .required) }
        root[keyPath: key] = Signature(name: name, on: on)
      })
  }
}

/// An unpaid internship under a written agreement signed by intern, company and mediating
/// organisation, with the ethics code of the guidelines.
public struct Internship: Codable, Equatable, Sendable {
  /// `i1`, `i2`, … within the case.
  public var id: String
  /// The opening's record id when it came from one.
  public var opening: String?
  /// The employer's record id when the company is registered.
  public var employer: String?
  public var organisation: String
  public var role: String
  public var from: LocalDate
  public var to: LocalDate
  public var hoursPerWeek: Int?
  /// The experienced supervisor at the company.
  public var supervisor: String
  public var learningGoals: [String]
  public var ethics: Ethics
  public var intern: Signature?
  public var company: Signature?
  public var mediator: Signature?
  /// Why it runs longer than six months, when it does.
  public var longerReason: String?
  public var started: LocalDate?
  public var ended: LocalDate?
  public var certificateIssued: Bool
  public var notes: String

  public init(id: String, organisation: String, role: String, from: LocalDate, to: LocalDate) {
    self.id = id
    self.organisation = organisation
    self.role = role
    self.from = from
    self.to = to
    supervisor = ""
    learningGoals = []
    ethics = Ethics()
    certificateIssued = false
    notes = ""
  }

  /// The ethics code every agreement confirms.
  public struct Ethics: Codable, Equatable, Sendable {
    /// The internship does not replace a paid job.
    public var notReplacingPaidWork = false
    /// An allowance for travel (distance, transport) is agreed.
    public var travelAllowance = false
    /// A named, experienced supervisor guides the intern.
    public var experiencedSupervisor = false
    /// A certificate of the skills acquired is given at the end.
    public var skillsCertificate = false
    /// Learning goals, working conditions and duration are written down.
    public var learningGoalsAgreed = false

    public init() {}

    public static let items = ["notReplacingPaidWork", "travelAllowance", "experiencedSupervisor", "skillsCertificate", "learningGoalsAgreed"]

    public var unticked: [String] {
      zip(Ethics.items, [notReplacingPaidWork, travelAllowance, experiencedSupervisor, skillsCertificate, learningGoalsAgreed])
        .filter { !$0.1 }.map(\.0)
    }
  }

  /// The guideline's ceiling: in principle at most six months.
  public static let maximumMonths = 6

  public var isLong: Bool { to > from.adding(months: Internship.maximumMonths) }

  /// Signatures still missing, by role (`intern`, `company`, `mediator`).
  public var missingSignatures: [String] {
    [("intern", intern), ("company", company), ("mediator", mediator)].filter { $0.1 == nil }.map(\.0)
  }

  public func issues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if organisation.isBlank {
      issues.append(.init(path: "organisation", problem: .required))
    }
    if to < from { issues.append(.init(path: "to", problem: .endBeforeStart(start: from.description, end: to.description))) }
    if isLong, (longerReason ?? "").isBlank {
      issues.append(.init(path: "longerReason", problem: .internshipTooLong(months: Internship.maximumMonths)))
    }
    if let hours = hoursPerWeek, !(1...40).contains(hours) {
      issues.append(.init(path: "hoursPerWeek", problem: .notInRange(String(hours), min: 1, max: 40)))
    }
    for (role, signature) in [("intern", intern), ("company", company), ("mediator", mediator)] {
      if let signature, signature.on > today { issues.append(.init(path: role, problem: .dateInFuture(signature.on))) }
    }
    if let started {
      if !missingSignatures.isEmpty {
        issues.append(.init(path: "started", problem: .needsSignatures(missing: missingSignatures)))
      }
      for (role, signature) in [("intern", intern), ("company", company), ("mediator", mediator)] {
        if let signature, signature.on > started {
          issues.append(.init(path: role, problem: .signedAfterStart(signed: signature.on, started: started)))
        }
      }
      if started > today { issues.append(.init(path: "started", problem: .dateInFuture(started))) }
      if let ended, ended < started {
        issues.append(.init(path: "ended", problem: .endBeforeStart(start: started.description, end: ended.description)))
      }
    } else if ended != nil {
      issues.append(.init(path: "started", problem: .required))
    }
    return issues
  }

  /// The agreement's fields, as `keten internship add|edit --set` and the app's sheet take them.
  public static func fields(today: LocalDate) -> [FormField<Internship>] {
    [
      .optionalText("employer", \.employer),
      .text("organisation", required: true, \.organisation),
      .text("role", \.role),
      .day("from", \.from),
      .day("to", \.to),
      .whole("hoursPerWeek", 1...40, \.hoursPerWeek),
      .text("supervisor", \.supervisor),
      .textList("learningGoals", \.learningGoals),
      .flag("ethics.notReplacingPaidWork", \.ethics.notReplacingPaidWork),
      .flag("ethics.travelAllowance", \.ethics.travelAllowance),
      .flag("ethics.experiencedSupervisor", \.ethics.experiencedSupervisor),
      .flag("ethics.skillsCertificate", \.ethics.skillsCertificate),
      .flag("ethics.learningGoalsAgreed", \.ethics.learningGoalsAgreed),
      Signature.field("intern", \.intern, today: today),
      Signature.field("company", \.company, today: today),
      Signature.field("mediator", \.mediator, today: today),
      .optionalText("longerReason", \.longerReason),
      .date("started", \.started),
      .date("ended", \.ended),
      .flag("certificateIssued", \.certificateIssued),
      .text("notes", \.notes),
    ]
  }
}

extension Internship {
  enum CodingKeys: String, CodingKey {
    case id, opening, employer, organisation, role, from, to, hoursPerWeek, supervisor, learningGoals, ethics
    case intern, company, mediator, longerReason, started, ended, certificateIssued, notes
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .id)
    opening = try c.decodeIfPresent(String.self, forKey: .opening)
    employer = try c.decodeIfPresent(String.self, forKey: .employer)
    organisation = try c.decode(String.self, forKey: .organisation)
    role = try c.decodeIfPresent(String.self, forKey: .role) ?? ""
    from = try c.decode(LocalDate.self, forKey: .from)
    to = try c.decode(LocalDate.self, forKey: .to)
    hoursPerWeek = try c.decodeIfPresent(Int.self, forKey: .hoursPerWeek)
    supervisor = try c.decodeIfPresent(String.self, forKey: .supervisor) ?? ""
    learningGoals = try c.decodeIfPresent([String].self, forKey: .learningGoals) ?? []
    ethics = try c.decodeIfPresent(Ethics.self, forKey: .ethics) ?? Ethics()
    intern = try c.decodeIfPresent(Signature.self, forKey: .intern)
    company = try c.decodeIfPresent(Signature.self, forKey: .company)
    mediator = try c.decodeIfPresent(Signature.self, forKey: .mediator)
    longerReason = try c.decodeIfPresent(String.self, forKey: .longerReason)
    started = try c.decodeIfPresent(LocalDate.self, forKey: .started)
    ended = try c.decodeIfPresent(LocalDate.self, forKey: .ended)
    certificateIssued = try c.decodeIfPresent(Bool.self, forKey: .certificateIssued) ?? false
    notes = try c.decodeIfPresent(String.self, forKey: .notes) ?? ""
  }
}

extension CaseDocument {
  /// Problems of the placement section, by path under `placement`.
  func placementIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    func add(_ found: [ValidationIssue], under prefix: String) {
      issues += found.map { ValidationIssue(path: prefix + "." + $0.path, problem: $0.problem) }
    }
    add(placement.availabilityIssues(), under: "placement")
    for (i, internship) in placement.internships.enumerated() {
      add(internship.issues(today: today), under: "placement.internships[\(i)]")
    }
    for (i, hire) in placement.hires.enumerated() {
      add(hire.issues(today: today), under: "placement.hires[\(i)]")
    }
    return issues
  }
}
