import Foundation

/// A VOORwerk training group: its sessions, trainers, interpreters and participants, with
/// attendance per module and each participant's entry test, internship and closing evaluation.
/// Stored as `<store>/groups/G-YEAR-NNNN.json`.
public struct TrainingGroup: StoreRecord {
  public static let kind = RecordKind(folder: "groups", prefix: "G", noun: "training group")

  public var id: String = ""
  public var revision: Int = 0
  public var updatedAt = Date(timeIntervalSince1970: 0)
  public var updatedBy: String = ""

  public var name: String
  public var centre: String
  /// OS logins of the trainers.
  public var trainers: [String]
  /// The language the training is given in.
  public var language: String
  public var interpreters: [Interpreter]
  /// The training days (3 by default).
  public var days: [LocalDate]
  public var capacity: Int
  /// A level id of the programme.
  public var level: String
  public var participants: [Participant]
  /// Module id → the day it was delivered.
  public var delivered: [String: LocalDate]

  public init(
    name: String, centre: String, trainers: [String], language: String, interpreters: [Interpreter] = [],
    days: [LocalDate], capacity: Int, level: String
  ) {
    self.name = name
    self.centre = centre
    self.trainers = trainers
    self.language = language
    self.interpreters = interpreters
    self.days = days
    self.capacity = capacity
    self.level = level
    participants = []
    delivered = [:]
  }

  public struct Interpreter: Codable, Equatable, Sendable {
    public var name: String
    public var languages: [String]

    public init(name: String, languages: [String]) {
      self.name = name
      self.languages = languages
    }

    /// `Name (ar fa), Other Name (ti)`: interpreters separated by commas, languages in brackets.
    static func parseList(_ text: String) throws(FieldError) -> [Interpreter] {
      var out: [Interpreter] = []
      var rest = Substring(text)
      while !rest.isEmpty {
        var name = ""
        var languages: [String] = []
        while let c = rest.first, c != ",", c != "(" {
          name.append(c)
          rest = rest.dropFirst()
        }
        if rest.first == "(" {
          guard let close = rest.firstIndex(of: ")") else {
            throw FieldError(path: "interpreters", problem: .notAllowed(text, options: ["Name (ar fa), Other Name (ti)"]))
          }
          languages = []
          for part in rest[rest.index(after: rest.startIndex)..<close].split(whereSeparator: { $0 == " " || $0 == "," }) {
            guard let code = Languages.code(for: String(part)) else {
              throw FieldError(path: "interpreters", problem: .unknownLanguage(String(part)))
            }
            languages.append(code)
          }
          rest = rest[rest.index(after: close)...]
          rest = rest.drop { $0 == " " }
        }
        if rest.first == "," { rest = rest.dropFirst() }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { out.append(Interpreter(name: trimmed, languages: languages)) }
      }
      return out
    }
  }

  /// One case in the group.
  public struct Participant: Codable, Equatable, Sendable {
    public var caseID: String
    /// Entry-test answers: question id → index of the answer chosen.
    public var entryTest: [String: Int]?
    /// Module id → attendance.
    public var attendance: [String: Attendance] = [:]
    /// Module id → the trainer's short note.
    public var notes: [String: String] = [:]
    /// Part 3: the unpaid internship and the local organisations contacted.
    public var internship: Internship?
    public var organisationsContacted: [String] = []
    public var evaluation: Evaluation?

    public init(caseID: String) { self.caseID = caseID }

