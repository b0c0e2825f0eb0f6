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
    if let meeting = e.meetingKey, let role = e.role {
      let title = cadence.roleTitle(role, strings.language.rawValue)
      guard let offset = FollowUpCadence.Offset(String(meeting.drop { $0 != "@" }.dropFirst())), role != "review" else {
        return title
      }
      return title + " · " + strings("offset.\(offset.unit.rawValue)", String(offset.count))
    }
    let words = strings.due(e.key)
    return words.prefix(1).uppercased() + words.dropFirst()
  }

  /// A short weekday name (ma, di / Mon, Tue).
  public func weekday(_ d: LocalDate) -> String { strings("weekday.\(d.weekday)") }
}
