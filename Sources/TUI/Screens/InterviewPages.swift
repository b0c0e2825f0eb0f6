import TextCells
import CaseStore
import Casework

/// Where a screening interview is: phase 1 (one page per section) or phase 2 (two pages of one
/// ambition screening).
public struct InterviewPage: Sendable, Equatable {
  public var phase: Int
  public var index: Int
  /// The phase-2 screening edited.
  public var ambitionID: String?

  public static let phase2Pages = ["choices", "words"]

  public init(phase: Int, index: Int, ambitionID: String? = nil) {
    self.phase = phase
    self.index = index
    self.ambitionID = ambitionID
  }

  public var count: Int { phase == 1 ? Phase1Section.allCases.count : Self.phase2Pages.count }
  public var key: String { phase == 1 ? Phase1Section.allCases[index].rawValue : Self.phase2Pages[index] }
  public var section: Phase1Section? { phase == 1 ? Phase1Section.allCases[index] : nil }

  func moved(to index: Int) -> InterviewPage {
    var page = self
    page.index = index
    return page
  }
}

/// The fields of each interview page, built over the case document so that the form machinery,
/// validation and conflict handling of the intake form work unchanged.
enum InterviewPages {
  typealias Spec = CaseForm.Spec

  static func entryList(of page: InterviewPage) -> String? {
    switch page.section {
    case .education: "education"
    case .work: "work"
    case .languages: "languages"
    default: nil
    }
  }

  static func addEntry(_ list: String, to d: inout CaseDocument) {
    switch list {
    case "education": d.screening.factual.education.append(EducationEntry())
    case "work": d.screening.factual.work.append(WorkEntry())
    case "languages": d.screening.factual.languages.append(LanguageSkill())
    default: break
    }
  }

  static func removeEntry(_ list: String, at i: Int, from d: inout CaseDocument) {
    switch list {
    case "education" where d.screening.factual.education.indices.contains(i): d.screening.factual.education.remove(at: i)
    case "work" where d.screening.factual.work.indices.contains(i): d.screening.factual.work.remove(at: i)
    case "languages" where d.screening.factual.languages.indices.contains(i): d.screening.factual.languages.remove(at: i)
    default: break
    }
  }

  /// Marks where a phase-1 interview was paused, and when it was worked on.
  static func stamp(_ page: InterviewPage, on d: inout CaseDocument, today: LocalDate) {
    guard page.phase == 1 else { return }
    d.screening.factual.resumeSection = page.key
    if d.screening.factual.startedOn == nil { d.screening.factual.startedOn = today }
    d.screening.factual.updatedOn = today
  }

  /// A field that reads as empty and ignores writes when its entry is gone (after a conflict
  /// removed it), instead of indexing past the end.
  static func guarded(_ field: CaseField, _ exists: @escaping @Sendable (CaseDocument) -> Bool) -> CaseField {
    CaseField(
      path: field.path, kind: field.kind, required: field.required,
      get: { exists($0) ? field.value(in: $0) : "" },
      set: { doc, text throws(FieldError) in
        if exists(doc) { try field.assign(text, to: &doc) }
      })
  }

