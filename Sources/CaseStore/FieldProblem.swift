/// What is wrong with one field's value, independent of language.
///
/// `message` is the English sentence the command line prints; front ends in other languages
/// translate from `key` and `arguments`.
public enum FieldProblem: Equatable, Sendable {
  case required
  case notADate(String)
  case dateInFuture(LocalDate)
  case dateBefore1900(LocalDate)
  case notAPhone(String)
  case notAllowed(String, options: [String])
  case permitBeforeApplication(permit: LocalDate, application: LocalDate)
  case closedNeedsReason
  case caseIsOpen
  case emptyNote
  case unknownField(valid: [String])
  /// A whole number outside the range it must be in (a year, an ISCED level).
  case notInRange(String, min: Int, max: Int)
  /// An end (year or date) before the start.
  case endBeforeStart(start: String, end: String)
  case needsWitness
  /// Not an OS login name.
  case notALogin(String)
  /// Internship dates without the organisation.
  case needsOrganisation
  /// An internship longer than the guideline's maximum without a reason.
  case internshipTooLong(months: Int)
  /// An internship marked started before every party signed.
  case needsSignatures(missing: [String])
  case signedAfterStart(signed: LocalDate, started: LocalDate)
  /// A second follow-up logged for the same scheduled meeting.
  case alreadyLogged(String)
  /// A second check-in of a pair on one day (a meeting logged twice).
  case checkInThatDay(LocalDate)
  /// A check-in or a closing dated before its pair started.
  case beforePairStart(LocalDate)
  /// A reschedule, a departure or a dismissal without its reason.
  case needsReason
  /// Free text that is kept where personal data must not be (the journal) holds the person's name.
  case holdsName
  /// A control character (a line break, an escape, a direction override) in a one-line field.
  case controlCharacter
  /// A mentor who already has as many open pairs as they take (counted over the whole store).
  case mentorFull(String, max: Int)
  /// Free text shorter than its minimum (an erasure's reason).
  case tooShort(min: Int)
  /// A text longer than the field takes.
  case tooLong(max: Int)
  /// Text that is not written as a date at all ("31/12/2025", "tomorrow"); `notADate` is a date
  /// in the right format that does not exist ("2026-02-30").
  case dateFormat(String)
  /// A language neither named nor coded in the language list.
  case unknownLanguage(String)
  /// "none" chosen together with other answers.
  case noneWithOthers
  /// "No formal education" while schools are entered.
  case noEducationWithEntries
  /// A word that names no job profile where only a profile may go.
  case notAProfile(String)
  /// Several languages where one goes.
  case oneLanguageOnly
  /// Attendance of a module not yet given.
  case notDelivered(String)
  /// A mentoring pair planned below the programme without a reason.
  case belowProgramme(minutesPerWeek: Int, months: Int)
  /// A meeting moved to a day before the day it was moved on.
  case movedToPast(to: LocalDate, on: LocalDate)
  /// A meeting put on a weekend day or a public holiday; the working days around it.
  case notAWorkingDay(LocalDate, before: LocalDate, after: LocalDate)
  /// A job fair's result recorded before its day.
  case fairNotYet(LocalDate)
  /// Interviews or offers for someone recorded as not having come.
  case didNotCome

  /// A stable name for the kind of problem, used as a translation key.
  public var key: String {
    switch self {
    case .required: "required"
    case .notADate: "notADate"
    case .dateInFuture: "dateInFuture"
    case .dateBefore1900: "dateBefore1900"
    case .notAPhone: "notAPhone"
    case .notAllowed: "notAllowed"
    case .permitBeforeApplication: "permitBeforeApplication"
    case .closedNeedsReason: "closedNeedsReason"
    case .caseIsOpen: "caseIsOpen"
    case .emptyNote: "emptyNote"
    case .unknownField: "unknownField"
    case .notInRange: "notInRange"
    case .endBeforeStart: "endBeforeStart"
    case .needsWitness: "needsWitness"
    case .notALogin: "notALogin"
    case .needsOrganisation: "needsOrganisation"
    case .internshipTooLong: "internshipTooLong"
    case .needsSignatures: "needsSignatures"
    case .signedAfterStart: "signedAfterStart"
    case .alreadyLogged: "alreadyLogged"
    case .checkInThatDay: "checkInThatDay"
    case .beforePairStart: "beforePairStart"
    case .needsReason: "needsReason"
    case .holdsName: "holdsName"
    case .controlCharacter: "controlCharacter"
    case .mentorFull: "mentorFull"
    case .tooShort: "tooShort"
    case .tooLong: "tooLong"
    case .dateFormat: "dateFormat"
    case .unknownLanguage: "unknownLanguage"
    case .noneWithOthers: "noneWithOthers"
    case .noEducationWithEntries: "noEducationWithEntries"
    case .notAProfile: "notAProfile"
    case .oneLanguageOnly: "oneLanguageOnly"
    case .notDelivered: "notDelivered"
    case .belowProgramme: "belowProgramme"
    case .movedToPast: "movedToPast"
    case .notAWorkingDay: "notAWorkingDay"
    case .fairNotYet: "fairNotYet"
    case .didNotCome: "didNotCome"
    }
  }