    enum CodingKeys: String, CodingKey {
      case caseID = "case", entryTest, attendance, notes, internship, organisationsContacted, evaluation
    }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      caseID = try c.decode(String.self, forKey: .caseID)
      entryTest = try c.decodeIfPresent([String: Int].self, forKey: .entryTest)
      attendance = try c.decodeIfPresent([String: Attendance].self, forKey: .attendance) ?? [:]
      notes = try c.decodeIfPresent([String: String].self, forKey: .notes) ?? [:]
      internship = try c.decodeIfPresent(Internship.self, forKey: .internship)
      organisationsContacted = try c.decodeIfPresent([String].self, forKey: .organisationsContacted) ?? []
      evaluation = try c.decodeIfPresent(Evaluation.self, forKey: .evaluation)
    }
  }

  public enum Attendance: String, StoredCode, CaseIterable, Sendable {
    case present, absent, excused
  }

  public struct Internship: Codable, Equatable, Sendable {
    public var organisation: String
    public var from: LocalDate?
    public var to: LocalDate?

    public init(organisation: String, from: LocalDate?, to: LocalDate?) {
      self.organisation = organisation
      self.from = from
      self.to = to
    }
  }

  /// The closing evaluation, each score 1–5.
  public struct Evaluation: Codable, Equatable, Sendable {
    public var confidence: Int
    public var labourMarket: Int
    public var communication: Int
    public var initiative: Int
    public var organisation: Int
    public var responsibility: Int
    public var level: LevelFit

    public init(
      confidence: Int, labourMarket: Int, communication: Int, initiative: Int, organisation: Int,
      responsibility: Int, level: LevelFit
    ) {
      self.confidence = confidence
      self.labourMarket = labourMarket
      self.communication = communication
      self.initiative = initiative
      self.organisation = organisation
      self.responsibility = responsibility
      self.level = level
    }

    /// The scores by name, in the order reports show them.
    public var scores: [(name: String, value: Int)] {
      [("confidence", confidence), ("labourMarket", labourMarket), ("communication", communication),
       ("initiative", initiative), ("organisation", organisation), ("responsibility", responsibility)]
    }
  }

  public enum LevelFit: String, StoredCode, CaseIterable, Sendable {
    case tooLow = "too-low"
    case right
    case tooHigh = "too-high"
  }

  public func participant(_ caseID: String) -> Int? { participants.firstIndex { $0.caseID == caseID } }

  /// Part 3 of a participant: the internship and the organisations contacted.
  public static let practiceFields: [FormField<Participant>] = [
    FormField(
      path: "internship.organisation", kind: .text, required: false, get: { $0.internship?.organisation ?? "" },
      set: { p, text throws(FieldError) in
        if text.isEmpty {
          p.internship = nil
        } else {
          p.internship = Internship(organisation: text, from: p.internship?.from, to: p.internship?.to)
        }
      }),
    FormField(
      path: "internship.from", kind: .date, required: false, get: { $0.internship?.from?.description ?? "" },
      set: { p, text throws(FieldError) in
        let d = try CaseField.parseDate("internship.from", text)
        if p.internship == nil, d != nil { throw FieldError(path: "internship.from", problem: .needsOrganisation) }
        p.internship?.from = d
      }),
    FormField(
      path: "internship.to", kind: .date, required: false, get: { $0.internship?.to?.description ?? "" },
      set: { p, text throws(FieldError) in
        let d = try CaseField.parseDate("internship.to", text)
        if p.internship == nil, d != nil { throw FieldError(path: "internship.to", problem: .needsOrganisation) }
        p.internship?.to = d
      }),
    .textList("organisationsContacted", \.organisationsContacted),
  ]

  public func validationIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if name.isBlank { issues.append(.init(path: "name", problem: .required)) }
    if centre.isBlank { issues.append(.init(path: "centre", problem: .required)) }
    if trainers.isEmpty { issues.append(.init(path: "trainers", problem: .required)) }
    if !(1...200).contains(capacity) {
      issues.append(.init(path: "capacity", problem: .notInRange(String(capacity), min: 1, max: 200)))
    }
    if participants.count > capacity {
      // Fewer places than participants: the capacity is what to fix.
      issues.append(.init(path: "capacity", problem: .notInRange(String(capacity), min: max(1, participants.count), max: 200)))
    }
    for (i, day) in days.enumerated() where i > 0 && day < days[i - 1] {
      issues.append(.init(path: "days[\(i)]", problem: .endBeforeStart(start: days[i - 1].description, end: day.description)))
    }
    var seen: Set<String> = []
    for (i, p) in participants.enumerated() {
      if !seen.insert(p.caseID).inserted {
        issues.append(.init(path: "participants[\(i)].case", problem: .notAllowed(p.caseID, options: ["a case not yet in the group"])))
      }
      if let e = p.evaluation {
        for (name, value) in e.scores where !(1...5).contains(value) {
          issues.append(.init(path: "participants[\(i)].evaluation.\(name)", problem: .notInRange(String(value), min: 1, max: 5)))
        }
      }
      // Attendance is of a module given: none before the module is marked delivered.
      for module in p.attendance.keys.sorted() where delivered[module] == nil {
        issues.append(.init(path: "participants[\(i)].attendance.\(module)", problem: .notDelivered(module)))
      }
      if let internship = p.internship, let from = internship.from, let to = internship.to, to < from {
        issues.append(.init(path: "participants[\(i)].internship.to", problem: .endBeforeStart(start: from.description, end: to.description)))
      }
    }
    for (module, day) in delivered where day > today {
      issues.append(.init(path: "delivered.\(module)", problem: .dateInFuture(day)))
    }
    return issues
  }
}

