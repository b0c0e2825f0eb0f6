import CaseStore
import Foundation
import KetenResources

/// The VOORwerk programme (`Resources/voorwerk/programme.json`): parts, modules with hours,
/// levels and the entry test. A store may replace it with `<store>/content/voorwerk/programme.json`.
public struct VoorwerkProgramme: Codable, Sendable {
  public struct Part: Codable, Sendable { public var id: String; public var title: LocalizedText }
  public struct Module: Codable, Sendable {
    public var id: String
    public var part: String
    public var hours: Double
    public var title: LocalizedText
    /// Other names trainers use for it (search finds the module by these too).
    public var also: [String]?
    /// What the trainer covers: aims, topics, exercises, what to prepare, the soft skills worked on.
    public var plan: LessonPlan?

    /// The hours as people write them: `3`, `3.5`.
    public var hoursText: String { hours == hours.rounded() ? String(Int(hours)) : String(hours) }
  }
  /// A module's lesson plan, in both languages.
  public struct LessonPlan: Codable, Sendable {
    public var aims: LocalizedText
    public var topics: [LocalizedText]
    public var exercises: [LocalizedText]
    public var prepare: [LocalizedText]
    /// Soft-skill ids: communication, initiative, organising, responsibility, culture, applying.
    public var skills: [String]

    public static let skillIDs: Set<String> = ["communication", "initiative", "organising", "responsibility", "culture", "applying"]
  }

  public struct Level: Codable, Sendable {
    public var id: String
    public var minimumPoints: Int
    public var title: LocalizedText
  }
  public struct Answer: Codable, Sendable {
    public var text: LocalizedText
    public var points: Int

    /// Answer texts sit next to `points` under their language codes.
    struct AnyKey: CodingKey {
      var stringValue: String
      var intValue: Int? { nil }
      init?(stringValue: String) { self.stringValue = stringValue }
      init?(intValue: Int) { nil }
    }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: AnyKey.self)
      var texts: [String: String] = [:]
      var points: Int?
      for key in c.allKeys {
        if key.stringValue == "points" {
          points = try c.decode(Int.self, forKey: key)
        } else {
          texts[key.stringValue] = try c.decode(String.self, forKey: key)
        }
      }
      guard let points else {
        throw DecodingError.keyNotFound(AnyKey(stringValue: "points")!, .init(codingPath: c.codingPath, debugDescription: "points"))
      }
      self.points = points
      text = LocalizedText(texts)
    }

    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: AnyKey.self)
      for (k, v) in text.texts { try c.encode(v, forKey: AnyKey(stringValue: k)!) }
      try c.encode(points, forKey: AnyKey(stringValue: "points")!)
    }
  }
  public struct Question: Codable, Sendable {
    public var id: String
    public var text: LocalizedText
    public var answers: [Answer]
  }

  public var format: Int
  public var days: Int
  public var parts: [Part]
  public var modules: [Module]
  public var levels: [Level]
  public var entryTest: [Question]

  public var totalHours: Double { modules.reduce(0) { $0 + $1.hours } }

  /// The day of a group's days a module falls on: the modules spread over the days in order
  /// (five modules over three days: 1 and 2 on the first, 3 on the second, 4 and 5 on the last).
  public func plannedDay(of moduleIndex: Int, days: [LocalDate]) -> LocalDate? {
    guard !days.isEmpty, modules.indices.contains(moduleIndex) else { return nil }
    let sorted = days.sorted()
    return sorted[min(sorted.count - 1, moduleIndex * sorted.count / modules.count)]
  }

  public static func load(storeRoot: String?) throws(ContentError) -> VoorwerkProgramme {
    let (url, name) = ContentFiles.overridable("voorwerk/programme.json", storeRoot: storeRoot)
    let programme = try ContentFiles.decode(VoorwerkProgramme.self, from: url, name: name)
    try programme.validate(name: name)
    return programme
  }

  public func validate(name: String) throws(ContentError) {
    func fail(_ entry: String, _ problem: String) -> ContentError { ContentError(file: name, entry: entry, problem: problem) }
    func text(_ t: LocalizedText, _ entry: String) throws(ContentError) {
      if !t.missingLanguages.isEmpty { throw fail(entry, "the text has no \(t.missingLanguages.joined(separator: " or ")).") }
    }
    if format != 1 { throw fail("format", "format \(format) is not known; this version reads format 1.") }
    if parts.count != 3 { throw fail("parts", "VOORwerk has 3 parts; this file has \(parts.count).") }
    if modules.isEmpty { throw fail("modules", "there are no modules.") }
    if !(1...10).contains(days) { throw fail("days", "\(days) is not a number of days from 1 to 10.") }
    for p in parts { try text(p.title, "part \(p.id)") }
    var ids: Set<String> = []
    for m in modules {
      try text(m.title, "module \(m.id)")
      if !ids.insert(m.id).inserted { throw fail("module \(m.id)", "the id is used twice.") }
      if !parts.contains(where: { $0.id == m.part }) { throw fail("module \(m.id)", "part '\(m.part)' is not one of the parts.") }
      if !(m.hours > 0 && m.hours <= 24) { throw fail("module \(m.id)", "\(m.hours) hours is not between 0 and 24.") }
      if let plan = m.plan {
        try text(plan.aims, "module \(m.id) plan.aims")
        for t in plan.topics + plan.exercises + plan.prepare { try text(t, "module \(m.id) plan") }
        if let bad = plan.skills.first(where: { !LessonPlan.skillIDs.contains($0) }) {
          throw fail("module \(m.id) plan.skills", "'\(bad)' is not a soft skill; use \(LessonPlan.skillIDs.sorted().joined(separator: ", ")).")
        }
      }
    }
    if levels.isEmpty { throw fail("levels", "there are no levels.") }
    for (i, l) in levels.enumerated() {
      try text(l.title, "level \(l.id)")
      if i > 0, l.minimumPoints <= levels[i - 1].minimumPoints {
        throw fail("level \(l.id)", "levels must be listed with rising minimumPoints.")
      }
    }
    for q in entryTest {
      try text(q.text, "entry test \(q.id)")
      if q.answers.count < 2 { throw fail("entry test \(q.id)", "a question needs at least two answers.") }
      for a in q.answers { try text(a.text, "entry test \(q.id)") }
    }
  }

  public func module(_ id: String) -> Module? { modules.first { $0.id == id } }
  public func level(_ id: String) -> Level? { levels.first { $0.id == id } }

  /// Entry-test points of a participant's answers (question id → answer index); unknown ids and
  /// indexes count nothing.
  public func points(_ answers: [String: Int]) -> Int {
    entryTest.reduce(0) { sum, q in
      guard let i = answers[q.id], q.answers.indices.contains(i) else { return sum }
      return sum + q.answers[i].points
    }
  }

  /// The level the entry test recommends: the highest whose minimum the points reach.
  public func recommendedLevel(_ answers: [String: Int]) -> Level {
    let p = points(answers)
    return levels.last { $0.minimumPoints <= p } ?? levels[0]
  }
}
