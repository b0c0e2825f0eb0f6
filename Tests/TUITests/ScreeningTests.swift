import CaseStore
import Casework
import Foundation
import TestSupport
import Testing

@testable import TUI

/// The Screening tab: interviews, self-assessment, views and exports, driven by keys.
@Suite struct ScreeningTests {
  /// Opens the first case (Layla, an asylum seeker) on its Screening tab.
  func onScreeningTab(_ language: Language = .en, rows: Int = 24, columns: Int = 80) throws -> Fixture {
    let f = try Fixture(language: language, rows: rows, columns: columns)
    f.send(.enter, .character("3"))
    #expect(f.state.caseFile?.tab == .screening)
    return f
  }

  func pick(_ f: Fixture, _ label: String) {
    guard case .picker(let p) = f.state.overlay else {
      Issue.record("expected a picker for \(label)")
      return
    }
    guard let i = p.options.firstIndex(where: { $0.label == label || $0.value == label }) else {
      Issue.record("no option \(label) in \(p.options.map(\.label))")
      return
    }
    let at = p.visible.firstIndex(of: p.cursor) ?? 0
    let want = p.visible.firstIndex(of: i) ?? 0
    for _ in 0..<abs(want - at) { f.send(want > at ? .down : .up) }
    // A multiple choice ticks the option with Space; Enter closes the picker and stays on the
    // field. In an interview the next answer follows, so Tab goes on to it.
    if p.multiple { f.send(.character(" ")) }
    f.send(.enter)
    if !p.multiple, f.state.form?.isIntake == false { f.send(.tab) }
  }

  /// Someone else adds a note while the screen is open; Ctrl-S meets the conflict, `r` re-applies
  /// the pending edits on the newer version and Ctrl-S saves them. Returns the case id.
  func saveMeanwhileThenReapply(_ f: Fixture, note: String) throws -> CaseID {
    let id = f.state.caseFile!.stored.id
    let other = try f.store.load(id)
    var d = other.document
    d.addNote(text: note, author: "bo")
    _ = try f.store.save(d, basedOn: other, by: "bo")
    f.send(.control("s"))
    guard case .conflict = f.state.overlay else {
      Issue.record("expected a conflict")
      return id
    }
    f.send(.character("r"), .control("s"))
    return id
  }

  /// Fills in every phase-1 section with keys, saving once in the middle (pause and resume).
  func completePhase1(_ f: Fixture) throws {
    f.send(.character("i"))
    #expect(f.state.form?.purpose == .interview(InterviewPage(phase: 1, index: 0)))
    // Education: one school.
    f.send(.control("n"))
    #expect(f.state.form?.focusedField.path == "screening.factual.education[0].isced")
    f.send(.enter)
    pick(f, "3")
    f.type("Hotel school")
    f.send(.tab)
    f.type("Aleppo technical")
    f.send(.tab)
    f.type("Syria")
    f.send(.tab)
    f.type("2005")
    f.send(.tab)
    f.type("2008")
    f.send(.tab, .enter)
    pick(f, "yes")
    f.send(.enter)
    pick(f, "copy")
    f.send(.enter)
    pick(f, "requested")
    // Work: a catalog profile fills in its sector.
    f.send(.pageDown, .control("n"), .function(4))
    f.type("cook")
    f.send(.enter, .tab)
    let form = try #require(f.state.form)
    #expect(form.fields[form.index(of: "screening.factual.work[0].sector")!].editor.text == "food")
    f.send(.tab)
    f.type("Syria")
    f.send(.tab)
    f.type("2009")
    f.send(.tab, .tab, .tab, .enter)
    pick(f, "employed")
    // Pause here: Ctrl-S saves what is there and remembers the section.
    f.send(.control("s"))
    #expect(f.state.form == nil, "\(f.state.status?.text ?? "")")
    let paused = try f.document(f.state.caseFile!.stored.id.rawValue)
    #expect(paused.screening.factual.resumeSection == "work")
    #expect(paused.screening.factual.work.first?.occupation == "cook")
    if f.state.strings.language == .en {
      #expect(f.screen.contains("Incomplete: Languages, Digital & driving, Placement criteria, Soft skills"))
    }
    // Resume: at the first open section, Languages.
    f.send(.character("i"))
    guard case .interview(let page)? = f.state.form?.purpose else {
      Issue.record("the interview should resume")
      return
    }
    #expect(page.key == "languages")
    f.type("Arabic")
    f.send(.tab, .control("n"))
    f.type("English")
    f.send(.tab)
    for _ in 0..<5 {
      f.send(.enter)
      pick(f, "B1")
    }
    f.send(.pageDown, .enter)
    pick(f, "basic")
    f.send(.tab, .enter)
    pick(f, "none")
    f.send(.pageDown)
    for _ in 0..<5 {
      f.send(.enter)
      pick(f, "no")
    }
    for answer in ["Kitchen work", "First aid", "Cousin in Gent"] {
      f.type(answer)
      f.send(.tab)
    }
    f.send(.pageDown)
    for answer in ["Two children", "Mother", "Budget", "Camp kitchen", "Sewing", "Calm"] {
      f.type(answer)
      f.send(.tab)
    }
    f.send(.control("s"))
    #expect(f.state.form == nil)
    let done = try f.document(f.state.caseFile!.stored.id.rawValue)
    #expect(f.state.content.screening.isPhase1Complete(done.screening.factual), "\(f.state.status?.text ?? "")")
  }