  static func specs(_ page: InterviewPage, document d: CaseDocument, content: CaseworkContent) -> [Spec] {
    if page.phase == 2 { return phase2(page, d, content) }
    let f = d.screening.factual
    switch page.section! {
    case .education:
      var specs = [
        Spec(.flag("screening.factual.noEducation", \.screening.factual.noEducation), section: "education",
          heading: .key("section.education"), label: .key("field.screening.noEducation"),
          hint: .key("hint.screening.noEducation"), options: .option("yesNo"))
      ]
      for i in f.education.indices {
        let p = "screening.factual.education[\(i)]"
        let exists: @Sendable (CaseDocument) -> Bool = { $0.screening.factual.education.count > i }
        let section = "education#\(i + 1)"
        let heading = FormLabel.key("section.educationEntry", String(i + 1))
        func spec(_ field: CaseField, _ name: String, _ options: OptionLabels = .intake) -> Spec {
          Spec(guarded(field, exists), section: section, heading: heading, label: .key("field.education.\(name)"),
            hint: .key("hint.education.\(name)"), options: options)
        }
        specs += [
          spec(.number("\(p).isced", 0...8, \.screening.factual.education[i].isced), "isced", .option("isced")),
          spec(.text("\(p).field", \.screening.factual.education[i].field), "field"),
          spec(.text("\(p).school", \.screening.factual.education[i].school), "school"),
          spec(.text("\(p).country", \.screening.factual.education[i].country), "country"),
          spec(.year("\(p).fromYear", \.screening.factual.education[i].fromYear), "fromYear"),
          spec(.year("\(p).toYear", \.screening.factual.education[i].toYear), "toYear"),
          spec(.optionalFlag("\(p).diploma", \.screening.factual.education[i].diploma), "diploma", .option("yesNo")),
          spec(.optionalChoice("\(p).document", DocumentOnHand.self, \.screening.factual.education[i].document), "document", .option("document")),
          spec(.optionalChoice("\(p).recognition", RecognitionStatus.self, \.screening.factual.education[i].recognition), "recognition", .option("recognition")),
        ]
      }
      return specs
    case .work:
      var specs = [
        Spec(.flag("screening.factual.noWork", \.screening.factual.noWork), section: "work",
          heading: .key("section.work"), label: .key("field.screening.noWork"),
          hint: .key("hint.screening.noWork"), options: .option("yesNo"))
      ]
      let sectors = [""] + content.skills.sectors.map(\.id)
      for i in f.work.indices {
        let p = "screening.factual.work[\(i)]"
        let exists: @Sendable (CaseDocument) -> Bool = { $0.screening.factual.work.count > i }
        let section = "work#\(i + 1)"
        let heading = FormLabel.key("section.workEntry", String(i + 1))
        func spec(_ field: CaseField, _ name: String, _ options: OptionLabels = .intake) -> Spec {
          Spec(guarded(field, exists), section: section, heading: heading, label: .key("field.work.\(name)"),
            hint: .key("hint.work.\(name)"), options: options)
        }
        let sector = CaseField(
          path: "\(p).sector", kind: .choice(sectors), required: false,
          get: { $0.screening.factual.work[i].sector },
          set: { doc, text throws(FieldError) in
            guard sectors.contains(text) else {
              throw FieldError(path: "\(p).sector", problem: .notAllowed(text, options: Array(sectors.dropFirst())))
            }
            doc.screening.factual.work[i].sector = text
          })
        specs += [
          spec(.text("\(p).occupation", \.screening.factual.work[i].occupation), "occupation", .occupation),
          spec(sector, "sector", .sector),
          spec(.text("\(p).country", \.screening.factual.work[i].country), "country"),
          spec(.year("\(p).fromYear", \.screening.factual.work[i].fromYear), "fromYear"),
          spec(.year("\(p).toYear", \.screening.factual.work[i].toYear), "toYear"),
          spec(.text("\(p).tasks", \.screening.factual.work[i].tasks), "tasks"),
          spec(.optionalChoice("\(p).employment", Employment.self, \.screening.factual.work[i].employment), "employment", .option("employment")),
        ]
      }
      return specs
    case .languages:
      var specs = [
        Spec(.languages("screening.factual.motherTongues", \.screening.factual.motherTongues), section: "languages",
          heading: .key("section.languages"), label: .key("field.screening.motherTongues"),
          hint: .key("hint.screening.motherTongues"), options: .language)
      ]
      for i in f.languages.indices {
        let p = "screening.factual.languages[\(i)]"
        let exists: @Sendable (CaseDocument) -> Bool = { $0.screening.factual.languages.count > i }
        let section = "languages#\(i + 1)"
        let heading = FormLabel.key("section.languageEntry", String(i + 1))
        func level(_ name: String, _ key: WritableKeyPath<CaseDocument, CEFRLevel?> & Sendable) -> Spec {
          Spec(guarded(.optionalChoice("\(p).\(name)", CEFRLevel.self, key), exists), section: section, heading: heading,
            label: .key("field.languages.\(name)"), hint: .key("hint.languages.level"), options: .option("cefr"))
        }
        specs += [
          Spec(guarded(.language("\(p).language", \.screening.factual.languages[i].language), exists), section: section,
            heading: heading, label: .key("field.languages.language"), hint: .key("hint.languages.language"), options: .language),
          level("listening", \.screening.factual.languages[i].listening),
          level("reading", \.screening.factual.languages[i].reading),
          level("spokenInteraction", \.screening.factual.languages[i].spokenInteraction),
          level("spokenProduction", \.screening.factual.languages[i].spokenProduction),
          level("writing", \.screening.factual.languages[i].writing),
        ]
      }
      return specs
    case .digital:
      return [
        Spec(.optionalChoice("screening.factual.digitalLevel", DigitalLevel.self, \.screening.factual.digitalLevel),
          section: "digital", heading: .key("section.digital"), label: .key("field.screening.digitalLevel"),
          hint: .key("hint.screening.digitalLevel"), options: .option("digital")),
        Spec(.optionalText("screening.factual.digitalNotes", \.screening.factual.digitalNotes), section: "digital",
          heading: .key("section.digital"), label: .key("field.screening.digitalNotes"),
          hint: .key("hint.screening.digitalNotes")),
        Spec(.optionalChoices("screening.factual.drivingLicences", DrivingLicence.self, \.screening.factual.drivingLicences),
          section: "driving", heading: .key("section.driving"), label: .key("field.screening.drivingLicences"),
          hint: .key("hint.screening.drivingLicences"), options: .option("driving")),
      ]
    case .criteria:
      let hard = content.interview.hardCriteria.map { q in
        Spec(.optionalFlag("screening.factual.hardCriteria.\(q.id)", \.screening.factual.hardCriteria[q.id]),
          section: "hardCriteria", heading: .key("section.hardCriteria"), label: .text(q.title), hint: .text(q.text),
          options: .option("yesNo"))
      }
      let soft = content.interview.softCriteria.map { q in
        Spec(.optionalText("screening.factual.softCriteria.\(q.id)", \.screening.factual.softCriteria[q.id]),
          section: "softCriteria", heading: .key("section.softCriteria"), label: .text(q.title), hint: .text(q.text))
      }
      return hard + soft
    case .softSkills:
      return content.interview.softSkills.map { q in
        Spec(.optionalText("screening.factual.softSkills.\(q.id)", \.screening.factual.softSkills[q.id]),
          section: "softSkills", heading: .key("section.softSkills"), label: .text(q.title), hint: .text(q.text))
      }
    }
  }

