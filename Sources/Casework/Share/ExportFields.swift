import CaseStore

/// The person's fields an export may carry. Every part of one export (the summary's `person`,
/// the CV text inside a share) is built from the same set, so what a partner receives is what
/// the summary says it is.
public enum PersonField: String, CaseIterable, Sendable {
  case fullName, dateOfBirth, gender, nationality, phone

  /// What each export kind carries about the person.
  public static func carried(by kind: ExportKind) -> Set<PersonField> {
    switch kind {
    // A CV goes to the person themselves: their phone belongs on it.
    case .cv: [.fullName, .dateOfBirth, .nationality, .phone]
    // A partner gets who the person is, never how to reach them: contact goes through the
    // case worker.
    case .share: [.fullName, .dateOfBirth, .gender, .nationality]
    // The plan is the person's own: their name heads it.
    case .plan: [.fullName]
    }
  }
}
