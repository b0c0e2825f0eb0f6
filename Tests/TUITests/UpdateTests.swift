import CaseStore
import Foundation
import Testing

@testable import TUI

/// Key sequences driven through `AppState.update` with a real temporary store.
@Suite struct UpdateTests {
  @Test func createACaseThroughTheForm() throws {
    let f = try Fixture()
    f.send(.character("a"))
    #expect(f.state.activeScreen == .form)
    f.type("Nour Haddad")
    f.send(.tab, .tab)
    f.type("1990-05-17")
    f.send(.tab)
    f.send(.enter)  // gender picker
    guard case .picker(let picker) = f.state.overlay else {
      Issue.record("Enter on a choice field should open its picker")
      return
    }
    #expect(picker.options.map(\.value) == ["female", "male", "x", "unspecified"])
    f.send(.character("f"), .enter)  // jump to "female" by its first letter
    f.send(.tab)
    f.type("Syria")
    // Procedure: status picker, application date; the work-permit date derives itself.
    f.send(.tab, .tab, .tab, .tab, .tab)
    #expect(f.state.form?.focusedField.path == "procedure.status")
    f.send(.enter, .down, .enter)  // first real option after "(none)": asylum seeker
    f.send(.tab)
    f.type("2026-10-01")
    f.send(.tab)
    #expect(f.screen.contains("2027-02-01 (application + 4 months)"))
    f.send(.control("s"))
    #expect(f.state.form == nil, "\(f.state.status?.text ?? "")")
    #expect(f.state.activeScreen == .caseFile)
    let id = try #require(f.state.caseFile?.stored.id)
    let saved = try f.document(id.rawValue)
    #expect(saved.person.fullName == "Nour Haddad")
    #expect(saved.person.dateOfBirth == LocalDate("1990-05-17"))
    #expect(saved.person.gender == .female)
    #expect(saved.person.nationality == "Syria")
    #expect(saved.person.caseWorker == "tester")
    #expect(saved.procedure.status == .asylumSeeker)
    #expect(saved.procedure.workPermitDate == LocalDate("2027-02-01"))
    #expect(saved.procedure.workPermitDateOverridden == false)
    #expect(f.state.list.all.contains { $0.id == id })
  }