  @Test func phaseOneInterviewWithPauseAndResume() throws {
    let f = try onScreeningTab()
    try completePhase1(f)
    let d = try f.document(f.state.caseFile!.stored.id.rawValue)
    let rules = f.state.content.screening
    #expect(rules.missingPhase1(d.screening.factual) == [])
    #expect(d.screening.factual.drivingLicences == [])
    #expect(d.screening.factual.languages.first?.levels == Array(repeating: CEFRLevel.b1, count: 5))
    #expect(d.screening.factual.education.first?.isced == 3)
    #expect(d.screening.factual.hardCriteria.count == 5)
    #expect(f.screen.contains("Complete (last worked on 22 Nov 2026)"))
  }

  @Test func phaseTwoWaitsForPhaseOneThenRescreensAndCompares() throws {
    let f = try onScreeningTab()
    f.send(.character("p"))
    #expect(f.state.form == nil)
    #expect(f.state.status?.text.hasPrefix("Phase 2 can start when phase 1 is complete; still open: Education") == true)
    try completePhase1(f)
    f.send(.character("p"))
    #expect(f.screen.contains("Usually done after some orientation"))
    f.send(.function(4))
    f.type("pastry")
    f.send(.enter)
    f.type(", Seamstress")
    f.send(.tab, .tab)
    f.type("Antwerpen")
    f.send(.tab, .enter)
    pick(f, "maybe")
    f.send(.pageDown)
    f.type("Open a bakery")
    f.send(.tab, .enter)
    pick(f, "childcare")
    f.send(.tab, .tab)
    // Finishing needs every answer; here it has them.
    f.send(.enter)
    pick(f, "yes")
    f.send(.control("s"))
    let id = f.state.caseFile!.stored.id.rawValue
    var d = try f.document(id)
    #expect(d.screening.ambitions.count == 1)
    let first = d.screening.ambitions[0]
    #expect(first.concluded && first.occupations == ["pastry-cook", "Seamstress"] && first.sectors == ["food"])
    #expect(first.obstacles == [.childcare])
    // Re-screen due three months later while the procedure runs, in the case and the list.
    #expect(f.screen.contains("Re-screen due 22 Feb 2027"))
    let due = f.state.list.all.first { $0.id == d.id }?.dueItems ?? []
    #expect(due.contains(DueItem(date: LocalDate("2027-02-22")!, what: "rescreening", kind: .task)))
    // A re-screen starts from the last answers and keeps the old one.
    f.send(.character("p"))
    #expect(f.state.status?.text.hasPrefix("Re-screen started") == true)
    f.send(.tab, .tab, .control("u"))
    f.type("Gent")
    f.send(.control("s"))
    d = try f.document(id)
    #expect(d.screening.ambitions.map(\.regions) == [["Antwerpen"], ["Gent"]])
    #expect(d.screening.ambitions[1].concluded == false)
    f.send(.character("w"))
    guard case .text(let view) = f.state.overlay else {
      Issue.record("w should show what changed")
      return
    }
    #expect(view.lines.map(\.text).contains("  − Antwerpen"))
    #expect(view.lines.map(\.text).contains("  + Gent"))
  }

