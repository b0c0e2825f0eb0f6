import CaseStore
import Foundation
import KetenResources

/// The mentoring programme (`Resources/mentoring/programme.json`): pair defaults, the overdue
/// rule, goal and activity catalogs, the outcome reference and the match weights. A store may
/// replace it with `<store>/content/mentoring/programme.json`.
public struct MentoringProgramme: Codable, Sendable, Equatable {
  public struct Defaults: Codable, Sendable, Equatable {
    public var frequencyDays: Int
    public var minutesPerMeeting: Int
    public var durationMonths: Int
  }
  public struct Item: Codable, Sendable, Equatable {
    public var id: String
    public var title: LocalizedText
  }
  public struct Reference: Codable, Sendable, Equatable {
    public var percent: Int
    public var title: LocalizedText
  }
  public struct Weights: Codable, Sendable, Equatable {
    public var profession: Int
    public var sector: Int
    public var language: Int
    public var age: Int
    public var gender: Int
    public var capacity: Int

    public init(profession: Int, sector: Int, language: Int, age: Int, gender: Int, capacity: Int) {
      self.profession = profession
      self.sector = sector
      self.language = language
      self.age = age
      self.gender = gender
      self.capacity = capacity
    }
  }
  public struct Matching: Codable, Sendable, Equatable {
    public var weights: Weights
    /// The mentor–mentee age gap that scores best (DUO for a JOB pairs young people with 50+).
    public var idealAgeGap: Int
  }

  public var format: Int
  public var defaults: Defaults
  /// A pair is overdue when no check-in happened for its frequency plus these days.
  public var overdueGraceDays: Int
  public var outcomeReference: Reference
  public var goals: [Item]
  public var activities: [Item]
  public var matching: Matching

  static let relativePath = "mentoring/programme.json"

  public static func load(storeRoot: String?) throws(ContentError) -> MentoringProgramme {
    let (url, name) = ContentFiles.overridable(relativePath, storeRoot: storeRoot)
    let programme = try ContentFiles.decode(MentoringProgramme.self, from: url, name: name)
    try programme.validate(name: name)
    return programme
  }

  /// The shipped programme (tests and tools without a store).
  public static func shipped() throws(ContentError) -> MentoringProgramme { try load(storeRoot: nil) }

  public func validate(name: String) throws(ContentError) {
    func fail(_ entry: String, _ problem: String) -> ContentError { ContentError(file: name, entry: entry, problem: problem) }
    if format != 1 { throw fail("format", "format \(format) is not known; this version reads format 1.") }
    if !(1...31).contains(defaults.frequencyDays) { throw fail("defaults.frequencyDays", "\(defaults.frequencyDays) is not from 1 to 31.") }
    if !(15...480).contains(defaults.minutesPerMeeting) { throw fail("defaults.minutesPerMeeting", "\(defaults.minutesPerMeeting) is not from 15 to 480.") }
    if !(1...24).contains(defaults.durationMonths) { throw fail("defaults.durationMonths", "\(defaults.durationMonths) is not from 1 to 24.") }
    if !(0...30).contains(overdueGraceDays) { throw fail("overdueGraceDays", "\(overdueGraceDays) is not from 0 to 30.") }
    if !(1...100).contains(outcomeReference.percent) { throw fail("outcomeReference.percent", "\(outcomeReference.percent) is not from 1 to 100.") }
    for (list, items) in [("goals", goals), ("activities", activities)] {
      if items.isEmpty { throw fail(list, "the list is empty.") }
      var ids: Set<String> = []
      for item in items {
        if !ids.insert(item.id).inserted { throw fail("\(list) \(item.id)", "the id is used twice.") }
        if item.id.isEmpty || item.id.contains(",") { throw fail("\(list) \(item.id)", "an id must be non-empty and without commas.") }
        if !item.title.missingLanguages.isEmpty {
          throw fail("\(list) \(item.id)", "the title has no \(item.title.missingLanguages.joined(separator: " or ")).")
        }
      }
    }
    let w = matching.weights
    for (key, value) in [("profession", w.profession), ("sector", w.sector), ("language", w.language), ("age", w.age), ("gender", w.gender), ("capacity", w.capacity)]
    where !(0...100).contains(value) {
      throw fail("matching.weights.\(key)", "\(value) is not a weight from 0 to 100.")
    }
    if !(0...60).contains(matching.idealAgeGap) { throw fail("matching.idealAgeGap", "\(matching.idealAgeGap) is not from 0 to 60.") }
  }

  /// A goal's title, or the goal itself when it is a free goal in words.
  public func goalTitle(_ goal: String, _ language: String) -> String {
    goals.first { $0.id == goal }?.title(language) ?? goal
  }

  /// An activity's title, or the activity itself when it is in words.
  public func activityTitle(_ activity: String, _ language: String) -> String {
    activities.first { $0.id == activity }?.title(language) ?? activity
  }

  /// A new pair with the programme's defaults.
  public func newPair(
    mentor: Mentor, start: LocalDate, goals: [String], confirmedBy: String, today: LocalDate
  ) -> MentorPair {
    MentorPair(
      id: "", mentor: mentor.id, mentorName: mentor.name, confirmedBy: confirmedBy, confirmedOn: today, start: start,
      goals: goals, frequencyDays: defaults.frequencyDays, minutesPerMeeting: defaults.minutesPerMeeting,
      durationMonths: defaults.durationMonths)
  }
}
