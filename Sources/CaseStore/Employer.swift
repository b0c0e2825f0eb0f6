import Foundation

/// An employer the centre works with. Stored as `<store>/employers/E-YEAR-NNNN.json`; openings,
/// internships, hires and job fairs point here by id.
public struct Employer: StoreRecord {
  public static let kind = RecordKind(folder: "employers", prefix: "E", noun: "employer")

  public var id: String = ""
  public var revision: Int = 0
  public var updatedAt = Date(timeIntervalSince1970: 0)
  public var updatedBy: String = ""

  public var name: String
  /// A sector id of the skills catalog (`construction`, …), or empty.
  public var sector: String
  public var region: String
  /// The person the centre deals with, with a phone or e-mail in their own words.
  public var contact: String
  public var phone: String?
  public var email: String
  /// The HR or line manager who approves post-hire plans.
  public var hrContact: String
  public var notes: String
  public var active: Bool

  public init(
    name: String, sector: String = "", region: String = "", contact: String = "", phone: String? = nil,
    email: String = "", hrContact: String = "", notes: String = "", active: Bool = true
  ) {
    self.name = name
    self.sector = sector
    self.region = region
    self.contact = contact
    self.phone = phone
    self.email = email
    self.hrContact = hrContact
    self.notes = notes
    self.active = active
  }

  public func validationIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if name.isBlank { issues.append(.init(path: "name", problem: .required)) }
    if let phone, !FieldRules.isPhone(phone) { issues.append(.init(path: "phone", problem: .notAPhone(phone))) }
    return issues
  }

  /// The fields `keten employers add|edit --set` and the app's employer sheet edit.
  public static let fields: [FormField<Employer>] = [
    .text("name", required: true, \.name),
    .text("sector", \.sector),
    .text("region", \.region),
    .text("contact", \.contact),
    .phone("phone", \.phone),
    .text("email", \.email),
    .text("hrContact", \.hrContact),
    .text("notes", \.notes),
    .flag("active", \.active),
  ]
}

/// A vacancy or an internship place at an employer. Stored as `<store>/openings/O-YEAR-NNNN.json`.
public struct Opening: StoreRecord {
  public static let kind = RecordKind(folder: "openings", prefix: "O", noun: "opening")

  public enum Kind: String, StoredCode, CaseIterable, Sendable {
    case vacancy, internship
  }

  public var id: String = ""
  public var revision: Int = 0
  public var updatedAt = Date(timeIntervalSince1970: 0)
  public var updatedBy: String = ""

  /// The employer's record id.
  public var employer: String
  /// The employer's name when the opening was entered, so lists read without the registry.
  public var employerName: String
  public var type: Kind
  public var title: String
  /// A job-profile id of the skills catalog (`carer`, …).
  public var profile: String
  public var region: String
  public var hoursPerWeek: Int?
  /// The language of the workplace (code or name) and the level it asks, when it asks one.
  public var language: String
  public var languageLevel: CEFRLevel?
  public var start: LocalDate
  /// The last day of an internship; vacancies may leave it empty.
  public var end: LocalDate?
  public var places: Int
  /// False once filled or withdrawn; closed openings are not offered to candidates.
  public var open: Bool
  public var notes: String
  /// The cases hired or taken on from this opening (case ids); the opening closes when they
  /// take every place.
  public var placed: [String]?

  /// Places taken by the cases placed.
  public var taken: Int { placed?.count ?? 0 }

  public init(
    employer: String, employerName: String, type: Kind, title: String, profile: String, region: String = "",
    hoursPerWeek: Int? = nil, language: String = "", languageLevel: CEFRLevel? = nil, start: LocalDate,
    end: LocalDate? = nil, places: Int = 1, open: Bool = true, notes: String = ""
  ) {
    self.employer = employer
    self.employerName = employerName
    self.type = type
    self.title = title
    self.profile = profile
    self.region = region
    self.hoursPerWeek = hoursPerWeek
    self.language = language
    self.languageLevel = languageLevel
    self.start = start
    self.end = end
    self.places = places
    self.open = open
    self.notes = notes
  }

  public func validationIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if employer.isEmpty { issues.append(.init(path: "employer", problem: .required)) }
    if title.isBlank { issues.append(.init(path: "title", problem: .required)) }
    if profile.isEmpty { issues.append(.init(path: "profile", problem: .required)) }
    if !(1...500).contains(places) {
      issues.append(.init(path: "places", problem: .notInRange(String(places), min: 1, max: 500)))
    }
    if let hours = hoursPerWeek, !(1...60).contains(hours) {
      issues.append(.init(path: "hoursPerWeek", problem: .notInRange(String(hours), min: 1, max: 60)))
    }
    if let end {
      if end < start {
        issues.append(.init(path: "end", problem: .endBeforeStart(start: start.description, end: end.description)))
      }
    } else if type == .internship {
      issues.append(.init(path: "end", problem: .required))
    }
    return issues
  }

  /// The fields `keten openings add|edit --set` and the app's opening sheet edit (not the employer).
  public static let fields: [FormField<Opening>] = [
    .choice("type", Kind.self, \.type),
    .text("title", required: true, \.title),
    .text("profile", required: true, \.profile),
    .text("region", \.region),
    .whole("hoursPerWeek", 1...60, \.hoursPerWeek),
    .language("language", \.language),
    .optionalChoice("languageLevel", CEFRLevel.self, \.languageLevel),
    .day("start", \.start),
    .date("end", \.end),
    .count("places", 1...500, \.places),
    .flag("open", \.open),
    .text("notes", \.notes),
  ]
}

