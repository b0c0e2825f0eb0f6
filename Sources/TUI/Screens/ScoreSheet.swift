import CaseStore
import Casework
import TextCells

/// A sheet of questions answered with a number key each: a participant's entry test (answers of
/// the programme) or closing evaluation (six scores 1–5 and the level fit).
public struct ScoreSheet: Sendable {
  public enum Kind: Sendable { case entryTest, evaluation }

  public struct Row: Sendable {
    public var id: String
    public var question: String
    public var options: [String]
    public var choice: Int?
  }

  public var kind: Kind
  public var group: StoredRecord<TrainingGroup>
  public var caseID: String
  public var title: String
  public var rows: [Row]
  public var cursor = 0
  var original: [Int?]

  public var isDirty: Bool { rows.map(\.choice) != original }
  public var isComplete: Bool { rows.allSatisfy { $0.choice != nil } }

  init(kind: Kind, group: StoredRecord<TrainingGroup>, caseID: String, title: String, rows: [Row]) {
    self.kind = kind
    self.group = group
    self.caseID = caseID
    self.title = title
    self.rows = rows
    original = rows.map(\.choice)
  }

  static func entryTest(
    group: StoredRecord<TrainingGroup>, caseID: String, programme: VoorwerkProgramme, strings: Strings, name: String
  ) -> ScoreSheet {
    let lang = strings.language.rawValue
    let answers = group.record.participant(caseID).flatMap { group.record.participants[$0].entryTest } ?? [:]
    let rows = programme.entryTest.map { q in
      Row(id: q.id, question: q.text(lang), options: q.answers.map { $0.text(lang) }, choice: answers[q.id])
    }
    return ScoreSheet(kind: .entryTest, group: group, caseID: caseID, title: strings("entryTest.title", name, group.record.name), rows: rows)
  }

  static func evaluation(group: StoredRecord<TrainingGroup>, caseID: String, strings: Strings, name: String) -> ScoreSheet {
    let current = group.record.participant(caseID).flatMap { group.record.participants[$0].evaluation }
    // A score off the scale (a damaged group) shows as not chosen.
    let values = current.map { e in e.scores.map { (1...5).contains($0.value) ? Optional($0.value - 1) : nil } }
    var rows = TrainingGroup.Evaluation.scoreNames.enumerated().map { i, name in
      Row(id: name, question: strings("evaluation.\(name)"), options: (1...5).map { strings("evaluation.score.\($0)") }, choice: values?[i])
    }
    rows.append(Row(
      id: "level", question: strings("evaluation.level"),
      options: TrainingGroup.LevelFit.allCases.map { strings("evaluation.level.\($0.rawValue)") },
      choice: current.flatMap { c in TrainingGroup.LevelFit.allCases.firstIndex(of: c.level) }))
    return ScoreSheet(kind: .evaluation, group: group, caseID: caseID, title: strings("evaluation.title", name, group.record.name), rows: rows)
  }

  /// The group with this sheet's answers applied to the participant; nil while incomplete.
  func applied() -> TrainingGroup? {
    guard isComplete, let i = group.record.participant(caseID) else { return nil }
    var g = group.record
    switch kind {
    case .entryTest:
      g.participants[i].entryTest = Dictionary(uniqueKeysWithValues: rows.map { ($0.id, $0.choice!) })
    case .evaluation:
      let v = rows.map { $0.choice! }
      g.participants[i].evaluation = TrainingGroup.Evaluation(
        confidence: v[0] + 1, labourMarket: v[1] + 1, communication: v[2] + 1, initiative: v[3] + 1, organisation: v[4] + 1,
        responsibility: v[5] + 1, level: TrainingGroup.LevelFit.allCases[v[6]])
    }
    return g
  }
}

extension AppState {
  mutating func handleScoreSheet(_ key: Key) -> [Effect] {
    guard var sheet = scoreSheet else { return [] }
    defer { if scoreSheet != nil { scoreSheet = sheet } }
    switch key {
    case .down, .character("j"), .tab: sheet.cursor = min(sheet.cursor + 1, sheet.rows.count - 1)
    case .up, .character("k"), .backTab: sheet.cursor = max(0, sheet.cursor - 1)
    case .character(let c) where c.wholeNumberValue != nil:
      let n = c.wholeNumberValue! - 1
      guard sheet.rows[sheet.cursor].options.indices.contains(n) else {
        showError(strings("scores.pickRange", String(sheet.rows[sheet.cursor].options.count)))
        break
      }
      sheet.rows[sheet.cursor].choice = n
      if sheet.cursor + 1 < sheet.rows.count { sheet.cursor += 1 }
    case .backspace, .delete:
      sheet.rows[sheet.cursor].choice = nil
    case .control("s"), .function(2):
      guard let group = sheet.applied() else {
        let open = sheet.rows.firstIndex { $0.choice == nil } ?? 0
        sheet.cursor = open
        showError(strings.plural("scores.incomplete", sheet.rows.filter { $0.choice == nil }.count))
        break
      }
      return [.saveGroup(group, basedOn: sheet.group, message: sheet.kind == .entryTest ? "entryTest.saved" : "evaluation.saved")]
    case .escape:
      if sheet.isDirty {
        overlay = .confirm(ConfirmDialog(question: strings("confirm.discardForm"), action: .discardScores))
      } else {
        scoreSheet = nil
      }
    default: break
    }
    return []
  }

  func renderScoreSheet(into buffer: inout ScreenBuffer) {
    guard let sheet = scoreSheet else { return }
    buffer.put(sheet.title, row: 1, column: 1, width: columns - 2, style: .title)
    var y = 3
    let perRow = sheet.kind == .entryTest ? 3 : 2
    let visible = max(1, (rows - 8) / perRow)
    let top = max(0, sheet.cursor - visible + 1)
    for (i, row) in sheet.rows.enumerated().dropFirst(top).prefix(visible) {
      let focused = i == sheet.cursor
      buffer.put(focused ? "›" : " ", row: y, column: 1, style: .title)
      // A long question takes the spacing line too.
      let question = wrap("\(i + 1). \(row.question)", width: columns - 4).prefix(perRow - 1)
      for line in question {
        buffer.put(line, row: y, column: 3, width: columns - 4, style: focused ? .title : .label)
        y += 1
      }
      var x = 6
      for (n, option) in row.options.enumerated() {
        let text = "\(n + 1) \(option)"
        let chosen = row.choice == n
        let w = TextWidth.width(of: text) + 2
        if x + w > columns - 1 { break }
        buffer.put(chosen ? "[\(text)]" : " \(text) ", row: y, column: x, style: chosen ? .selected : .hint)
        x += w + 1
      }
      y += perRow - question.count
    }
    // What the answers give so far.
    var result = ""
    if sheet.kind == .entryTest {
      let answers = Dictionary(uniqueKeysWithValues: sheet.rows.compactMap { r in r.choice.map { (r.id, $0) } })
      let level = content.voorwerk.recommendedLevel(answers)
      result = strings("entryTest.result", String(content.voorwerk.points(answers)), levelName(level.id))
    }
    let answered = sheet.rows.filter { $0.choice != nil }.count
    buffer.put(strings("scores.progress", String(answered), String(sheet.rows.count)) + (result.isEmpty ? "" : " · " + result),
      row: rows - 3, column: 1, width: columns - 2, style: sheet.isComplete ? .success : .hint)
  }
}