  @Test func validationWhenLeavingAFieldAndOnSave() throws {
    let f = try Fixture()
    f.send(.character("a"))
    f.send(.tab, .tab)
    f.type("2026-02-30")
    f.send(.tab)
    let born = try #require(f.state.form?.fields[2])
    #expect(born.problem == .notADate("2026-02-30"))
    f.send(.backTab)
    f.send(.control("u"))
    f.type("2027-01-01")
    f.send(.tab)
    #expect(f.state.form?.fields[2].problem == .dateInFuture(LocalDate("2027-01-01")!))
    // Application 2026-10-01, permit overridden to before it.
    let application = try #require(f.state.form?.index(of: "procedure.applicationDate"))
    f.driver.send(.key(.tab))
    while f.state.form!.focus < application { f.send(.tab) }
    f.type("2026-10-01")
    f.send(.tab)
    f.type("2026-09-01")
    f.send(.tab)
    let permit = try #require(f.state.form?.index(of: "procedure.workPermitDate"))
    #expect(
      f.state.form?.fields[permit].problem
        == .permitBeforeApplication(permit: LocalDate("2026-09-01")!, application: LocalDate("2026-10-01")!))
    let before = try f.store.list().cases.count
    f.send(.control("s"))
    #expect(f.state.form != nil, "an invalid form is not saved")
    #expect(f.state.form?.focus == 0, "the first problem (the empty name) gets the focus")
    #expect(f.state.status?.kind == .error)
    #expect(try f.store.list().cases.count == before)
    #expect(f.screen.contains("! Full name: this field is required."))
  }

  @Test func editAndSaveBumpsTheRevision() throws {
    let f = try Fixture()
    f.send(.enter, .character("e"))
    let phone = try #require(f.state.form?.index(of: "person.phone"))
    while f.state.form!.focus < phone { f.send(.tab) }
    f.send(.control("u"))
    f.type("+32 9 123 45 67")
    f.send(.function(2))
    #expect(f.state.form == nil)
    let doc = try f.document("K-2026-0001")
    #expect(doc.person.phone == "+32 9 123 45 67")
    #expect(doc.revision == 2)
    #expect(doc.updatedBy == "tester")
    #expect(f.state.status?.text == "Saved K-2026-0001, revision 2.")
  }

  @Test func searchAsYouTypeIgnoresCaseAndDiacritics() throws {
    let f = try Fixture()
    f.send(.character("/"))
    f.type("heve")
    #expect(f.state.list.selected?.fullName == "Hévé Özdemir")
    #expect(f.screen.contains("1 matches"))
    f.send(.enter)
    f.send(.home)
    f.send(.character("n"))
    #expect(f.state.list.selected?.fullName == "Hévé Özdemir")
    // Any script: Cyrillic, Ge'ez, Arabic.
    for (query, name) in [("коваленко", "Дмитро Коваленко"), ("ኪዳነ", "ሳባ ኪዳነ"), ("الحسن", "ليلى الحسن")] {
      f.send(.character("/"))
      f.type(query)
      f.send(.enter)
      #expect(f.state.list.selected?.fullName == name, "search \(query)")
    }
    // Esc puts the selection back where the search started.
    f.send(.home)
    f.send(.character("/"))
    f.type("wang")
    #expect(f.state.list.selected?.preferredName == "Wang Fang")
    f.send(.escape)
    #expect(f.state.list.selection == 0)
  }

  @Test func nextAndPreviousMatchWrap() throws {
    let f = try Fixture()
    // "gent" is in the centre of two cases, but centre is not searched; names with "a" are.
    f.send(.character("/"))
    f.type("a")
    f.send(.enter)
    let first = f.state.list.selection
    f.send(.character("n"))
    let second = f.state.list.selection
    #expect(second > first)
    f.send(.character("N"))
    #expect(f.state.list.selection == first)
  }

  @Test func filtersNarrowTheList() throws {
    let f = try Fixture()
    #expect(f.state.list.visible.count == 5, "closed cases are hidden by default")
    f.send(.character(":"))
    f.type("filter stage=matching")
    f.send(.enter)
    #expect(f.state.list.visible.count == 2)
    #expect((0..<2).allSatisfy { f.state.list.summary(atRow: $0).stages.contains(.matching) })
    f.send(.character("m"))
    #expect(f.state.list.visible.map { f.state.list.all[Int($0)].fullName } == ["Дмитро Коваленко"])
    f.send(.character("x"))
    f.send(.character("c"))
    #expect(f.state.list.visible.count == 1)
    #expect(f.state.list.selected?.fullName == "Amina 🌻 Yusuf")
    f.send(.character("x"))
    // Filter menu → centre picker.
    f.send(.character("f"), .down, .enter)
    guard case .picker(let centres) = f.state.overlay else {
      Issue.record("the filter menu should open the centre picker")
      return
    }
    let gent = try #require(centres.options.firstIndex { $0.value == "Gent-Centrum" })
    for _ in 0..<gent { f.send(.down) }
    f.send(.enter)
    #expect(f.state.list.visible.count == 1)
    #expect(f.state.listStatusText() == "1 of 6 cases · filter: Gent-Centrum")
    f.send(.character(":"))
    f.type("filter stage=hiring")
    f.send(.enter)
    #expect(f.state.status?.text == "'hiring' is not a stage; stages are screening, bridging, matching, sustaining.")
  }

  @Test func sortByAnyColumn() throws {
    let f = try Fixture()
    f.send(.character(":"))
    f.type("sort name")
    f.send(.enter)
    let names = (0..<f.state.list.visible.count).map { f.state.list.summary(atRow: $0).displayName }
    #expect(names == ["Hévé Özdemir", "Layla", "Saba Kidane", "Wang Fang", "Дмитро Коваленко"])
    f.send(.character("r"))
    #expect(f.state.list.summary(atRow: 0).displayName == "Дмитро Коваленко")
    f.send(.character("s"))
    f.send(.character("n"), .enter)  // jumps from "Name" to "Next due"
    #expect(f.state.list.sortColumn == .due)
    #expect(f.state.list.summary(atRow: 0).displayName == "Hévé Özdemir", "earliest due first")
  }

  @Test func conflictOffersReloadAndReapply() throws {
    let f = try Fixture()
    f.send(.enter, .character("e"))
    let phone = try #require(f.state.form?.index(of: "person.phone"))
    while f.state.form!.focus < phone { f.send(.tab) }
    f.send(.control("u"))
    f.type("+32 9 999 99 99")
    // Meanwhile another session changes the nationality.
    let other = try f.store.load(try CaseID("K-2026-0001"))
    var changed = other.document
    changed.person.nationality = "Lebanon"
    try f.store.save(changed, basedOn: other, by: "an.peeters", now: fixedNow)
    f.send(.control("s"))
    guard case .conflict(let dialog) = f.state.overlay else {
      Issue.record("a stale save must show the conflict dialog")
      return
    }
    #expect(dialog.message.contains("revision 2, by an.peeters"))
    #expect(try f.document("K-2026-0001").person.phone == "+32 470 00 00 00", "nothing overwritten")
    // View the differences first.
    f.send(.character("d"))
    guard case .differences(let view) = f.state.overlay else {
      Issue.record("d shows the differences")
      return
    }
    #expect(view.rows.contains { $0.label == "Phone" && $0.mine == "+32 9 999 99 99" && $0.stored == "+32 470 00 00 00" })
    #expect(view.rows.contains { $0.label == "Nationality" && $0.stored == "Lebanon" })
    f.send(.character("r"))
    #expect(f.state.overlay == nil)
    #expect(f.state.form?.fields[phone].editor.text == "+32 9 999 99 99", "my edit is re-applied")
    #expect(f.state.form?.focus == phone, "the cursor stays in the field I was editing")
    f.send(.control("s"))
    let doc = try f.document("K-2026-0001")
    #expect(doc.revision == 3)
    #expect(doc.person.phone == "+32 9 999 99 99")
    #expect(doc.person.nationality == "Lebanon", "their edit is kept")
  }

  @Test func escapeAsksBeforeDiscarding() throws {
    let f = try Fixture()
    f.send(.enter, .character("e"))
    f.send(.escape)
    #expect(f.state.form == nil, "an unchanged form closes at once")
    f.send(.character("e"))
    f.type(" Jr")
    f.send(.escape)
    guard case .confirm = f.state.overlay else {
      Issue.record("Esc on a changed form must ask")
      return
    }
    f.send(.character("n"))
    #expect(f.state.form?.isDirty == true)
    f.send(.escape, .character("y"))
    #expect(f.state.form == nil)
    #expect(try f.document("K-2026-0001").person.fullName == "ليلى الحسن")
  }

  @Test func quitAsksWhenThereAreUnsavedEdits() throws {
    let f = try Fixture()
    f.send(.enter, .character("a"))
    f.type("half a note")
    f.send(.control("c"))
    guard case .confirm = f.state.overlay else {
      Issue.record("Ctrl-C with an unsaved note must ask")
      return
    }
    f.send(.character("n"))
    #expect(f.driver.isRunning)
    f.send(.control("s"))
    f.send(.escape)
    f.send(.character("q"))
    #expect(!f.driver.isRunning)
    #expect(try f.document("K-2026-0001").notes.last?.text == "half a note")
  }

  @Test func notesAddAndEditOwnOnly() throws {
    let f = try Fixture()
    f.send(.enter, .character("a"))
    f.type("Eerste regel\ntweede régel met e\u{301}")
    f.send(.control("s"))
    var doc = try f.document("K-2026-0001")
    #expect(doc.notes.count == 2)
    #expect(doc.notes[1].text == "Eerste regel\ntweede régel met e\u{301}")
    #expect(doc.notes[1].author == "tester")
    #expect(doc.notes[1].at == fixedNow)
    // Edit it: the cursor is at the end; Backspace removes the whole "é" grapheme.
    f.send(.enter)
    f.send(.backspace)
    f.type("!")
    f.send(.control("s"))
    doc = try f.document("K-2026-0001")
    #expect(doc.notes[1].text == "Eerste regel\ntweede régel met !")
    #expect(doc.notes[1].editedAt == fixedNow)
    // Someone else's note cannot be edited.
    let saba = try CaseID("K-2026-0002")
    let stored = try f.store.load(saba)
    var other = stored.document
    other.addNote(text: "van an", author: "an.peeters", at: fixedNow)
    try f.store.save(other, basedOn: stored, by: "an.peeters", now: fixedNow)
    f.send(.character(":"))
    f.type("open K-2026-0002")
    f.send(.enter, .character("9"), .enter)
    #expect(f.state.noteEditor == nil)
    #expect(f.state.status?.text == "This note is by an.peeters; you can only edit your own notes.")
  }

  @Test func commandLineErrorsAreOneSentence() throws {
    let f = try Fixture()
    f.send(.character(":"))
    f.type("open ../etc")
    f.send(.enter)
    #expect(f.state.status?.text == "'../etc' is not a case id; ids look like K-2026-0042.")
    f.send(.character(":"))
    f.type("open K-2026-9999")
    f.send(.enter)
    #expect(f.state.status?.text == "Case K-2026-9999 is not in this store; check the id in the list.")
    f.send(.character(":"))
    f.type("frobnicate")
    f.send(.enter)
    #expect(f.state.status?.kind == .error)
    #expect(f.state.status?.text.hasPrefix("Unknown command ':frobnicate'") == true)
    f.send(.character(":"))
    f.type("q")
    f.send(.enter)
    #expect(!f.driver.isRunning)
  }

  @Test func helpIsSearchable() throws {
    let f = try Fixture()
    f.send(.function(1))
    guard case .help = f.state.overlay else {
      Issue.record("F1 opens help")
      return
    }
    f.type("filter")
    #expect(f.screen.contains("Filter by stage, centre, worker"))
    #expect(!f.screen.contains("Open the case"))
    f.send(.escape)
    #expect(f.state.overlay == nil)
  }

  @Test func damagedFilesAreReportedNotFatal() throws {
    let f = try Fixture(cases: true)
    try Data("{\"id\": \"K-2026-0099\", trunc".utf8).write(
      to: URL(fileURLWithPath: f.store.root + "/cases/K-2026-0099.json"))
    chmod(f.store.root + "/cases/K-2026-0099.json", 0o600)
    f.send(.control("r"))
    #expect(f.state.list.damaged.count == 1)
    #expect(f.state.status?.text.contains("1 case file is damaged") == true)
    #expect(f.state.list.all.count == 6)
  }
}