  @Test func concludingAnIncompleteScreeningIsRefused() throws {
    let f = try onScreeningTab()
    try completePhase1(f)
    f.send(.character("p"), .pageDown, .tab, .tab, .tab, .enter)
    pick(f, "yes")
    f.send(.control("s"))
    #expect(f.state.form != nil)
    #expect(f.state.status?.text.hasPrefix("Not finished yet; still missing: desired occupations, sectors, regions") == true)
  }

  @Test func skillsSelfAssessmentReportAndProgress() throws {
    let f = try onScreeningTab()
    for round in 0..<2 {
      f.send(.character("s"))
      pick(f, "Food")
      pick(f, "Cook")
      #expect(f.state.activeScreen == .assessment)
      // First round: "1–10" everywhere; second: "more than 50" for the first action field.
      for n in 0..<10 { f.send(.character(round == 1 && n < 2 ? "4" : "2")) }
      f.send(.control("s"))
      #expect(f.state.assessment == nil)
    }
    let d = try f.document(f.state.caseFile!.stored.id.rawValue)
    #expect(d.screening.assessments.count == 2)
    #expect(d.screening.assessments[0].answers.values.allSatisfy { $0 == .upTo10 })
    f.send(.character("v"))
    pick(f, d.screening.assessments[0].id)
    guard case .text(let view) = f.state.overlay else {
      Issue.record("v should show progress")
      return
    }
    let rows = view.lines.map(\.text)
    #expect(rows.contains { $0.hasPrefix("Preparation") && $0.contains("◔ 33%") && $0.contains("● 100%") && $0.hasSuffix("+67") })
    #expect(rows.contains { $0.hasPrefix("Cooking") && $0.hasSuffix("=") })
    f.send(.escape, .character("r"))
    pick(f, d.screening.assessments[1].id)
    guard case .text(let report) = f.state.overlay else {
      Issue.record("r should show a report")
      return
    }
    #expect(report.lines.first?.text == "◑ Overall fit: 47%")
  }

  @Test func anAssessmentSavedAfterAConflictKeepsBothChanges() throws {
    let f = try onScreeningTab()
    f.send(.character("s"))
    pick(f, "Food")
    pick(f, "Baker")
    f.send(.character("4"), .character("3"))
    let id = try saveMeanwhileThenReapply(f, note: "Saved meanwhile")
    #expect(f.state.assessment == nil)
    let saved = try f.document(id.rawValue)
    #expect(saved.notes.last?.text == "Saved meanwhile")
    #expect(saved.screening.assessments.first?.answers.count == 2)
  }

  @Test func leavingAnAnsweredAssessmentAsksFirst() throws {
    let f = try onScreeningTab()
    f.send(.character("s"))
    pick(f, "Office")
    pick(f, "Translator")
    f.send(.character("3"), .escape)
    guard case .confirm = f.state.overlay else {
      Issue.record("Esc with answers should ask")
      return
    }
    f.send(.character("y"))
    #expect(f.state.assessment == nil)
    #expect(try f.document(f.state.caseFile!.stored.id.rawValue).screening.assessments.isEmpty)
  }

