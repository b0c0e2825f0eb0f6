import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

@testable import TUI

/// Key sequences a person types into the forms, then the saved document field by field: the
/// input model (one rule for Enter, select-on-entry, lists never changed by typing, digits
/// choose, nothing reaches a hidden screen) holds in every form kind.
@Suite struct FormInputTests {
  /// Layla's case file, Screening tab.
  func screening(_ language: Language = .en) throws -> Fixture {
    let f = try Fixture(language: language)
    f.send(.enter, .character("3"))
    return f
  }

  @Test func pickingFromAListStaysOnTheFieldSoTheNextTabGoesToTheNextField() throws {
    let f = try screening()
    f.send(.character("i"), .control("n"))
    #expect(f.state.form?.focusedField.path == "screening.factual.education[0].isced")
    f.send(.enter, .down, .down, .down, .down, .enter)  // ISCED 3, confirmed with Enter: stays
    #expect(f.state.form?.focusedField.path == "screening.factual.education[0].isced")
    f.send(.tab)
    f.type("Elektriciteit")
    f.send(.tab)
    f.type("مدرسة حلب الصناعية")
    f.send(.tab)
    f.type("Syrië")
    f.send(.control("s"))
    let e = try #require(try f.document("K-2026-0001").screening.factual.education.first)
    #expect(e.isced == 3)
    #expect(e.field == "Elektriciteit" && e.school == "مدرسة حلب الصناعية" && e.country == "Syrië")
  }

  @Test func aDigitChoosesInANumberedListAndLettersChangeNothing() throws {
    let f = try screening()
    f.send(.character("i"), .control("n"))
    f.send(.character("2"))  // ISCED 2, by its own number
    #expect(f.state.overlay == nil)
    f.type("lower secondary")  // typing on a list: refused, nothing opens, nothing changes
    #expect(f.state.overlay == nil)
    #expect(f.state.status?.text.contains("is a list") == true)
    f.send(.control("s"))
    #expect(try f.document("K-2026-0001").screening.factual.education.first?.isced == 2)
  }

  @Test func typingOnAMultiChoiceListNeverToggles() throws {
    let f = try Fixture()
    f.send(.enter, .character("e"))
    while f.state.form?.focusedField.path != "stages" { f.send(.tab) }
    let before = try #require(f.state.form?.focusedField.editor.text)
    f.type("geen taal nodig")  // letters and spaces: nothing opens, nothing toggles
    #expect(f.state.overlay == nil)
    #expect(f.state.form?.focusedField.editor.text == before)
    f.send(.enter)  // Enter opens the list; inside it Space ticks
    guard case .picker(let p) = f.state.overlay else {
      Issue.record("Enter should open the list")
      return
    }
    #expect(p.multiple)
    f.send(.escape, .escape)
    #expect(f.state.form == nil)
    #expect(try f.document("K-2026-0001").stages == [.screening, .bridging])
  }

  @Test func contradictoryAnswersAreRefused() throws {
    var d = try Fixture().document("K-2026-0001")
    d.startAmbitionScreening(on: today, by: "tester")
    let obstacles = InterviewPages.specs(
      InterviewPage(phase: 2, index: 2, ambitionID: d.screening.ambitions.last?.id), document: d,
      content: try CaseworkContent.load(storeRoot: nil)
    ).map(\.field).first { $0.path.hasSuffix("obstacles") }
    let field = try #require(obstacles)
    #expect(throws: FieldError(path: field.path, problem: .noneWithOthers)) { try field.assign("none, childcare", to: &d) }
    d.screening.factual.noEducation = true
    d.screening.factual.education = [EducationEntry()]
    #expect(d.validationIssues(today: today).contains { $0.problem == .noEducationWithEntries })
  }

