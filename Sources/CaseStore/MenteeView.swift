import Foundation

/// What a mentor may see of one mentee: name, contact, languages, and the pair's programme and
/// check-ins — nothing of the procedure, health, screening, other pairs or case workers' notes.
///
/// This is the data boundary for mentors: the mentor's screens and commands get only these,
/// built here from the case file, so a restricted field cannot reach them by a rendering slip.
public struct MenteeView: Codable, Equatable, Sendable {
  public var caseID: CaseID
  public var fullName: String
  public var preferredName: String?
  public var phone: String?
  /// Languages the person speaks (names or codes, no levels).
  public var languages: [String]
  public var pair: MentorPair
  /// The actions of the person's action plan assigned to the mentor (nothing else of the plan).
  public var actions: [PlanAction]

  init(document d: CaseDocument, pair: MentorPair) {
    caseID = d.id
    fullName = d.person.fullName
    preferredName = d.person.preferredName
    phone = d.person.phone
    var languages = d.person.languages
    for tongue in d.screening.factual.motherTongues + d.screening.factual.languages.map(\.language)
    where !tongue.isEmpty && !languages.contains(where: { $0.lowercased() == tongue.lowercased() }) {
      languages.append(tongue)
    }
    self.languages = languages
    var pair = pair
    // That a concern was handled is the mentor's business; by whom and how is the case worker's.
    for i in pair.checkIns.indices where pair.checkIns[i].concernHandled != nil {
      pair.checkIns[i].concernHandled!.note = ""
      pair.checkIns[i].concernHandled!.by = ""
    }
    self.pair = pair
    actions = d.actionPlan?.actions.map(\.action).filter { $0.partner == .mentor } ?? []
  }

  public var displayName: String {
    if let preferredName, !preferredName.isEmpty { return preferredName }
    return fullName
  }
}

extension Store {
  /// Ids of the mentor records registered for an OS login (usually one; none for staff).
  public func mentorIDs(login: String) throws(StoreError) -> Set<String> {
    Set(try records(Mentor.self).records.filter { $0.record.login == login }.map(\.id))
  }

  /// The open pairs of these mentors, as their mentor may see them, by name.
  public func mentees(of mentorIDs: Set<String>) throws(StoreError) -> [MenteeView] {
    guard !mentorIDs.isEmpty else { return [] }
    var views: [MenteeView] = []
    for summary in try list().cases where mentorIDs.contains(summary.mentor) {
      let d = try load(summary.id).document
      if let pair = d.openPair, mentorIDs.contains(pair.mentor) {
        views.append(MenteeView(document: d, pair: pair))
      }
    }
    return views.sorted { $0.displayName.localizedStandardCompare($1.displayName) == .orderedAscending }
  }

  /// Adds a check-in to an open pair of one of these mentors and returns the mentee as the mentor
  /// sees them. A case that is not such a mentee is reported as not found, saying nothing more.
  /// A save that meets someone else's save is retried on the newer version: a check-in adds to
  /// the case and never overwrites.
  public func logCheckIn(
    _ draft: CheckIn, caseID: CaseID, mentorIDs: Set<String>, by user: String, now: Date = Timestamp.now()
  ) throws(StoreError) -> MenteeView {
    try require(.logCheckIns, "log check-ins")
    var attempt = 0
    while true {
      attempt += 1
      let stored: StoredCase
      do {
        stored = try loadWhole(caseID)
      } catch .notFound {
        throw .recordNotFound(noun: "mentee", id: caseID.rawValue)
      }
      var d = stored.document
      guard !d.isClosed, let index = d.openPairIndex, mentorIDs.contains(d.mentoring[index].mentor) else {
        throw .recordNotFound(noun: "mentee", id: caseID.rawValue)
      }
      var checkIn = draft
      checkIn.id = d.mentoring[index].nextCheckInID
      checkIn.loggedBy = user
      checkIn.loggedAt = now
      let pair = d.mentoring[index]
      let issues = checkIn.issues(goals: pair.goals, start: pair.start, today: LocalDate.today(now))
      if !issues.isEmpty { throw .invalid(issues) }
      d.mentoring[index].checkIns.append(checkIn)
      do {
        let saved = try write(d, basedOn: stored, by: user, now: now)
        return MenteeView(document: saved.document, pair: saved.document.mentoring[index])
      } catch .conflict where attempt < 3 {
        continue
      }
    }
  }
}
