/// Rules a case must satisfy before it is saved; the forms and `keten edit` use the same ones.
extension CaseDocument {
  /// Everything wrong with the document, each named by field path. Empty when it may be saved.
  public func validationIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if person.fullName.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
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
      if closure.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        issues.append(.init(path: "closed.reason", problem: .closedNeedsReason))
      }
      if closure.on > today {
        issues.append(.init(path: "closed.on", problem: .dateInFuture(closure.on)))
      }
    }
    for (index, note) in notes.enumerated()
    where note.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      issues.append(.init(path: "notes[\(index)].text", problem: .emptyNote))
    }
    return issues
  }
}

enum FieldRules {
  /// Whether `phone` looks like a phone number: digits, an optional +, spaces and separators.
  static func isPhone(_ phone: String) -> Bool {
    let allowed = Set("0123456789+-(). /")
    return phone.allSatisfy(allowed.contains) && phone.filter(\.isNumber).count >= 6
  }
}
