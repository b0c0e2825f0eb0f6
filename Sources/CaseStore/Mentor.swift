import Foundation

/// A volunteer or professional mentor in the registry. Stored as `<store>/mentors/M-YEAR-NNNN.json`;
/// pairs live in the mentee's case file and point here by id.
public struct Mentor: StoreRecord {
  public static let kind = RecordKind(folder: "mentors", prefix: "M", noun: "mentor")

  public var id: String = ""
  public var revision: Int = 0
  public var updatedAt = Date(timeIntervalSince1970: 0)
  public var updatedBy: String = ""

  public var name: String
  /// The OS login the mentor runs Keten as; it decides what they may see.
  public var login: String
  public var ageBand: AgeBand?
  public var gender: Gender
  /// Languages the mentor can mentor in, as entered (ISO 639 codes or names).
  public var languages: [String]
  public var profession: String
  /// A sector id of the skills catalog.
  public var sector: String?
  /// A job-profile id of the skills catalog, when the profession is one.
  public var profile: String?
  public var yearsExperience: Int?
  public var hoursPerWeek: Int?
  /// Only mentees of the mentor's own gender (e.g. women mentoring women).
  public var sameGenderOnly: Bool
  /// Other wishes, in the mentor's words.
  public var preferences: String
  public var maxMentees: Int
  /// False for a mentor who takes no new mentees (on a break, left).
  public var active: Bool

  public init(
    name: String, login: String, ageBand: AgeBand? = nil, gender: Gender = .unspecified, languages: [String] = [],
    profession: String = "", sector: String? = nil, profile: String? = nil, yearsExperience: Int? = nil,
    hoursPerWeek: Int? = nil, sameGenderOnly: Bool = false, preferences: String = "", maxMentees: Int = 1,
    active: Bool = true
  ) {
    self.name = name
    self.login = login
    self.ageBand = ageBand
    self.gender = gender
    self.languages = languages
    self.profession = profession
    self.sector = sector
    self.profile = profile
    self.yearsExperience = yearsExperience
    self.hoursPerWeek = hoursPerWeek
    self.sameGenderOnly = sameGenderOnly
    self.preferences = preferences
    self.maxMentees = maxMentees
    self.active = active
  }

  /// Age bands as asked on the mentor registration form.
  public enum AgeBand: String, StoredCode, CaseIterable, Sendable {
    case under30 = "18-29", thirties = "30-39", forties = "40-49", fifties = "50-59", sixties = "60-69"
    case seventyPlus = "70+"

    /// The middle of the band, for the age gap of a match.
    public var middle: Int {
      switch self {
      case .under30: 24
      case .thirties: 35
      case .forties: 45
      case .fifties: 55
      case .sixties: 65
      case .seventyPlus: 73
      }
    }
  }

  public static let maxMenteesRange = 1...20

  public func validationIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if name.isBlank { issues.append(.init(path: "name", problem: .required)) }
    if !Mentor.isLogin(login) {
      issues.append(.init(path: "login", problem: login.isEmpty ? .required : .notALogin(login)))
    }
    if !Mentor.maxMenteesRange.contains(maxMentees) {
      issues.append(.init(path: "maxMentees", problem: .notInRange(String(maxMentees), min: 1, max: 20)))
    }
    if let years = yearsExperience, !(0...70).contains(years) {
      issues.append(.init(path: "yearsExperience", problem: .notInRange(String(years), min: 0, max: 70)))
    }
    if let hours = hoursPerWeek, !(1...40).contains(hours) {
      issues.append(.init(path: "hoursPerWeek", problem: .notInRange(String(hours), min: 1, max: 40)))
    }
    return issues
  }

  /// A POSIX-style login: letters, digits, `.`, `_`, `-`, not starting with `-`, 1–32 long.
  public static func isLogin(_ text: String) -> Bool {
    guard (1...32).contains(text.count), !text.hasPrefix("-") else { return false }
    return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0) }
  }

  /// The fields `keten mentoring mentor --set` and the app's mentor sheet edit.
  public static let fields: [FormField<Mentor>] = [
    .text("name", required: true, \.name),
    FormField(
      path: "login", kind: .text, required: true, get: { $0.login },
      set: { m, text throws(FieldError) in
        guard isLogin(text) else {
          throw FieldError(path: "login", problem: text.isEmpty ? .required : .notALogin(text))
        }
        m.login = text
      }),
    .optionalChoice("ageBand", AgeBand.self, \.ageBand),
    .choice("gender", Gender.self, \.gender),
    .languages("languages", \.languages),
    .text("profession", \.profession),
    .optionalText("sector", \.sector),
    .optionalText("profile", \.profile),
    .whole("yearsExperience", 0...70, \.yearsExperience),
    .whole("hoursPerWeek", 1...40, \.hoursPerWeek),
    .flag("sameGenderOnly", \.sameGenderOnly),
    .text("preferences", \.preferences),
    FormField(
      path: "maxMentees", kind: .text, required: true, get: { String($0.maxMentees) },
      set: { m, text throws(FieldError) in
        guard let n = Int(text), maxMenteesRange.contains(n) else {
          throw FieldError(path: "maxMentees", problem: .notInRange(text, min: 1, max: 20))
        }
        m.maxMentees = n
      }),
    .flag("active", \.active),
  ]
}

extension Mentor {
  enum CodingKeys: String, CodingKey {
    case id, revision, updatedAt, updatedBy, name, login, ageBand, gender, languages, profession, sector
    case profile, yearsExperience, hoursPerWeek, sameGenderOnly, preferences, maxMentees, active
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .id)
    revision = try c.decode(Int.self, forKey: .revision)
    updatedAt = try c.decode(Date.self, forKey: .updatedAt)
    updatedBy = try c.decode(String.self, forKey: .updatedBy)
    name = try c.decode(String.self, forKey: .name)
    login = try c.decode(String.self, forKey: .login)
    ageBand = try c.decodeIfPresent(AgeBand.self, forKey: .ageBand)
    gender = try c.decodeIfPresent(Gender.self, forKey: .gender) ?? .unspecified
    languages = try c.decodeIfPresent([String].self, forKey: .languages) ?? []
    profession = try c.decodeIfPresent(String.self, forKey: .profession) ?? ""
    sector = try c.decodeIfPresent(String.self, forKey: .sector)
    profile = try c.decodeIfPresent(String.self, forKey: .profile)
    yearsExperience = try c.decodeIfPresent(Int.self, forKey: .yearsExperience)
    hoursPerWeek = try c.decodeIfPresent(Int.self, forKey: .hoursPerWeek)
    sameGenderOnly = try c.decodeIfPresent(Bool.self, forKey: .sameGenderOnly) ?? false
    preferences = try c.decodeIfPresent(String.self, forKey: .preferences) ?? ""
    maxMentees = try c.decode(Int.self, forKey: .maxMentees)
    active = try c.decodeIfPresent(Bool.self, forKey: .active) ?? true
  }
}
