import CaseStore
import Foundation

/// The standardised screening summary sent to a chain partner (`keten export --format share`),
/// valid against `Resources/schema/screening-summary.schema.json`.
///
/// Data minimisation: the hard placement criteria (which may reveal health or family matters),
/// the network answer, obstacles and notes are never part of it.
public struct ScreeningSummary: Encodable, Sendable {
  public static let format = "keten-screening-summary/1"

  struct ConsentRef: Encodable {
    var id: String
    var givenOn: String
    var how: String
  }

  /// The person as the share carries them: exactly `PersonField.carried(by: .share)`.
  struct Person: Encodable {
    var fullName: String
    var dateOfBirth: String?
    var gender: String?
    var nationality: String?
    var phone: String?
  }

  struct Occupation: Encodable {
    var name: String
    /// The catalog profile id, when the occupation is one.
    var profile: String?
  }

  struct Education: Encodable {
    var isced: Int?
    var field: String
    var school: String
    var country: String
    var fromYear: Int?
    var toYear: Int?
    var diploma: Bool?
    var document: String?
    var recognition: String?
  }

  struct Work: Encodable {
    var occupation: Occupation
    var sector: String?
    var country: String
    var fromYear: Int?
    var toYear: Int?
    var tasks: String
    var employment: String?
  }

  struct LanguageLevels: Encodable {
    var language: String
    var listening: String?
    var reading: String?
    var spokenInteraction: String?
    var spokenProduction: String?
    var writing: String?
  }

  struct Phase1: Encodable {
    var complete: Bool
    var missing: [String]
    var education: [Education]
    var work: [Work]
    var motherTongues: [String]
    var languages: [LanguageLevels]
    var digitalLevel: String?
    var drivingLicences: [String]?
    var softSkills: [String: String]
    /// Courses followed (a soft placement criterion the CV lists under other skills).
    var courses: String?
  }

  struct Phase2: Encodable {
    var on: String
    var occupations: [Occupation]
    var sectors: [String]
    var regions: [String]
    var retraining: String?
    var ambitions: String
  }

  struct FieldFit: Encodable {
    var id: String
    var percent: Int
  }

  struct Assessment: Encodable {
    var profile: String
    var on: String
    var percent: Int
    var complete: Bool
    var actionFields: [FieldFit]
  }

  var format = ScreeningSummary.format
  var generatedAt: String
  var generatedBy: String
  var recipient: String
  var purpose: String
  var consent: ConsentRef
  var caseID: String
  var language: String
  var person: Person
  var phase1: Phase1
  var phase2: Phase2?
  var skills: [Assessment]
  var cvText: String

  enum CodingKeys: String, CodingKey {
    case format, generatedAt, generatedBy, recipient, purpose, consent, caseID = "case", language
    case person, phase1, phase2, skills, cvText
  }

  public init(
    document d: CaseDocument, consent: Consent, content: CaseworkContent, strings: Strings,
    by user: String, at now: Date, today: LocalDate
  ) {
    let lang = strings.language.rawValue
    func occupation(_ value: String) -> Occupation {
      Occupation(name: content.skills.occupationName(value, lang), profile: content.skills.profile(value) == nil ? nil : value)
    }
    let f = d.screening.factual
    generatedAt = Timestamp.format(now)
    generatedBy = user
    recipient = consent.recipient
    purpose = consent.purpose
    self.consent = ConsentRef(id: consent.id, givenOn: consent.givenOn.description, how: consent.how.rawValue)
    caseID = d.id.rawValue
    language = lang
    let fields = PersonField.carried(by: .share(recipient: consent.recipient, purpose: consent.purpose))
    person = Person(
      fullName: d.person.fullName,
      dateOfBirth: fields.contains(.dateOfBirth) ? d.person.dateOfBirth?.description : nil,
      gender: fields.contains(.gender) ? d.person.gender.rawValue : nil,
      nationality: fields.contains(.nationality) ? d.person.nationality : nil,
      phone: fields.contains(.phone) ? d.person.phone : nil)
    let missing = content.screening.missingPhase1(f)
    phase1 = Phase1(
      complete: missing.isEmpty,
      missing: Array(Set(missing.map(\.section))).sorted(),
      education: f.education.map {
        Education(
          isced: $0.isced, field: $0.field, school: $0.school, country: $0.country, fromYear: $0.fromYear,
          toYear: $0.toYear, diploma: $0.diploma, document: $0.document?.rawValue,
          recognition: $0.recognition?.rawValue)
      },
      work: f.work.map {
        Work(
          occupation: occupation($0.occupation), sector: $0.sector.isEmpty ? nil : $0.sector,
          country: $0.country, fromYear: $0.fromYear, toYear: $0.toYear, tasks: $0.tasks,
          employment: $0.employment?.rawValue)
      },
      motherTongues: f.motherTongues,
      languages: f.languages.map {
        LanguageLevels(
          language: $0.language, listening: $0.listening?.rawValue, reading: $0.reading?.rawValue,
          spokenInteraction: $0.spokenInteraction?.rawValue,
          spokenProduction: $0.spokenProduction?.rawValue, writing: $0.writing?.rawValue)
      },
      digitalLevel: f.digitalLevel?.rawValue, drivingLicences: f.drivingLicences?.map(\.rawValue),
      softSkills: f.softSkills.filter { !$0.value.isBlank },
      courses: f.softCriteria["courses"].flatMap { $0.isBlank ? nil : $0 })
    phase2 = d.screening.ambitions.last(where: \.concluded).map {
      Phase2(
        on: $0.on.description, occupations: $0.occupations.map(occupation), sectors: $0.sectors,
        regions: $0.regions, retraining: $0.retraining?.rawValue, ambitions: $0.ambitions)
    }
    skills = d.screening.assessments.compactMap { a in
      guard let profile = content.skills.profile(a.profile) else { return nil }
      let report = SkillsReport(assessment: a, profile: profile)
      return Assessment(
        profile: a.profile, on: a.on.description, percent: report.percent, complete: report.isComplete,
        actionFields: report.fields.map { FieldFit(id: $0.id, percent: $0.percent) })
    }
    cvText = CurriculumVitae(document: d, content: content, strings: strings, today: today, fields: fields).plainText()
  }

  /// Pretty-printed JSON with sorted keys.
  public func json() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return try encoder.encode(self)
  }
}
