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

/// A mentor's mentees, and what kept any from being shown.
public struct Mentees: Sendable, Equatable {
  public var views: [MenteeView]
  /// Mentees (by the list) whose case file could not be read: the mentor is told which.
  public var unreadable: [CaseID]
  /// Damaged case files of the store the mentor is not told of by name; one may be a mentee's.
  public var damagedElsewhere: Int

  public init(views: [MenteeView] = [], unreadable: [CaseID] = [], damagedElsewhere: Int = 0) {
    self.views = views
    self.unreadable = unreadable
    self.damagedElsewhere = damagedElsewhere
  }
}

extension Store {
  /// Ids of the mentor records registered for an OS login (usually one; none for staff).
  public func mentorIDs(login: String) throws(StoreError) -> Set<String> {
    Set(try records(Mentor.self).records.filter { $0.record.login == login }.map(\.id))
  }

  /// The open pairs of these mentors, as their mentor may see them, by name; a mentee whose
  /// file cannot be read is named as such (never silently left out), and damaged files the
  /// mentor may not be told of are counted.
  public func mentees(of mentorIDs: Set<String>) throws(StoreError) -> Mentees {
    guard !mentorIDs.isEmpty else { return Mentees() }
    let listing = try list()
    var found = Mentees(damagedElsewhere: listing.unnamedDamaged)
    for summary in listing.cases where mentorIDs.contains(summary.mentor) {
      let d: CaseDocument
      do {
        d = try load(summary.id).document
      } catch .damaged, .newerSchema {
        found.unreadable.append(summary.id)
        continue
      } catch .notFound {
        continue  // gone since the list was read
      }
      if let pair = d.openPair, mentorIDs.contains(pair.mentor) {
        found.views.append(MenteeView(document: d, pair: pair))
      }
    }
    found.views.sort { $0.displayName.localizedStandardCompare($1.displayName) == .orderedAscending }
    return found
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
      var issues = checkIn.issues(goals: pair.goals, start: pair.start, today: LocalDate.today(now))
      // One a day: a second is a meeting logged twice (and the database refuses it too).
      if pair.checkIns.contains(where: { $0.on == checkIn.on }) {
        issues.append(ValidationIssue(path: "on", problem: .checkInThatDay(checkIn.on)))
      }
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
