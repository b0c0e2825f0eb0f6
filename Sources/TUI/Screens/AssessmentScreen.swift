import CaseStore
import Casework
import Foundation
import TextCells

/// A skills self-assessment being answered at the keyboard, one action field per page, each
/// question shown in two languages side by side.
public struct AssessmentState: Sendable {
  /// The stored case the answers will be added to; replaced by the newer one after a conflict.
  public var base: StoredCase
  public let profile: SkillsCatalog.Profile
  public let date: LocalDate
  public let user: String
  public var answers: [String: FrequencyBand] = [:]
  /// The action field shown.
  public var page = 0
  /// The question focused on the page.
  public var question = 0
  /// Languages of the catalog; the first is the interface language, the second is cycled with Tab.
  public let languages: [String]
  public var first: String
  public var second: String

  public init(base: StoredCase, profile: SkillsCatalog.Profile, today: LocalDate, user: String, languages: [String], first: String) {
    self.base = base
    self.profile = profile
    self.date = today
    self.user = user
    self.languages = languages.isEmpty ? ["nl", "en"] : languages
    self.first = first
    second = self.languages.first { $0 != first } ?? first
  }

  public var isDirty: Bool { !answers.isEmpty }
  var questions: [SkillsCatalog.Question] { profile.actionFields[page].questions }
  public var answered: Int { profile.questions.filter { answers[$0.id] != nil }.count }

  /// The case with this assessment added.
  func document() -> CaseDocument {
    var d = base.document
    d.startAssessment(profile: profile.id, on: date, by: user)
    d.screening.assessments[d.screening.assessments.count - 1].answers = answers
    return d
  }

  mutating func move(_ delta: Int) {
    let next = question + delta
    if next >= questions.count {
      if page + 1 < profile.actionFields.count {
        page += 1
        question = 0
      }
    } else if next < 0 {
      if page > 0 {
        page -= 1
        question = questions.count - 1
      }
    } else {
      question = next
    }
  }

  mutating func answer(_ band: FrequencyBand) {
    answers[questions[question].id] = band
  }
}

extension AppState {
  mutating func handleAssessment(_ key: Key) -> [Effect] {
    guard var a = assessment else { return [] }
    defer { if assessment != nil { assessment = a } }
    let bands = FrequencyBand.allCases
    switch key {
    case .control("s"), .function(2):
      guard !a.answers.isEmpty else {
        showError(strings("assessment.nothingAnswered"))
        return []
      }
      if a.base.isReadOnly {
        showError(strings("case.readOnly", String(a.base.document.schemaVersion)))
        return []
      }
      return [.save(a.document(), basedOn: a.base, purpose: .assessment)]
    case .escape:
      if a.isDirty {
        overlay = .confirm(ConfirmDialog(question: strings("confirm.discardAssessment"), action: .discardAssessment))
      } else {
        assessment = nil
      }
    case .down, .character("j"), .enter: a.move(1)
    case .up, .character("k"): a.move(-1)
    case .pageDown:
      if a.page + 1 < a.profile.actionFields.count {
        a.page += 1
        a.question = 0
      }
    case .pageUp:
      if a.page > 0 {
        a.page -= 1
        a.question = 0
      }
    case .right, .character("l"):
      let current = a.answers[a.questions[a.question].id].map { bands.firstIndex(of: $0)! } ?? -1
      a.answer(bands[min(bands.count - 1, current + 1)])
    case .left, .character("h"):
      let current = a.answers[a.questions[a.question].id].map { bands.firstIndex(of: $0)! } ?? 1
      a.answer(bands[max(0, current - 1)])
    case .character(let c) where ("1"..."4").contains(c):
      // 1–4 answer and move on: the fastest way through with a person at the keyboard.
      a.answer(bands[Int(String(c))! - 1])
      a.move(1)
    case .tab:
      let others = a.languages.filter { $0 != a.first }
      if let i = others.firstIndex(of: a.second) { a.second = others[(i + 1) % others.count] }
    case .backTab:
      swap(&a.first, &a.second)
    case .character("r"):
      var preview = a.document().screening.assessments.last!
      preview.answers = a.answers
      showReport(preview)
    default: break
    }
    return []
  }

  func renderAssessment(into buffer: inout ScreenBuffer) {
    guard let a = assessment else { return }
    let d = a.base.document
    buffer.put(
      strings("assessment.title", a.profile.title(a.first), a.profile.title(a.second), d.person.fullName),
      row: 1, column: 1, width: columns - 2, style: .title)
    // Action fields as chips with answered counts; shortened when they do not all fit.
    let chips = a.profile.actionFields.enumerated().map { i, field in
      let done = field.questions.allSatisfy { a.answers[$0.id] != nil }
      return ("\(done ? "✓" : "○") \(i + 1) \(field.title(a.first))", done)
    }
    let total = chips.reduce(0) { $0 + TextWidth.width(of: $1.0) + 2 }
    var x = 1
    for (i, chip) in chips.enumerated() {
      let label = total > columns - 2 && i != a.page ? TextWidth.truncate(chip.0, to: 9) : chip.0
      let w = TextWidth.width(of: label) + 2
      if x + w > columns - 1 { break }
      buffer.put(" \(label) ", row: 2, column: x, style: i == a.page ? .tabActive : (chip.1 ? .success : .hint))
      x += w
    }
    let progress = strings("assessment.progress", String(a.answered), String(a.profile.questions.count))
    buffer.put(progress, row: 3, column: columns - TextWidth.width(of: progress) - 1, style: .hint)
    let field = a.profile.actionFields[a.page]
    buffer.put("\(field.title(a.first))  ·  \(field.title(a.second))", row: 3, column: 1, width: columns - 20, style: .heading)
    // Each question: the two languages side by side, then the four answers.
    let half = (columns - 8) / 2
    var y = 5
    for (i, q) in field.questions.enumerated() {
      let focused = i == a.question
      let left = wrap(q.text(a.first), width: half - 1)
      let right = wrap(q.text(a.second), width: half - 1)
      guard y + max(left.count, right.count) + 2 < rows - 3 else { break }
      buffer.put(focused ? "›" : " ", row: y, column: 1, style: .title)
      buffer.put("\(i + 1).", row: y, column: 2, style: focused ? .title : .label)
      for (n, line) in left.enumerated() {
        buffer.put(line, row: y + n, column: 5, width: half, style: focused ? .title : .plain)
      }
      for (n, line) in right.enumerated() {
        buffer.put(line, row: y + n, column: 6 + half, width: half, style: .hint)
      }
      y += max(left.count, right.count)
      var bx = 5
      for (n, band) in FrequencyBand.allCases.enumerated() {
        let chosen = a.answers[q.id] == band
        let label = "\(n + 1) \(chosen ? "●" : "○") \(strings("option.band.\(band.rawValue)"))"
        let w = TextWidth.width(of: label) + 2
        buffer.put(" \(label) ", row: y, column: bx, style: chosen ? (focused ? .focusedField : .chip) : (focused ? .plain : .hint))
        bx += w + 1
      }
      y += 2
    }
  }
}
