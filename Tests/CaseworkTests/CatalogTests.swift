import CaseStore
import Foundation
import Testing

@testable import Casework

@Suite struct CatalogTests {
  /// The sectors and profiles DOMAIN.md lists for the skills tool.
  static let expected: [String: [String]] = [
    "agriculture": ["farmer", "farm-worker", "food-packer", "gardener"],
    "sales-logistics": ["sales-assistant", "driver-courier", "warehouse-worker", "ecological-operator", "mover", "security-agent"],
    "construction": ["electrician", "metal-worker", "carpenter", "plumber", "painter", "bricklayer", "general-labourer", "tiler", "welder"],
    "food": ["cook", "butcher", "baker", "pastry-cook", "fishmonger", "pizza-maker"],
    "office": ["bookkeeper", "cultural-mediator", "call-centre-agent", "receptionist", "hardware-technician", "software-technician", "translator"],
    "hospitality": ["entertainer", "waiter-bartender", "tourist-guide", "industrial-cleaner", "cleaner-dishwasher"],
    "health-care": ["medical-assistant", "carer", "nurse", "teacher", "hairdresser"],
  ]

  @Test func shippedCatalogHasEverySectorAndProfileInBothLanguages() throws {
    let catalog = Fixture.content.skills
    #expect(catalog.sectors.map(\.id) == ["agriculture", "sales-logistics", "construction", "food", "office", "hospitality", "health-care"])
    for sector in catalog.sectors {
      #expect(catalog.profiles(in: sector.id).map(\.id) == Self.expected[sector.id], "sector \(sector.id)")
    }
    #expect(catalog.profiles.count == 42)
    for profile in catalog.profiles {
      #expect((5...7).contains(profile.actionFields.count), "\(profile.id)")
      #expect((8...15).contains(profile.questions.count), "\(profile.id)")
      for q in profile.questions {
        #expect(!q.text("nl").isEmpty && !q.text("en").isEmpty && q.text("nl") != q.text("en"), "\(profile.id) \(q.id)")
      }
    }
    #expect(catalog.languages == ["en", "nl"])
    #expect(catalog.occupationName("baker", "nl") == "Bakker")
    #expect(catalog.occupationName("Tailor", "nl") == "Tailor")
  }

  func sectorFile(profiles: String, sector: String = "test") -> Data {
    Data("""
      {"format": 1, "sector": {"id": "\(sector)", "order": 9, "title": {"nl": "Test", "en": "Test"}},
       "profiles": [\(profiles)]}
      """.utf8)
  }

  func profile(id: String = "tester", fields: Int = 5, questionsPerField: Int = 2, english: String? = "x") -> String {
    let fieldList = (1...fields).map { f in
      let qs = (1...questionsPerField).map { q in
        let en = (f == 1 && q == 1) ? (english.map { "\"en\": \"\($0)\"," } ?? "") : "\"en\": \"q\","
        return "{\"id\": \"f\(f)-\(q)\", \"text\": {\(en) \"nl\": \"v\"}}"
      }.joined(separator: ",")
      return "{\"id\": \"f\(f)\", \"title\": {\"nl\": \"Veld\", \"en\": \"Field\"}, \"questions\": [\(qs)]}"
    }.joined(separator: ",")
    return "{\"id\": \"\(id)\", \"title\": {\"nl\": \"Tester\", \"en\": \"Tester\"}, \"actionFields\": [\(fieldList)]}"
  }

  @Test func aValidPartnerFileLoads() throws {
    try SkillsCatalog.validate(sectorFile(profiles: profile()), name: "skills/9-test.json")
  }

  @Test func brokenFilesAreNamedWithTheirEntry() {
    func problem(_ data: Data) -> String {
      do {
        try SkillsCatalog.validate(data, name: "skills/9-test.json")
        return "loaded"
      } catch {
        return error.description
      }
    }
    #expect(problem(sectorFile(profiles: profile(english: nil))) == "skills/9-test.json, profile tester, question f1-1: the text has no en.")
    #expect(problem(sectorFile(profiles: profile(fields: 4))) == "skills/9-test.json, profile tester: has 4 action fields; a profile needs 5 to 7.")
    #expect(problem(sectorFile(profiles: profile(fields: 5, questionsPerField: 1))) == "skills/9-test.json, profile tester: has 5 task questions; a profile needs 8 to 15.")
    #expect(problem(sectorFile(profiles: profile() + "," + profile())) == "skills/9-test.json, profile tester: the profile id is used twice.")
    #expect(problem(sectorFile(profiles: profile(id: "Bad Id"))).contains("the id 'Bad Id' must be lower-case"))
    #expect(problem(Data("{\"format\": 1,".utf8)).hasPrefix("skills/9-test.json: not a sector file"))
  }

  @Test func aStoreFolderAddsAProfileWithoutCode() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keten-catalog-\(UUID().uuidString)")
    let skills = dir.appendingPathComponent("content/skills")
    try FileManager.default.createDirectory(at: skills, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try sectorFile(profiles: profile(id: "beekeeper")).write(to: skills.appendingPathComponent("9-test.json"))
    let content = try CaseworkContent.load(storeRoot: dir.path)
    #expect(content.skills.profile("beekeeper")?.sector == "test")
    #expect(content.skills.sectors.last?.id == "test")
    #expect(content.skills.profiles.count == 43)
    // A broken file in the store folder stops loading with its name.
    try Data("{}".utf8).write(to: skills.appendingPathComponent("9-broken.json"))
    #expect(throws: ContentError.self) { try CaseworkContent.load(storeRoot: dir.path) }
  }

  @Test func interviewQuestionsLoadInBothLanguages() {
    let interview = Fixture.content.interview
    #expect(interview.hardCriteria.map(\.id) == ["family-in-country", "family-reunification", "medical-treatment", "employment-contract", "enrolled-in-education"])
    #expect(interview.softCriteria.map(\.id) == ["work-experience", "courses", "network"])
    #expect(interview.softSkills.map(\.id).starts(with: ["care-children", "care-relatives", "household", "volunteering", "hobbies"]))
  }

  @Test func storeSettingsChangeTheRescreenInterval() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keten-settings-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try ScreeningSettings.load(storeRoot: dir.path).rescreenIntervalMonths == 3)
    try Data("{\"rescreenIntervalMonths\": 6}".utf8).write(to: dir.appendingPathComponent("settings.json"))
    #expect(try ScreeningSettings.load(storeRoot: dir.path).rescreenIntervalMonths == 6)
    try Data("{\"rescreenIntervalMonths\": 0}".utf8).write(to: dir.appendingPathComponent("settings.json"))
    #expect(throws: ContentError.self) { try ScreeningSettings.load(storeRoot: dir.path) }
  }
}
