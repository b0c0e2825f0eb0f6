/// The four links of the Employer Tailored Chain Cooperation chain, in order.
public enum ChainStage: String, StoredCode, CaseIterable, Sendable, Comparable {
  case screening, bridging, matching, sustaining

  public static func < (a: ChainStage, b: ChainStage) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// Why and when a case was closed.
public struct Closure: Codable, Equatable, Sendable {
  public var on: LocalDate
  public var reason: String

  public init(on: LocalDate, reason: String) {
    self.on = on
    self.reason = reason
  }
}
