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
    let words = strings.due(e.ref.isEmpty ? e.key : e.key + "/" + e.ref)
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

  /// A calendar event's title: what it is, marked when held or overdue, with who it is about
  /// (an id, or a name) unless the title names it already (a training day names its group).
  public func eventTitle(_ e: AgendaEntry, who: String, today: LocalDate) -> String {
    var title = self.title(e)
    if e.held != nil {
      title = strings("ics.heldMark") + " " + title
    } else if e.isOverdue(today: today) {
      title = strings("ics.overdueMark") + " " + title
    }
    return e.caseID == nil ? title : "\(title) — \(who)"
  }

  /// A calendar event's description: held on, overdue since, moved from and why.
  public func eventDescription(_ e: AgendaEntry, today: LocalDate) -> String {
    var lines: [String] = []
    if let held = e.held { lines.append(strings("ics.held", strings.date(held))) }
    if e.held == nil, e.isOverdue(today: today) { lines.append(strings("ics.overdue", strings.date(e.date), String(e.date.days(until: today)))) }
    if let from = e.movedFrom { lines.append(strings("ics.moved", strings.date(from), e.movedBecause ?? "")) }
    return lines.joined(separator: "\n")
  }

  /// A short weekday name (ma, di / Mon, Tue).
  public func weekday(_ d: LocalDate) -> String { strings("weekday.\(d.weekday)") }
}