extension TrainingGroup {
  /// The fields `keten training edit --set` and the app's group sheet edit. `levels` are the
  /// programme's level ids.
  public static func fields(levels: [String]) -> [FormField<TrainingGroup>] {
    [
      .text("name", required: true, \.name),
      .text("centre", required: true, \.centre),
      FormField(
        path: "trainers", kind: .list([]), required: true, get: { $0.trainers.joined(separator: ", ") },
        set: { g, text throws(FieldError) in
          let logins = FormField<TrainingGroup>.splitList(text)
          if logins.isEmpty { throw FieldError(path: "trainers", problem: .required) }
          if let bad = logins.first(where: { !Mentor.isLogin($0) }) { throw FieldError(path: "trainers", problem: .notALogin(bad)) }
          g.trainers = logins
        }),
      .language("language", \.language),
      FormField(
        path: "interpreters", kind: .list([]), required: false,
        get: { $0.interpreters.map { i in i.languages.isEmpty ? i.name : "\(i.name) (\(i.languages.joined(separator: " ")))" }.joined(separator: ", ") },
        set: { g, text throws(FieldError) in g.interpreters = try Interpreter.parseList(text) }),
      FormField(
        path: "days", kind: .list([]), required: false, get: { $0.days.map(\.description).joined(separator: ", ") },
        set: { g, text throws(FieldError) in
          var days: [LocalDate] = []
          for part in FormField<TrainingGroup>.splitList(text) {
            guard let d = try FormField<TrainingGroup>.parseDate("days", part) else { continue }
            days.append(d)
          }
          g.days = days
        }),
      .count("capacity", 1...200, \.capacity),
      FormField(
        path: "level", kind: .choice(levels), required: true, get: { $0.level },
        set: { g, text throws(FieldError) in
          guard let level = levels.first(where: { $0.lowercased() == text.lowercased() }) else {
            throw FieldError(path: "level", problem: .notAllowed(text, options: levels))
          }
          g.level = level
        }),
    ]
  }

  enum CodingKeys: String, CodingKey {
    case id, revision, updatedAt, updatedBy, name, centre, trainers, language, interpreters, days
    case capacity, level, participants, delivered
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .id)
    revision = try c.decode(Int.self, forKey: .revision)
    updatedAt = try c.decode(Date.self, forKey: .updatedAt)
    updatedBy = try c.decode(String.self, forKey: .updatedBy)
    name = try c.decode(String.self, forKey: .name)
    centre = try c.decode(String.self, forKey: .centre)
    trainers = try c.decodeIfPresent([String].self, forKey: .trainers) ?? []
    language = try c.decodeIfPresent(String.self, forKey: .language) ?? ""
    interpreters = try c.decodeIfPresent([Interpreter].self, forKey: .interpreters) ?? []
    days = try c.decodeIfPresent([LocalDate].self, forKey: .days) ?? []
    capacity = try c.decode(Int.self, forKey: .capacity)
    level = try c.decodeIfPresent(String.self, forKey: .level) ?? ""
    participants = try c.decodeIfPresent([Participant].self, forKey: .participants) ?? []
    delivered = try c.decodeIfPresent([String: LocalDate].self, forKey: .delivered) ?? [:]
  }
}
