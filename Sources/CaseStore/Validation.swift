/// Rules a case must satisfy before it is saved; the forms and `keten edit` use the same ones.
extension CaseDocument {
  /// Everything wrong with the document, each named by field path. Empty when it may be saved.
  public func validationIssues(today: LocalDate) -> [ValidationIssue] {
    var issues: [ValidationIssue] = []
    if person.fullName.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      issues.append(.init(path: "person.fullName", message: "a full name is required."))
    }
    if let born = person.dateOfBirth {
      if born > today {
        issues.append(
          .init(path: "person.dateOfBirth", message: "the date of birth \(born) is in the future."))
      } else if born.year < 1900 {
        issues.append(
          .init(path: "person.dateOfBirth", message: "the date of birth \(born) is before 1900."))
      }
    }
    if let phone = person.phone, let problem = FieldRules.phoneProblem(phone) {
      issues.append(.init(path: "person.phone", message: problem))
    }
    if let applied = procedure.applicationDate, applied > today {
      issues.append(
        .init(
          path: "procedure.applicationDate",
          message: "the application date \(applied) is in the future."))
    }
    if let applied = procedure.applicationDate, let permit = procedure.workPermitDate,
      permit < applied
    {
      issues.append(
        .init(
          path: "procedure.workPermitDate",
          message: "the work-permit date \(permit) is before the application date \(applied)."))
    }
    if let closure {
      if closure.reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        issues.append(.init(path: "closed.reason", message: "a closed case needs a reason."))
      }
      if closure.on > today {
        issues.append(.init(path: "closed.on", message: "the closing date \(closure.on) is in the future."))
      }
    }
    for (index, note) in notes.enumerated()
    where note.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      issues.append(.init(path: "notes[\(index)].text", message: "a note cannot be empty."))
    }
    return issues
  }
}

enum FieldRules {
  /// Nil when `phone` looks like a phone number, else what is wrong.
  static func phoneProblem(_ phone: String) -> String? {
    let allowed = Set("0123456789+-(). /")
    guard phone.allSatisfy(allowed.contains),
      phone.filter(\.isNumber).count >= 6
    else {
      return "'\(phone)' is not a phone number; use digits with an optional leading + and spaces."
    }
    return nil
  }
}
