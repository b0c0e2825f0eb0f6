import CaseStore

/// Words for agenda entries, shared by the calendar screen and `keten agenda`.
public struct AgendaText: Sendable {
  public let strings: Strings
  public let cadence: FollowUpCadence

  public init(strings: Strings, cadence: FollowUpCadence) {
    self.strings = strings
    self.cadence = cadence
  }

  /// What the entry is: "Internal manager · week 2", "Six-month review", "VOORwerk: Leuven 4".
  public func title(_ e: AgendaEntry) -> String {
    if e.key == AgendaEntry.trainingDay { return strings("agenda.trainingDay", e.name) }
    if let meeting = e.meetingKey { return meetingTitle(meeting) }
    let words = strings.due(e.key)
    return words.prefix(1).uppercased() + words.dropFirst()
  }

  /// A post-hire meeting by its key: `manager@2w` → "Internal manager · week 2".
  public func meetingTitle(_ key: String) -> String {
    let role = String(key.prefix { $0 != "@" })
    let title = cadence.roleTitle(role, strings.language.rawValue)
    guard let offset = FollowUpCadence.Offset(String(key.drop { $0 != "@" }.dropFirst())), role != "review" else {
      return title
    }
    return title + " · " + strings("offset.\(offset.unit.rawValue)", String(offset.count))
  }

  /// A short weekday name (ma, di / Mon, Tue).
  public func weekday(_ d: LocalDate) -> String { strings("weekday.\(d.weekday)") }
}
