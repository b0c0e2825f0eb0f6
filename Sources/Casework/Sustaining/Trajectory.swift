import CaseStore

/// The person's way through the chain as dated steps: work permit, screenings, training,
/// mentoring, internships, hires, follow-ups and the six-month outcome.
public struct Trajectory: Sendable {
  public struct Step: Sendable, Equatable {
    /// `permit`, `phase1`, `phase2`, `training`, `mentoring`, `internship`, `hire`, `followUps`, `outcome`.
    public var key: String
    public var date: LocalDate
    /// Values the UI words with the key (`trajectory.KEY`).
    public var values: [String]
    /// False for a step still to come (a permit date ahead, the review not yet held).
    public var done: Bool
  }

  public let steps: [Step]

  /// - Parameter training: the groups the case takes part in (the case file does not hold them).
  public init(_ d: CaseDocument, training: [TrainingGroup], cadence: FollowUpCadence, today: LocalDate) {
    var steps: [Step] = []
    if let permit = d.procedure.workPermitDate {
      steps.append(Step(key: "permit", date: permit, values: [], done: permit <= today))
    }
    if let started = d.screening.factual.startedOn ?? d.screening.factual.updatedOn {
      steps.append(Step(key: "phase1", date: started, values: [], done: true))
    }
    for (i, a) in d.screening.ambitions.enumerated() {
      steps.append(Step(key: "phase2", date: a.on, values: [String(i + 1)], done: true))
    }
    for g in training {
      guard let first = g.days.min(), let last = g.days.max() else { continue }
      steps.append(Step(key: "training", date: first, values: [g.name, last.description], done: last <= today))
    }
    for p in d.mentoring {
      let end = p.closure.map { $0.on.description } ?? ""
      steps.append(Step(key: "mentoring", date: p.start, values: [p.mentorName, end], done: p.closure != nil))
    }
    for i in d.placement.internships {
      steps.append(Step(key: "internship", date: i.started ?? i.from, values: [i.organisation, (i.ended ?? i.to).description], done: i.ended != nil))
    }
    for h in d.placement.hires {
      steps.append(Step(key: "hire", date: h.start, values: [h.job, h.employerName], done: h.start <= today))
      let schedule = FollowUpSchedule(hire: h, cadence: cadence, today: today)
      if let last = h.followUps.map(\.heldOn).max() {
        let held = schedule.meetings.filter { if case .held = $0.status { true } else { false } }.count
        steps.append(Step(key: "followUps", date: last, values: [String(held), String(schedule.meetings.count), String(schedule.overdue.count)], done: true))
      }
      if let o = h.outcome {
        steps.append(Step(key: "outcome", date: o.on, values: [o.status.rawValue], done: true))
      } else {
        steps.append(Step(key: "outcomeDue", date: schedule.reviewDate, values: [], done: false))
      }
    }
    self.steps = steps.sorted { $0.date < $1.date }
  }
}