  /// The values the message mentions, in order.
  public var arguments: [String] {
    switch self {
    case .required, .closedNeedsReason, .caseIsOpen, .emptyNote, .needsWitness, .needsOrganisation, .needsReason, .holdsName,
      .controlCharacter, .noneWithOthers, .noEducationWithEntries, .oneLanguageOnly: []
    case .internshipTooLong(let months): [String(months)]
    case .needsSignatures(let missing): [missing.joined(separator: ", ")]
    case .signedAfterStart(let signed, let started): [signed.description, started.description]
    case .alreadyLogged(let meeting), .notDelivered(let meeting): [meeting]
    case .checkInThatDay(let day), .beforePairStart(let day): [day.description]
    case .mentorFull(let mentor, let max): [mentor, String(max)]
    case .tooShort(let min): [String(min)]
    case .tooLong(let max): [String(max)]
    case .belowProgramme(let minutes, let months): [String(minutes), String(months)]
    case .movedToPast(let to, let on): [to.description, on.description]
    case .notAWorkingDay(let day, let before, let after): [day.description, before.description, after.description]
    case .fairNotYet(let day): [day.description]
    case .didNotCome: []
    case .notADate(let text), .notAPhone(let text), .notALogin(let text), .dateFormat(let text), .unknownLanguage(let text),
      .notAProfile(let text):
      [Self.shown(text)]
    case .dateInFuture(let date), .dateBefore1900(let date): [date.description]
    case .notAllowed(let text, let options): [Self.shown(text), options.joined(separator: ", ")]
    case .permitBeforeApplication(let permit, let application):
      [permit.description, application.description]
    case .unknownField(let valid): [valid.joined(separator: ", ")]
    case .notInRange(let text, let min, let max): [Self.shown(text), String(min), String(max)]
    case .endBeforeStart(let start, let end): [start, end]
    }
  }

  /// The same problem without the value that caused it, for messages about stored data (which
  /// must not repeat personal data): the value reads as "…".
  public var valueless: FieldProblem {
    switch self {
    case .notADate: .notADate("…")
    case .dateFormat: .dateFormat("…")
    case .unknownLanguage: .unknownLanguage("…")
    case .notAProfile: .notAProfile("…")
    case .notAPhone: .notAPhone("…")
    case .notALogin: .notALogin("…")
    case .notAllowed(_, let options): .notAllowed("…", options: options)
    case .notInRange(_, let min, let max): .notInRange("…", min: min, max: max)
    default: self
    }
  }

  /// A typed value as a message repeats it: on one line (line breaks, other control and
  /// direction-override characters shown as ·) and at most 40 characters.
  public static func shown(_ text: String) -> String {
    var out = ""
    for c in text {
      if out.count == 40 {
        out += "…"
        break
      }
      let hidden = c.unicodeScalars.contains {
        $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
          || $0.properties.generalCategory == .lineSeparator || $0.properties.generalCategory == .paragraphSeparator
      }
      out.append(hidden ? "·" : c)
    }
    return out
  }