  @Test func aFieldEnteredFromAnotherIsReplacedByTyping() throws {
    let f = try Fixture()
    f.send(.enter, .character("e"))
    f.send(.tab)  // preferred name, holding "Layla"
    f.type("Lay")
    f.send(.tab, .backTab)  // back into it: selected again
    f.type("Laila")
    f.send(.tab, .tab, .tab)  // nationality
    f.send(.backspace)
    f.type("Eritrean")
    // Arrows keep the value and edit it.
    f.send(.tab)  // languages
    f.send(.end)
    f.type(", Arabic, Engels")
    f.send(.control("s"))
    let p = try f.document("K-2026-0001").person
    #expect(p.preferredName == "Laila")
    #expect(p.nationality == "Eritrean")
    #expect(p.languages == ["nl", "ar", "en"])
  }

  @Test func anUnknownLanguageIsRefusedNamingWhatIsValid() throws {
    let f = try Fixture()
    f.send(.enter, .character("e"))
    for _ in 0..<5 { f.send(.tab) }
    #expect(f.state.form?.focusedField.path == "person.languages")
    f.type("Klingon")
    f.send(.control("s"))
    #expect(f.state.form?.focusedField.problem == .unknownLanguage("Klingon"))
    #expect(f.screen.contains("ISO 639 code (ar)"))
  }

  @Test func keysWaitWhileTheWindowIsTooSmall() throws {
    let f = try Fixture()
    f.send(.enter, .character("e"), .tab)
    f.type("Lina")
    f.driver.send(.resize(rows: 20, columns: 60))
    f.send(.escape, .character("y"))  // would discard the change on a visible form
    f.driver.send(.resize(rows: 24, columns: 80))
    #expect(f.state.form?.fields[1].editor.text == "Lina")
    #expect(f.state.overlay == nil)
    f.send(.control("s"))
    #expect(try f.document("K-2026-0001").person.preferredName == "Lina")
  }

  @Test func aCheckInDateIsReplacedNotAppended() throws {
    let f = try Fixture()
    try BridgingTests.addMentoring(f, pair: true)
    f.driver.send([.control("r")])
    f.send(.enter, .character("5"), .character("c"))
    #expect(f.state.draft != nil)
    f.type("2026-11-20")  // the first field, the date, is selected when the form opens
    f.send(.control("s"))
    let pair = try #require(try f.document("K-2026-0001").openPair)
    #expect(pair.checkIns.last?.on == LocalDate("2026-11-20"))
  }