  @Test func consentAndCVExportAreRecorded() throws {
    let f = try onScreeningTab()
    f.send(.character("c"))
    f.type("VDAB")
    f.send(.tab)
    f.type("job matching")
    f.send(.tab, .tab, .enter)
    pick(f, "verbal-with-witness")
    f.send(.control("s"))
    #expect(f.state.form?.focusedField.path == "consents[0].witness")
    f.type("Mohamed")
    f.send(.control("s"))
    let id = f.state.caseFile!.stored.id.rawValue
    var d = try f.document(id)
    #expect(d.consents.map(\.recipient) == ["VDAB"])
    #expect(d.consents[0].witness == "Mohamed" && d.consents[0].givenOn == today)
    let path = f.folder + "/cv.md"
    f.send(.character("x"))
    pick(f, "cv-md")
    pick(f, "nl")
    f.send(.control("u"))
    f.type(path)
    f.send(.enter)
    #expect(f.state.status?.text.hasPrefix("Written to \(path)") == true, "\(f.state.status?.text ?? "")")
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasPrefix("# ليلى الحسن"))
    #expect(text.contains("## Persoonlijke gegevens"))
    d = try f.document(id)
    #expect(d.disclosures.map(\.what) == ["cv-md (nl)"])
    #expect(f.screen.contains("the person (CV): cv-md (nl)"))
    // The screening summary goes to VDAB under the consent, in Dutch.
    let sharePath = f.folder + "/vdab.json"
    f.send(.character("x"))
    pick(f, "share")
    pick(f, "c1")
    pick(f, "nl")
    #expect(f.state.prompt?.editor.text == "\(id)-share-vdab.json")
    f.send(.control("u"))
    f.type(sharePath)
    f.send(.enter)
    let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: sharePath))) as! [String: Any]
    #expect(summary["recipient"] as? String == "VDAB" && summary["language"] as? String == "nl")
    d = try f.document(id)
    #expect(d.disclosures.last?.consent == "c1" && d.disclosures.last?.recipient == "VDAB")
    // W withdraws the consent after a yes; it stays on record.
    f.send(.character("W"), .character("n"))
    #expect(try f.document(id).consents[0].withdrawnOn == nil)
    f.send(.character("W"), .character("y"))
    d = try f.document(id)
    #expect(d.consents[0].withdrawnOn == today)
    // With no active consent left, sharing is refused before anything is asked.
    f.send(.character("x"))
    pick(f, "share")
    #expect(f.state.overlay == nil && f.state.prompt == nil)
    #expect(f.state.status?.text == "No active consent to share; record one with c first.")
  }

  @Test func interviewConflictKeepsEditsFromEarlierPages() throws {
    let f = try onScreeningTab()
    f.send(.character("i"), .control("n"), .tab)
    f.type("Nursing")
    f.send(.pageDown, .enter)
    pick(f, "yes")  // no work experience
    let id = try saveMeanwhileThenReapply(f, note: "Other worker's note")
    let saved = try f.document(id.rawValue)
    #expect(saved.notes.last?.text == "Other worker's note")
    #expect(saved.screening.factual.education.first?.field == "Nursing")
    #expect(saved.screening.factual.noWork)
  }

  @Test(arguments: [Language.en, .nl]) func renders(language: Language) throws {
    let f = try onScreeningTab(language)
    try completePhase1(f)
    assertSnapshot(f.screen, named: "screening-tab-\(language.rawValue)-80x24")
    f.send(.character("i"), .pageDown, .pageDown)
    assertSnapshot(f.screen, named: "interview-languages-\(language.rawValue)-80x24")
    f.send(.escape)
    f.send(.character("s"))
    pick(f, language == .en ? "Health care" : "Gezondheidszorg en zorg")
    pick(f, "nurse")
    f.send(.character("3"))
    assertSnapshot(f.screen, named: "assessment-\(language.rawValue)-80x24")
  }
}