  /// One English sentence naming the problem and what would be valid.
  public var message: String {
    switch self {
    case .required: "this field is required."
    case .notADate(let text): "'\(Self.shown(text))' does not exist; check the day and the month (YYYY-MM-DD)."
    case .dateFormat(let text): "'\(Self.shown(text))' is not written as a date; write YYYY-MM-DD, e.g. 2026-03-01."
    case .unknownLanguage(let text):
      "'\(Self.shown(text))' is not a known language; write its name (Arabic, Arabisch) or its ISO 639 code (ar)."
    case .noneWithOthers: "'none' cannot go with other answers; choose none alone, or the answers without it."
    case .noEducationWithEntries:
      "'no formal education' contradicts the schools entered; remove those entries or answer no."
    case .notAProfile(let text):
      "'\(Self.shown(text))' is not a job profile of the skills tool; choose one from the list (F4), or leave it empty."
    case .oneLanguageOnly: "give one language here."
    case .belowProgramme(let minutes, let months):
      "the pair plans \(minutes) minutes a week for \(months) months, less than the programme; say why (belowReason)."
    case .fairNotYet(let day): "the fair is on \(day); who came and what came of it are recorded from that day on."
    case .didNotCome: "someone who did not come had no interviews or offers there; set came to yes, or the numbers to 0."
    case .notAWorkingDay(let day, let before, let after):
      "\(day) is a weekend day or a public holiday; meetings are on working days, such as \(before) or \(after)."
    case .movedToPast(let to, let on): "\(to) has passed; a meeting is moved to \(on) or later (log one that was held instead)."
    case .notDelivered(let module): "module \(module) has not been given yet; mark it delivered first, then record who was there."
    // Neither repeats the date: `check` says these of stored dates of birth (the field's path
    // names which date; a form shows it beside the message).
    case .dateInFuture: "the date is in the future; use today or an earlier date."
    case .dateBefore1900: "the date is before 1900; check the year."
    case .notAPhone(let text):
      "'\(Self.shown(text))' is not a phone number; use digits, with an optional leading + and spaces, e.g. +32 470 12 34 56."
    case .notAllowed(let text, let options):
      "'\(Self.shown(text))' is not allowed; choose one of \(options.joined(separator: ", "))."
    case .permitBeforeApplication(let permit, let application):
      "the work-permit date \(permit) is before the application date \(application)."
    case .closedNeedsReason: "a closed case needs a reason."
    case .caseIsOpen: "the case is open; set closed.on to a date first."
    case .emptyNote: "a note cannot be empty."
    case .unknownField(let valid): "no such field; valid fields are \(valid.joined(separator: ", "))."
    case .notInRange(let text, let min, let max):
      "'\(Self.shown(text))' is not a whole number from \(min) to \(max)."
    case .endBeforeStart(let start, let end): "the end \(end) is before the start \(start)."
    case .needsWitness: "a verbal consent needs the name of its witness."
    case .needsOrganisation: "give the internship's organisation first."
    case .internshipTooLong(let months):
      "an internship of more than \(months) months needs a stated reason (longerReason)."
    case .needsSignatures(let missing):
      "an internship starts only when intern, company and mediating organisation have signed; missing: \(missing.joined(separator: ", "))."
    case .signedAfterStart(let signed, let started):
      "signed on \(signed), after the start \(started); the agreement is signed before the internship starts."
    case .alreadyLogged(let meeting): "the meeting \(meeting) is already logged; edit that follow-up instead."
    case .checkInThatDay(let day): "this pair already has a check-in on \(day); a pair logs one check-in a day."
    case .beforePairStart(let start): "it is before the pair's start on \(start)."
    case .needsReason: "say why (a reason is required)."
    case .tooShort(let min): "write at least \(min) characters (say why, without personal data)."
    case .tooLong(let max): "at most \(max) characters each."
    case .mentorFull(let mentor, let max):
      "mentor \(mentor) already has the most open pairs they take (\(max)), counted over every centre; choose another mentor or raise maxMentees."
    case .controlCharacter:
      "it holds a control character (a line break, a tab, an escape or a direction override); type it on one line as plain text."
    case .holdsName: "it holds the person's name, and it stays in the journal; write it without personal data, e.g. \"art. 17 request of 2026-11-20\"."
    case .notALogin(let text):
      "'\(Self.shown(text))' is not a login name; use 1–32 letters, digits, '.', '_' or '-', as in `id -un`."
    }
  }
}
