/// Who the case is about. Names are stored exactly as given, in any script.
public struct Person: Codable, Equatable, Sendable {
  /// Full name as the person writes it (Arabic, Ge'ez, Cyrillic, Latin with diacritics, …).
  public var fullName: String
  /// The name the person wants to be called by, if different.
  public var preferredName: String?
  public var dateOfBirth: LocalDate?
  public var gender: Gender
  /// Nationality as free text (country name or ISO code).
  public var nationality: String?
  /// Languages spoken, as entered (ISO 639 codes or names).
  public var languages: [String]
  public var phone: String?
  /// The reception centre the person lives in or is followed by.
  public var centre: String?
  /// OS login of the assigned case worker.
  public var caseWorker: String?

  public init(
    fullName: String, preferredName: String? = nil, dateOfBirth: LocalDate? = nil,
    gender: Gender = .unspecified, nationality: String? = nil, languages: [String] = [],
    phone: String? = nil, centre: String? = nil, caseWorker: String? = nil
  ) {
    self.fullName = fullName
    self.preferredName = preferredName
    self.dateOfBirth = dateOfBirth
    self.gender = gender
    self.nationality = nationality
    self.languages = languages
    self.phone = phone
    self.centre = centre
    self.caseWorker = caseWorker
  }

  enum CodingKeys: String, CodingKey {
    case fullName, preferredName, dateOfBirth, gender, nationality, languages, phone, centre
    case caseWorker
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    fullName = try c.decode(String.self, forKey: .fullName)
    preferredName = try c.decodeIfPresent(String.self, forKey: .preferredName)
    dateOfBirth = try c.decodeIfPresent(LocalDate.self, forKey: .dateOfBirth)
    gender = try c.decodeIfPresent(Gender.self, forKey: .gender) ?? .unspecified
    nationality = try c.decodeIfPresent(String.self, forKey: .nationality)
    languages = try c.decodeIfPresent([String].self, forKey: .languages) ?? []
    phone = try c.decodeIfPresent(String.self, forKey: .phone)
    centre = try c.decodeIfPresent(String.self, forKey: .centre)
    caseWorker = try c.decodeIfPresent(String.self, forKey: .caseWorker)
  }

  /// The name to show: the preferred name when set, else the full name.
  public var displayName: String {
    if let preferredName, !preferredName.isEmpty { return preferredName }
    return fullName
  }
}

/// Gender as recorded for reporting (the guidelines ask to report by gender).
public enum Gender: String, StoredCode, CaseIterable, Sendable {
  case female, male, x, unspecified
}
