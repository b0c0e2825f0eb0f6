import Foundation
import Testing

@testable import CaseStore

@Suite struct DocumentRoundTripTests {
  @Test(arguments: [
    "ليلى الحسن", "ሄለን ተኽለ", "Олена Шевченко", "Şêrîn Özdemir-Kılıç", "Noëlla 🌻 Mbala",
    "e\u{301}lise (combining accent)", "张伟",
  ])
  func everyFieldSurvivesSaveAndLoad(name: String) throws {
    let t = try TempStore()
    let created = try t.create(name)
    var doc = created.document
    doc.person.preferredName = "Pref \(name)"
    doc.person.nationality = "Eritrea"
    doc.person.languages = ["ti", "ar"]
    doc.procedure.status = .temporaryProtection
    doc.procedure.overrideWorkPermitDate(LocalDate("2026-03-15"))
    doc.stages = [.matching, .sustaining]
    doc.closure = Closure(on: LocalDate("2026-11-01")!, reason: "Werk gevonden — تم")
    doc.addNote(text: "Lijn 1\nLijn 2\t\"quoted\" \\ ✓", author: "tom.claes")
    let saved = try t.store.save(doc, basedOn: created, by: "tom.claes")
    let loaded = try t.store.load(created.id)
    #expect(loaded.document == saved.document)
    #expect(loaded.document.person.fullName == name)
    #expect(loaded.document.notes.last?.text == "Lijn 1\nLijn 2\t\"quoted\" \\ ✓")
    #expect(loaded.document.revision == 2)
    #expect(loaded.document.updatedBy == "tom.claes")
    #expect(loaded.document.createdBy == "an.peeters")
    // The file is plain UTF-8: the name is readable in it as written.
    #expect(String(decoding: try t.bytes(created.id), as: UTF8.self).contains(name))
  }

  @Test func workPermitDefaultsToApplicationPlusFourMonthsUnlessOverridden() throws {
    var p = Procedure(applicationDate: LocalDate("2025-10-31"))
    #expect(p.workPermitDate == LocalDate("2026-02-28"))
    #expect(!p.workPermitDateOverridden)
    p.setApplicationDate(LocalDate("2023-10-31"))
    #expect(p.workPermitDate == LocalDate("2024-02-29"))  // leap year
    p.overrideWorkPermitDate(LocalDate("2024-05-01"))
    p.setApplicationDate(LocalDate("2023-11-15"))
    #expect(p.workPermitDate == LocalDate("2024-05-01"))
    #expect(p.workPermitDateOverridden)
    p.overrideWorkPermitDate(nil)
    #expect(p.workPermitDate == LocalDate("2024-03-15"))
  }

  @Test func datesRejectImpossibleDays() {
    #expect(LocalDate("2026-02-29") == nil)
    #expect(LocalDate("2024-02-29") != nil)
    #expect(LocalDate("2026-13-01") == nil)
    #expect(LocalDate("26-01-01") == nil)
    #expect(LocalDate("2026-1-01") == nil)
    #expect(LocalDate("2026-01-01")!.adding(days: -1) == LocalDate("2025-12-31"))
    #expect(LocalDate("1990-06-15")!.years(until: LocalDate("2026-06-14")!) == 35)
    #expect(LocalDate("1990-06-15")!.years(until: LocalDate("2026-06-15")!) == 36)
    #expect(Timestamp.parse("2026-03-01T09:30:00Z").map(Timestamp.format) == "2026-03-01T09:30:00Z")
  }

  @Test func validationNamesFieldAndRule() throws {
    var doc = sampleDocument(name: " ")
    doc.person.dateOfBirth = LocalDate("2027-01-01")
    doc.procedure.overrideWorkPermitDate(LocalDate("2025-01-01"))
    doc.closure = Closure(on: LocalDate("2026-01-01")!, reason: "")
    let paths = doc.validationIssues(today: today).map(\.path)
    #expect(
      paths == ["person.fullName", "person.dateOfBirth", "procedure.workPermitDate", "closed.reason"])
  }

  @Test func fieldsParseLikeTheFormsDo() throws {
    var doc = sampleDocument(name: "A")
    try CaseField.named("person.gender").assign("MALE", to: &doc)
    #expect(doc.person.gender == .male)
    try CaseField.named("stages").assign("matching, screening", to: &doc)
    #expect(doc.orderedStages == [.screening, .matching])
    try CaseField.named("procedure.applicationDate").assign("2026-01-31", to: &doc)
    #expect(doc.procedure.workPermitDate == LocalDate("2026-05-31"))
    #expect(throws: FieldError.self) { try CaseField.named("person.dateOfBirth").assign("31-01-2026", to: &doc) }
    #expect(throws: FieldError.self) { try CaseField.named("person.gender").assign("woman", to: &doc) }
    #expect(throws: FieldError.self) { try CaseField.named("person.phone").assign("call me", to: &doc) }
    #expect(throws: FieldError.self) { try CaseField.named("person.nope").assign("x", to: &doc) }
    try CaseField.named("person.phone").assign("", to: &doc)
    #expect(doc.person.phone == nil)
  }

  @Test(arguments: ["../etc/passwd", "a/b", "x\0y", ".hidden", String(repeating: "K", count: 41), "", "K 1", "К-2026"])
  func idsThatCouldEscapeTheStoreAreRejected(text: String) throws {
    #expect(throws: CaseIDError.self) { try CaseID(text) }
  }

  @Test func idsAreNormalisedAndOrderedByNumber() throws {
    #expect(try CaseID("k-2026-0042").rawValue == "K-2026-0042")
    #expect(CaseID(year: 2026, number: 42).rawValue == "K-2026-0042")
    #expect(CaseID(year: 2026, number: 12345).rawValue == "K-2026-12345")
    #expect(CaseID(year: 2026, number: 9999) < CaseID(year: 2026, number: 10000))
  }
}

@Suite struct SearchTests {
  @Test func foldingIgnoresCaseAndDiacriticsInAnyScript() {
    func finds(_ query: String, _ text: String) -> Bool {
      SearchText.contains(folded: SearchText.fold(text), folded: SearchText.fold(query))
    }
    #expect(finds("heve", "Hévé Özdemir"))
    #expect(finds("HÉVÉ", "heve"))
    #expect(finds("kilic", "Şêrîn Kılıç"))
    #expect(finds("محمد", "مُحَمَّد الأحمد"))
    #expect(finds("احمد", "أحمد"))
    #expect(finds("олена", "ОЛЕНА Шевченко"))
    #expect(finds("ሄለን", "ሄለን ተኽለ"))
    #expect(finds("elise", "e\u{301}lise"))
    #expect(!finds("heve", "Hava"))
    #expect(finds("", "anything"))
  }
}
