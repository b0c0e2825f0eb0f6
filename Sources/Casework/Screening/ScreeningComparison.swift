import CaseStore

/// One answer that differs between two phase-2 screenings.
public struct AnswerChange: Equatable, Sendable {
  /// The field key: `occupations`, `sectors`, `regions`, `retraining`, `ambitions`,
  /// `obstacles`, `obstacleNotes`.
  public var field: String
  public var before: [String]
  public var after: [String]
  /// For lists: values only in `after`, and only in `before` (order changes show in both arrays).
  public var added: [String]
  public var removed: [String]
}

/// "What changed" between two ambition screenings, field by field, in form order.
public enum ScreeningComparison {
  public static func changes(from old: AmbitionScreening, to new: AmbitionScreening) -> [AnswerChange] {
    let fields: [(String, (AmbitionScreening) -> [String])] = [
      ("occupations", \.occupations),
      ("sectors", \.sectors),
      ("regions", \.regions),
      ("retraining", { $0.retraining.map { [$0.rawValue] } ?? [] }),
      ("ambitions", { $0.ambitions.isBlank ? [] : [$0.ambitions] }),
      ("obstacles", { $0.obstacles?.map(\.rawValue) ?? [] }),
      ("obstacleNotes", { $0.obstacleNotes.isBlank ? [] : [$0.obstacleNotes] }),
    ]
    return fields.compactMap { field, value in
      let (a, b) = (value(old), value(new))
      guard a != b else { return nil }
      return AnswerChange(
        field: field, before: a, after: b, added: b.filter { !a.contains($0) },
        removed: a.filter { !b.contains($0) })
    }
  }
}
