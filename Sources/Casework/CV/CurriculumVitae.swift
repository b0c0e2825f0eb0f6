import CaseStore

/// A CV built from the screening, in Europass order, with every label already in the chosen
/// language. The renderers (`CVRenderer`) only lay it out.
public struct CurriculumVitae: Equatable, Sendable {
  public struct Item: Equatable, Sendable {
    public var label: String
    public var value: String
  }

  public struct Entry: Equatable, Sendable {
    public var title: String
    public var period: String
    public var place: String
    public var details: [String]
  }

  public struct LanguageRow: Equatable, Sendable {
    public var language: String
    /// Listening, reading, spoken interaction, spoken production, writing.
    public var levels: [String]
  }

  public var name: String
  public var personal: [Item]
  public var work: [Entry]
  public var education: [Entry]
  public var motherTongues: [String]
  public var languages: [LanguageRow]
  public var digital: [String]
  public var driving: String
  public var other: [Item]
  public var footer: String
  /// Section headings and grid labels in the CV's language.
  public var labels: [String: String]

  /// The person's fields this CV shows (`PersonField.carried(by:)` of its export).
  public var personFields: [PersonField]

  /// Builds the CV of `d` in the language of `strings`, dated `today`, showing of the person only
  /// `fields` (a CV for the person: their phone too; inside a share: what the share carries).
  public init(
    document d: CaseDocument, content: CaseworkContent, strings s: Strings, today: LocalDate,
    fields: Set<PersonField> = PersonField.carried(by: .cv(.text))
  ) {
    let lang = s.language.rawValue
    let f = d.screening.factual
    name = d.person.fullName
    personal = [Item(label: s("cv.name"), value: d.person.fullName)]
    personFields = [.fullName]
    if fields.contains(.dateOfBirth), let born = d.person.dateOfBirth {
      personal.append(Item(label: s("cv.born"), value: s.date(born)))
      personFields.append(.dateOfBirth)
    }
    if fields.contains(.nationality), let nationality = d.person.nationality, !nationality.isBlank {
      personal.append(Item(label: s("cv.nationality"), value: nationality))
      personFields.append(.nationality)
    }
    if fields.contains(.phone), let phone = d.person.phone, !phone.isBlank {
      personal.append(Item(label: s("cv.phone"), value: phone))
      personFields.append(.phone)
    }

    func period(_ from: Int?, _ to: Int?) -> String {
      switch (from, to) {
      case (let a?, let b?): a == b ? String(a) : s("cv.years", String(a), String(b))
      case (let a?, nil): s("cv.since", String(a))
      case (nil, let b?): String(b)
      default: ""
      }
    }
    // Most recent first, as Europass asks; entries without years last.
    func recent<T>(_ items: [T], _ year: (T) -> Int?) -> [T] {
      items.enumerated().sorted { (year($0.element) ?? -1, -$0.offset) > (year($1.element) ?? -1, -$1.offset) }.map(\.element)
    }
    work = recent(f.work) { $0.toYear ?? $0.fromYear.map { _ in 9999 } }.map { w in
      var details: [String] = []
      if let employment = w.employment { details.append(s("option.employment.\(employment.rawValue)")) }
      if !w.sector.isBlank { details.append(content.skills.sectorName(w.sector, lang)) }
      var entry = Entry(
        title: content.skills.occupationName(w.occupation, lang), period: period(w.fromYear, w.toYear),
        place: w.country, details: [details.joined(separator: " · ")].filter { !$0.isEmpty })
      if !w.tasks.isBlank { entry.details.append(s("cv.tasks", w.tasks)) }
      return entry
    }
    education = recent(f.education) { $0.toYear ?? $0.fromYear }.map { e in
      var title = e.isced.map { s("option.isced.\($0)") } ?? ""
      if !e.field.isBlank { title += title.isEmpty ? e.field : " — \(e.field)" }
      var details: [String] = []
      switch e.diploma {
      case true?:
        var line = s("cv.diploma")
        if let recognition = e.recognition, recognition != .notStarted {
          line += " · " + s("cv.recognition", s("option.recognition.\(recognition.rawValue)"))
        }
        details.append(line)
      case false?: details.append(s("cv.noDiploma"))
      case nil: break
      }
      return Entry(
        title: title, period: period(e.fromYear, e.toYear),
        place: [e.school, e.country].filter { !$0.isBlank }.joined(separator: ", "), details: details)
    }
    motherTongues = f.motherTongues.map { Languages.name($0, lang) }
    languages = f.languages.map { l in
      LanguageRow(language: Languages.name(l.language, lang), levels: l.levels.map { $0.map { $0 == .notYet ? "–" : $0.rawValue } ?? "?" })
    }
    digital = []
    if let level = f.digitalLevel { digital.append(s("option.digital.\(level.rawValue)")) }
    if let notes = f.digitalNotes, !notes.isBlank { digital.append(notes) }
    if let licences = f.drivingLicences {
      driving = licences.isEmpty ? s("cv.drivingNone") : licences.map(\.rawValue).joined(separator: ", ")
    } else {
      driving = ""
    }
    other = []
    for q in content.interview.softSkills {
      if let answer = f.softSkills[q.id], !answer.isBlank { other.append(Item(label: q.title(lang), value: answer)) }
    }
    if let courses = f.softCriteria["courses"], !courses.isBlank,
      let q = content.interview.softCriteria.first(where: { $0.id == "courses" })
    {
      other.append(Item(label: q.title(lang), value: courses))
    }
    // The latest complete self-assessment per profile.
    var seen: Set<String> = []
    for a in d.screening.assessments.reversed() {
      guard let profile = content.skills.profile(a.profile), !seen.contains(a.profile) else { continue }
      let report = SkillsReport(assessment: a, profile: profile)
      guard report.isComplete else { continue }
      seen.insert(a.profile)
      other.append(Item(
        label: s("cv.selfAssessment"),
        value: s("cv.selfAssessmentValue", profile.title(lang), String(report.percent), s.date(a.on))))
    }
    footer = s("cv.footer", s.date(today))
    labels = [:]
    for key in [
      "title", "personal", "work", "education", "languages", "otherLanguages",
      "language", "understanding", "speaking", "writing", "listening", "reading", "interaction",
      "production", "cefrNote", "digital", "driving", "other", "none",
    ] {
      labels[key] = s("cv.\(key)")
    }
    // "Mother tongue" or "Mother tongues", as many as there are.
    labels["motherTongues"] = s(motherTongues.count == 1 ? "cv.motherTongue" : "cv.motherTongues")
    labels["lang"] = lang
  }

  public func label(_ key: String) -> String { labels[key] ?? key }
}