  static func phase2(_ page: InterviewPage, _ d: CaseDocument, _ content: CaseworkContent) -> [Spec] {
    guard let id = page.ambitionID, let i = d.screening.ambitions.firstIndex(where: { $0.id == id }) else { return [] }
    let p = "screening.ambitions[\(i)]"
    let exists: @Sendable (CaseDocument) -> Bool = { $0.screening.ambitions.count > i && $0.screening.ambitions[i].id == id }
    func spec(_ field: CaseField, _ name: String, _ section: String, _ options: OptionLabels = .intake) -> Spec {
      Spec(guarded(field, exists), section: section, heading: .key("section.ambitions.\(section)"),
        label: .key("field.ambitions.\(name)"), hint: .key("hint.ambitions.\(name)"), options: options)
    }
    let sectorIDs = content.skills.sectors.map(\.id)
    let sectors = CaseField(
      path: "\(p).sectors", kind: .list(sectorIDs), required: false,
      get: { $0.screening.ambitions[i].sectors.joined(separator: ", ") },
      set: { doc, text throws(FieldError) in
        let values = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let bad = values.first(where: { !sectorIDs.contains($0) }) {
          throw FieldError(path: "\(p).sectors", problem: .notAllowed(bad, options: sectorIDs))
        }
        doc.screening.ambitions[i].sectors = values
      })
    if page.index == 0 {
      return [
        spec(.textList("\(p).occupations", \.screening.ambitions[i].occupations), "occupations", "choices", .occupation),
        spec(sectors, "sectors", "choices", .sector),
        spec(.textList("\(p).regions", \.screening.ambitions[i].regions), "regions", "choices"),
        spec(.optionalChoice("\(p).retraining", Willingness.self, \.screening.ambitions[i].retraining), "retraining", "choices", .option("retraining")),
      ]
    }
    return [
      spec(.text("\(p).ambitions", \.screening.ambitions[i].ambitions), "ambitions", "words"),
      spec(.optionalChoices("\(p).obstacles", Obstacle.self, \.screening.ambitions[i].obstacles), "obstacles", "words", .option("obstacle")),
      spec(.text("\(p).obstacleNotes", \.screening.ambitions[i].obstacleNotes), "obstacleNotes", "words"),
      spec(.flag("\(p).concluded", \.screening.ambitions[i].concluded), "concluded", "words", .option("yesNo")),
    ]
  }

