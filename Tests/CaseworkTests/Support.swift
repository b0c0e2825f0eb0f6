import CaseStore
import Casework
import Foundation

enum Fixture {
  static let today = LocalDate(year: 2026, month: 11, day: 22)!

  static let content: CaseworkContent = {
    do {
      return try CaseworkContent.load(storeRoot: nil)
    } catch {
      fatalError("shipped content does not load: \(error)")
    }
  }()

  static func strings(_ language: Language) -> Strings {
    do {
      return try Strings.load(language)
    } catch {
      fatalError("strings do not load: \(error)")
    }
  }

  /// A case with a complete phase 1, two phase-2 screenings and two assessments of a cook.
  static func screened(name: String = "Layla Haddad") -> CaseDocument {
    var d = CaseDocument(
      id: CaseID(year: 2026, number: 7),
      person: Person(
        fullName: name, preferredName: "Layla", dateOfBirth: LocalDate(year: 1990, month: 4, day: 12)!,
        gender: .female, nationality: "Syrië", languages: ["ar", "en"], phone: "+32 470 12 34 56",
        centre: "Kapellen", caseWorker: "an"),
      procedure: Procedure(status: .asylumSeeker, applicationDate: LocalDate(year: 2026, month: 2, day: 1)!),
      createdAt: Date(timeIntervalSince1970: 1_770_000_000), createdBy: "an")
    var f = FactualScreening()
    var school = EducationEntry()
    school.isced = 3
    school.field = "Hotel & catering"
    school.school = "Technical school Aleppo"
    school.country = "Syria"
    school.fromYear = 2005
    school.toYear = 2008
    school.diploma = true
    school.document = .copy
    school.recognition = .requested
    var primary = EducationEntry()
    primary.isced = 1
    primary.school = "School 12"
    primary.country = "Syria"
    primary.fromYear = 1996
    primary.toYear = 2002
    primary.diploma = false
    f.education = [primary, school]
    var cook = WorkEntry()
    cook.occupation = "cook"
    cook.sector = "food"
    cook.country = "Syria"
    cook.fromYear = 2009
    cook.toYear = 2015
    cook.tasks = "Cooked for a restaurant of 80 seats; ordered stock."
    cook.employment = .employed
    var tailor = WorkEntry()
    tailor.occupation = "Tailor"
    tailor.country = "Turkey"
    tailor.fromYear = 2016
    tailor.toYear = 2024
    tailor.employment = .selfEmployed
    f.work = [cook, tailor]
    f.motherTongues = ["Arabic"]
    var english = LanguageSkill(language: "English")
    english.listening = .b1
    english.reading = .b2
    english.spokenInteraction = .b1
    english.spokenProduction = .a2
    english.writing = .a2
    var dutch = LanguageSkill(language: "Dutch")
    dutch.listening = .a1
    dutch.reading = .a1
    dutch.spokenInteraction = .a1
    dutch.spokenProduction = .notYet
    dutch.writing = .notYet
    f.languages = [english, dutch]
    f.digitalLevel = .basic
    f.digitalNotes = "Smartphone, WhatsApp, online forms with help"
    f.drivingLicences = [.b]
    for q in content.interview.hardCriteria { f.hardCriteria[q.id] = q.id == "family-in-country" }
    f.softCriteria = ["work-experience": "Restaurant kitchen", "courses": "First aid (Red Crescent, 2014)", "network": "Cousin in Gent"]
    f.softSkills = [
      "care-children": "Raised two children; organised a play group.",
      "care-relatives": "Cared for her mother for three years.",
      "household": "Managed the household budget for a family of seven.",
      "volunteering": "Cooked for 200 people in the camp kitchen.",
      "hobbies": "Sewing and embroidery.",
      "strengths": "Calm, organised, takes initiative.",
    ]
    d.screening.factual = f
    var first = AmbitionScreening(id: "a1", on: LocalDate(year: 2026, month: 5, day: 4)!, by: "an")
    first.occupations = ["cook", "pastry-cook"]
    first.sectors = ["food"]
    first.regions = ["Antwerpen"]
    first.retraining = .maybe
    first.ambitions = "Work in a kitchen again."
    first.obstacles = [.childcare]
    first.concluded = true
    var second = first
    second.id = "a2"
    second.on = LocalDate(year: 2026, month: 8, day: 31)!
    second.occupations = ["pastry-cook", "cook", "Seamstress"]
    second.regions = ["Antwerpen", "Gent"]
    second.retraining = .yes
    second.obstacles = []
    d.screening.ambitions = [first, second]
    let profile = content.skills.profile("cook")!
    var early = SkillsAssessment(id: "s1", on: LocalDate(year: 2026, month: 3, day: 2)!, by: "an", profile: "cook")
    var later = SkillsAssessment(id: "s2", on: LocalDate(year: 2026, month: 9, day: 14)!, by: "an", profile: "cook")
    for (i, q) in profile.questions.enumerated() {
      early.answers[q.id] = i < 4 ? .moreThan50 : .never
      later.answers[q.id] = i < 4 ? .moreThan50 : .upTo50
    }
    d.screening.assessments = [early, later]
    return d
  }
}