/// A job fair or job day: who comes, with what logistics, which employers, and what came of it.
/// Stored as `<store>/fairs/F-YEAR-NNNN.json`.
public struct JobFair: StoreRecord {
  public static let kind = RecordKind(folder: "fairs", prefix: "F", noun: "job fair")

  public enum Kind: String, StoredCode, CaseIterable, Sendable {
    case fair, day
  }

  public var id: String = ""
  public var revision: Int = 0
  public var updatedAt = Date(timeIntervalSince1970: 0)
  public var updatedBy: String = ""

  public var name: String
  public var type: Kind
  public var on: LocalDate
  public var place: String
  /// Employer record ids attending.
  public var employers: [String]
  public var registrations: [FairRegistration]

  public init(name: String, type: Kind = .fair, on: LocalDate, place: String = "", employers: [String] = []) {
    self.name = name
    self.type = type
    self.on = on
    self.place = place
    self.employers = employers
    registrations = []
  }

  public func validationIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if name.isBlank { issues.append(.init(path: "name", problem: .required)) }
    var seen = Set<String>()
    for (i, r) in registrations.enumerated() {
      if !seen.insert(r.caseID).inserted {
        issues.append(.init(path: "registrations[\(i)].case", problem: .notAllowed(r.caseID, options: ["a case not yet registered"])))
      }
      for (name, n) in [("interviews", r.interviews), ("offers", r.offers)] where !(0...99).contains(n) {
        issues.append(.init(path: "registrations[\(i)].\(name)", problem: .notInRange(String(n), min: 0, max: 99)))
      }
      let hasResult = r.attended != nil || r.interviews > 0 || r.offers > 0
      if hasResult, on > today { issues.append(.init(path: "registrations[\(i)].attended", problem: .fairNotYet(on))) }
      if r.attended == false, r.interviews > 0 || r.offers > 0 {
        issues.append(.init(path: "registrations[\(i)].attended", problem: .didNotCome))
      }
    }
    return issues
  }

  public func registration(_ caseID: String) -> FairRegistration? { registrations.first { $0.caseID == caseID } }

  public static let fields: [FormField<JobFair>] = [
    .text("name", required: true, \.name),
    .choice("type", Kind.self, \.type),
    .day("on", \.on),
    .text("place", \.place),
    .textList("employers", \.employers),
  ]
}

/// A case registered for a job fair, with the logistics to arrange and the result.
public struct FairRegistration: Codable, Equatable, Sendable {
  public var caseID: String
  public var transport: Bool
  public var childcare: Bool
  public var notes: String
  /// Nil until the day; then whether the person came.
  public var attended: Bool?
  public var interviews: Int
  public var offers: Int

  public init(caseID: String, transport: Bool = false, childcare: Bool = false, notes: String = "") {
    self.caseID = caseID
    self.transport = transport
    self.childcare = childcare
    self.notes = notes
    attended = nil
    interviews = 0
    offers = 0
  }

  enum CodingKeys: String, CodingKey {
    case caseID = "case", transport, childcare, notes, attended, interviews, offers
  }

  public static let fields: [FormField<FairRegistration>] = [
    .flag("transport", \.transport),
    .flag("childcare", \.childcare),
    .text("notes", \.notes),
    .optionalFlag("attended", \.attended),
    .count("interviews", 0...99, \.interviews),
    .count("offers", 0...99, \.offers),
  ]
}

extension Hire {
  /// The hire as an opening says it: employer, job, profile, hours, and a start no earlier than
  /// `today` (`employerName`: the register's name now, else the opening's copy).
  public mutating func fill(from o: Opening, employerName: String? = nil, today: LocalDate) {
    (opening, employer, self.employerName, job, profile) = (o.id, o.employer, employerName ?? o.employerName, o.title, o.profile)
    if let hours = o.hoursPerWeek { hoursPerWeek = hours }
    start = max(o.start, today)
  }
}

extension Internship {
  /// The internship as an opening says it: organisation, role, dates and hours (at most 40).
  public mutating func fill(from o: Opening, employerName: String? = nil) {
    (opening, employer, organisation, role) = (o.id, o.employer, employerName ?? o.employerName, o.title)
    from = o.start
    to = o.end ?? o.start.adding(months: 3)
    hoursPerWeek = o.hoursPerWeek.map { min($0, 40) }
  }
}