  /// The fields of consent `index`.
  static func consent(_ index: Int) -> [Spec] {
    let p = "consents[\(index)]"
    let exists: @Sendable (CaseDocument) -> Bool = { $0.consents.count > index }
    func spec(_ field: CaseField, _ name: String, _ options: OptionLabels = .intake) -> Spec {
      Spec(guarded(field, exists), section: "consent", heading: .key("section.consent"),
        label: .key("field.consent.\(name)"), hint: .key("hint.consent.\(name)"), options: options)
    }
    let given = CaseField(
      path: "\(p).givenOn", kind: .date, required: true, get: { $0.consents[index].givenOn.description },
      set: { doc, text throws(FieldError) in
        guard let date = try CaseField.parseDate("\(p).givenOn", text) else {
          throw FieldError(path: "\(p).givenOn", problem: .required)
        }
        doc.consents[index].givenOn = date
      })
    return [
      spec(.text("\(p).recipient", required: true, \.consents[index].recipient), "recipient"),
      spec(.text("\(p).purpose", required: true, \.consents[index].purpose), "purpose"),
      spec(given, "givenOn"),
      spec(.choice("\(p).how", ConsentForm.self, \.consents[index].how), "how", .option("consentForm")),
      spec(.optionalText("\(p).witness", \.consents[index].witness), "witness"),
    ]
  }
}

extension AppState {
  /// The fields of a form for `purpose`, over `document`.
  func formSpecs(_ purpose: FormPurpose, _ document: CaseDocument) -> [CaseForm.Spec] {
    switch purpose {
    case .intake: CaseForm.intakeSpecs()
    case .interview(let page): interviewSpecs(page, document)
    case .consent(let index): InterviewPages.consent(index)
    }
  }

  /// Title and progress of an interview page: each section with ✓ when complete.
  func renderInterviewHeader(_ page: InterviewPage, _ f: CaseForm, into buffer: inout ScreenBuffer) {
    let d = f.document
    func title(_ name: String) -> String {
      page.phase == 1
        ? strings("interview.phase1Title", name, d.id.rawValue)
        : strings("interview.phase2Title", name, d.id.rawValue,
          strings.date(d.screening.ambitions.first { $0.id == page.ambitionID }?.on ?? today))
    }
    // A long name gives way (with …) so the id and the date stay whole.
    let spare = columns - 2 - TextWidth.width(of: title(""))
    buffer.put(title(TextWidth.truncate(d.person.fullName, to: max(8, spare))), row: 1, column: 1, width: columns - 2, style: .title)
    let built = f.build(today: today).document
    var chips: [(String, Bool)] = []
    for i in 0..<page.count {
      let p = page.moved(to: i)
      var done = false
      if let section = p.section {
        done = content.screening.missing(section, in: built.screening.factual).isEmpty
      } else if let a = built.screening.ambitions.first(where: { $0.id == page.ambitionID }) {
        let missing = Set(content.screening.missingPhase2(a).map(\.field))
        let onPage = Set(InterviewPages.phase2(p, built, content).map { $0.label.key.replacingOccurrences(of: "field.ambitions.", with: "") })
        done = missing.isDisjoint(with: onPage)
      }
      chips.append(("\(done ? "✓" : "○") \(strings("interview.page.\(p.key)"))", done))
    }
    // Full labels when they fit; otherwise the current one in full and the others shortened.
    let total = chips.reduce(0) { $0 + TextWidth.width(of: $1.0) + 2 }
    var x = 1
    for (i, chip) in chips.enumerated() {
      var label = chip.0
      if total > columns - 2, i != page.index { label = TextWidth.truncate(label, to: 8) }
      let w = TextWidth.width(of: label) + 2
      if x + w > columns - 1 { break }
      buffer.put(" \(label) ", row: 2, column: x, style: i == page.index ? .tabActive : (chip.1 ? .success : .hint))
      x += w
    }
    if page.phase == 2, page.index == 0 {
      buffer.put(strings("interview.orientationReminder"), row: 3, column: 1, width: columns - 2, style: .hint)
    }
  }

}

extension Strings {
  /// A form label's text in this language.
  func label(_ label: FormLabel) -> String {
    if let text = label.text { return text(language) }
    return format(label.key, label.arguments)
  }
}
