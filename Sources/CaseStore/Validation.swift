/// Rules a case must satisfy before it is saved; the forms and `keten edit` use the same ones.
extension CaseDocument {
  /// Everything wrong with the document, each named by field path. Empty when it may be saved.
  public func validationIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if person.fullName.isBlank {
      issues.append(.init(path: "person.fullName", problem: .required))
    }
    if let born = person.dateOfBirth {
      if born > today {
        issues.append(
          .init(path: "person.dateOfBirth", problem: .dateInFuture(born)))
      } else if born.year < 1900 {
        issues.append(
          .init(path: "person.dateOfBirth", problem: .dateBefore1900(born)))
      }
    }
    if let phone = person.phone, !FieldRules.isPhone(phone) {
      issues.append(.init(path: "person.phone", problem: .notAPhone(phone)))
    }
    if let applied = procedure.applicationDate, applied > today {
      issues.append(
      .init(path: "procedure.applicationDate", problem: .dateInFuture(applied)))
    }
    if let applied = procedure.applicationDate, let permit = procedure.workPermitDate,
      permit < applied
    {
      issues.append(
      .init(
          path: "procedure.workPermitDate",
          problem: .permitBeforeApplication(permit: permit, application: applied)))
    }
    if let closure {
      if closure.reason.isBlank {
        issues.append(.init(path: "closed.reason", problem: .closedNeedsReason))
      }
      if closure.on > today {
        issues.append(.init(path: "closed.on", problem: .dateInFuture(closure.on)))
      }
    }
    // Out of order only: the dates come from the clocks of whoever saved, which may run ahead.
    for (index, change) in stageHistory.enumerated() {
      if index > 0, change.on < stageHistory[index - 1].on {
        issues.append(
          .init(
            path: "stageHistory[\(index)].on",
            problem: .endBeforeStart(start: stageHistory[index - 1].on.description, end: change.on.description)))
      }
    }
    for (index, note) in notes.enumerated()
    where note.text.isBlank {
      issues.append(.init(path: "notes[\(index)].text", problem: .emptyNote))
    }
    issues += screeningIssues(today: today)
    issues += mentoringIssues(today: today)
    issues += placementIssues(today: today)
    if let plan = actionPlan {
      issues += plan.issues(today: today).map { .init(path: "actionPlan.\($0.path)", problem: $0.problem) }
      // A link that names a hire, internship or mentor names one of this case.
      for (g, goal) in plan.goals.enumerated() {
        for (a, action) in goal.actions.enumerated() {
          guard let link = action.link, let ref = action.linkRef, !ref.isEmpty else { continue }
          let known: [String]
          switch link {
          case .hire: known = placement.hires.map(\.id)
          case .internship: known = placement.internships.map(\.id)
          case .mentoring: known = mentoring.map(\.mentor)
          case .screening, .training: continue
          }
          if !known.contains(ref) {
            issues.append(.init(
              path: "actionPlan.goals[\(g)].actions[\(a)].linkRef",
              problem: .notAllowed(ref, options: known.isEmpty ? ["none yet: leave it empty"] : known)))
          }
        }
      }
    }
    return issues
  }

  /// Ranges and orders within the screening, consents and disclosures.
  func screeningIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    func years(_ path: String, _ from: Int?, _ to: Int?) {
      for (name, year) in [("fromYear", from), ("toYear", to)] {
        if let year, !(1900...today.year).contains(year) {
          issues.append(.init(path: "\(path).\(name)", problem: .notInRange(String(year), min: 1900, max: today.year)))
        }
      }
      if let from, let to, to < from {
        issues.append(.init(path: "\(path).toYear", problem: .endBeforeStart(start: String(from), end: String(to))))
      }
    }
    let factual = screening.factual
    if factual.noEducation, !factual.education.isEmpty {
      issues.append(.init(path: "screening.factual.noEducation", problem: .noEducationWithEntries))
    }
    for (i, entry) in factual.education.enumerated() {
      if let level = entry.isced, !(0...8).contains(level) {
        issues.append(.init(path: "screening.factual.education[\(i)].isced", problem: .notInRange(String(level), min: 0, max: 8)))
      }
      years("screening.factual.education[\(i)]", entry.fromYear, entry.toYear)
    }
    for (i, entry) in factual.work.enumerated() {
      years("screening.factual.work[\(i)]", entry.fromYear, entry.toYear)
    }
    for (i, a) in screening.ambitions.enumerated() where a.on > today {
      issues.append(.init(path: "screening.ambitions[\(i)].on", problem: .dateInFuture(a.on)))
    }
    for (i, a) in screening.assessments.enumerated() where a.on > today {
      issues.append(.init(path: "screening.assessments[\(i)].on", problem: .dateInFuture(a.on)))
    }
    for (i, c) in consents.enumerated() {
      let path = "consents[\(i)]"
      if c.recipient.isBlank {
        issues.append(.init(path: "\(path).recipient", problem: .required))
      }
      if c.purpose.isBlank {
        issues.append(.init(path: "\(path).purpose", problem: .required))
      }
      if c.givenOn > today { issues.append(.init(path: "\(path).givenOn", problem: .dateInFuture(c.givenOn))) }
      if c.how == .verbalWithWitness, (c.witness ?? "").isBlank {
        issues.append(.init(path: "\(path).witness", problem: .needsWitness))
      }
      if let withdrawn = c.withdrawnOn {
        if withdrawn < c.givenOn {
          issues.append(.init(path: "\(path).withdrawnOn", problem: .endBeforeStart(start: c.givenOn.description, end: withdrawn.description)))
        } else if withdrawn > today {
          issues.append(.init(path: "\(path).withdrawnOn", problem: .dateInFuture(withdrawn)))
        }
      }
    }
    return issues
  }
}

enum FieldRules {
  /// Whether `phone` looks like a phone number: digits, an optional +, spaces and separators.
  static func isPhone(_ phone: String) -> Bool {
    // Digits in groups separated by single spaces, with an optional leading +: what the
    // message asks for, so "0470/12.34.56" is refused rather than stored in a form people
    // cannot dial from a list.
    let body = phone.hasPrefix("+") ? phone.dropFirst() : Substring(phone)
    let groups = body.split(separator: " ", omittingEmptySubsequences: false)
    return !groups.isEmpty && groups.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
      && phone.filter(\.isNumber).count >= 6
  }
}

extension String {
  /// Only white space, or empty: Unicode's White_Space and the zero-width space, the set
  /// Foundation's `.whitespacesAndNewlines` holds. Asked of every answer of every case on a
  /// cold open, so it does not go through NSString as `trimmingCharacters` does.
  public var isBlank: Bool {
    utf8.allSatisfy { $0 == 32 || (9...13).contains($0) }
      || unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0.value == 0x200B }
  }
}