  @Test func aProfileTypedByItsFlemishNameLinksToTheCatalog() throws {
    let f = try Fixture(language: .nl)
    try SustainingTUITests.addPlacement(f)
    let vocabulary = f.state.vocabulary
    #expect(vocabulary.resolve("Magazijnier, Metser, pizzamaker, Schilder, Imker", .occupation)
      == "warehouse-worker, bricklayer, pizza-maker, painter, Imker")
    #expect(vocabulary.present("warehouse-worker, Imker", .occupation) == "Magazijnier, Imker")
    #expect(vocabulary.resolve("Arabisch, engels, ti", .language) == "ar, en, ti")
  }

  /// Found by a reviewer: a profile-only field took any word, the refused field said "selected"
  /// but appended, and two names of one profile were kept twice.
  @Test func aHireProfileMustBeAProfileAndARefusedFieldIsReplacedByTyping() throws {
    let f = try Fixture()
    f.send(.enter, .character("6"), .character("H"), .tab, .tab)  // no opening; employer: not registered
    f.type("Logistiek Aerts")
    f.send(.tab)
    f.type("Chauffeur")
    f.send(.tab)
    f.type("astronaut")
    f.send(.tab, .tab, .tab)  // contract, start
    f.type("twintig")
    f.send(.control("s"))
    #expect(f.state.draft?.form.rows[4].problem == .notAProfile("astronaut"))
    #expect(f.state.draft?.form.focus == 4)
    f.type("magazijnier")  // replaces: the field with the problem is selected
    f.send(.control("s"))
    #expect(f.state.draft?.form.focus == 7)
    f.type("38")
    f.send(.control("s"))
    let hire = try #require(try f.document("K-2026-0001").placement.hires.last)
    #expect(hire.profile == "warehouse-worker" && hire.hoursPerWeek == 38)
    // Back on the Follow-up tab: rescheduling lands there again, not on another tab.
    // A day already past is refused, naming the first day it can move to.
    f.send(.character("7"), .character("R"))
    f.type("2026-11-20")
    f.send(.tab)
    f.type("Verlof werkgever")
    f.send(.control("s"))
    #expect(f.state.draft?.form.rows[0].problem == .movedToPast(to: LocalDate("2026-11-20")!, on: today))
    f.type("2026-12-01")
    f.send(.control("s"))
    #expect(f.state.draft == nil)
    #expect(f.state.caseFile?.tab == .followUp)
    #expect(try f.document("K-2026-0001").placement.hires.last?.reschedules.last?.to == LocalDate("2026-12-01"))
  }

  @Test func twoNamesOfOneProfileAreKeptOnceAndSectorsTakeNames() throws {
    let f = try Fixture(language: .nl)
    let v = f.state.vocabulary
    #expect(v.resolve("ober, barman, metser, Ober/barman, Imker", .occupation) == "waiter-bartender, bricklayer, Imker")
    #expect(v.resolve("Bouw, construction, Voeding", .sector) == "construction, food")
    #expect(f.state.optionLabel(.intake, path: "gender", "unspecified") == "niet opgegeven")
  }

  @Test func theFooterShowsOnlyKeysThatWorkForThisCase() throws {
    let f = try Fixture()
    f.send(.enter, .character("7"))  // Layla: no hire yet
    #expect(f.state.footerText().contains("H hire") && !f.state.footerText().contains("f log"))
    f.send(.character("5"))  // no mentoring pair
    #expect(f.state.footerText().contains("m mentors") && !f.state.footerText().contains("c check-in"))
  }

  @Test func aFieldWithAProblemShowsItsProblemWhenFocusedAgain() throws {
    let f = try Fixture(language: .nl)
    f.send(.enter, .character("6"), .character("w"))
    f.type("1 december")
    f.send(.tab)
    f.type("veertig")
    f.send(.tab, .backTab, .backTab)
    #expect(f.state.draft?.form.focus == 0)
    #expect(f.screen.contains("'1 december' is niet als datum geschreven"), "\(f.screen)")
  }

  /// A routine check-in is two keys: the form comes filled in with today, the programme's
  /// minutes, the last check-in's channel and goals.
  @Test func aRoutineCheckInIsTwoKeys() throws {
    let f = try Fixture()
    try BridgingTests.addMentoring(f, pair: true)
    f.driver.send([.control("r")])
    f.send(.enter, .character("5"), .character("c"), .control("s"))
    let pair = try #require(try f.document("K-2026-0001").openPair)
    let routine = try #require(pair.checkIns.last)
    #expect(pair.checkIns.count == 3 && routine.on == today && routine.minutes == pair.minutesPerMeeting)
    #expect(routine.channel == .phone && routine.goals == ["job-search", "language"])  // as the last check-in
  }

  /// A pair planned below the programme (2 hours a week, 6 months) needs a reason.
  @Test func aPairBelowTheProgrammeNeedsAReason() throws {
    let f = try Fixture()
    try BridgingTests.addMentoring(f, pair: true)
    f.driver.send([.control("r")])
    f.send(.enter, .character("5"), .character("g"))
    while f.state.draft?.form.rows[f.state.draft!.form.focus].path != "minutesPerMeeting" { f.send(.tab) }
    f.type("30")
    f.send(.control("s"))
    let rows = try #require(f.state.draft?.form.rows)
    let reason = try #require(rows.firstIndex { $0.path == "belowReason" })
    #expect(rows[reason].problem == .belowProgramme(minutesPerWeek: 30, months: 6))
    #expect(f.state.draft?.form.focus == reason)
    f.type("Mentee works full time; a short weekly call")
    f.send(.control("s"))
    let pair = try #require(try f.document("K-2026-0001").openPair)
    #expect(pair.minutesPerMeeting == 30 && pair.belowReason == "Mentee works full time; a short weekly call")
  }
}
