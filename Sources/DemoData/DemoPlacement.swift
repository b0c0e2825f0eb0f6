import CaseStore
import Casework
import Foundation

/// Demo employers, openings, internships, hires with post-hire plans and follow-ups, and job
/// fairs, so the calendar, the Follow-up and Jobs tabs and the rankings have realistic data:
/// most meetings held on time, some missed (overdue), a few high drop-out risks, outcomes for
/// hires past six months.
public struct DemoPlacement {
  public let asOf: LocalDate
  public let seed: UInt64
  let content: CaseworkContent

  public init(seed: UInt64, asOf: LocalDate) throws {
    self.seed = seed
    self.asOf = asOf
    content = try CaseworkContent.load(storeRoot: nil)
  }

  static let kinds = ["Bakkerij", "Zorgcentrum", "Logistiek", "Bouwbedrijf", "Restaurant", "Schoonmaak", "Hotel", "Garage", "Tuinbouw", "Kantoor"]
  static let places = ["Leuven", "Mechelen", "Gent", "Antwerpen", "Hasselt", "Brugge", "Aalst", "Kortrijk"]
  static let sectorOfKind = [
    "Bakkerij": "food", "Zorgcentrum": "health-care", "Logistiek": "sales-logistics", "Bouwbedrijf": "construction",
    "Restaurant": "food", "Schoonmaak": "hospitality", "Hotel": "hospitality", "Garage": "construction",
    "Tuinbouw": "agriculture", "Kantoor": "office",
  ]
  static let contacts = ["Joke Janssens", "Tom Maes", "Sarah Willems", "Pieter Aerts", "Leen Goossens", "Wim Jacobs"]

  /// About one employer per forty cases (at least four, at most three hundred).
  public func employers(forCases cases: Int) -> [Employer] {
    var rng = SplitMix64(seed: seed &+ 0x656d706c)
    return (0..<max(4, min(300, cases / 40))).map { i in
      let kind = Self.kinds[i % Self.kinds.count]
      let place = rng.pick(Self.places)
      let family = rng.pick(DemoBridging.familyNames)
      return Employer(
        name: "\(kind) \(family) \(place)", sector: Self.sectorOfKind[kind] ?? "", region: place, contact: rng.pick(Self.contacts),
        phone: "+32 16 " + String(format: "%02d %02d %02d", rng.next(in: 10..<99), rng.next(in: 0..<100), rng.next(in: 0..<100)),
        email: "", hrContact: rng.pick(Self.contacts))
    }
  }

  /// One to three openings per employer, in its sector; some internships.
  public func openings(for employers: [Employer]) -> [Opening] {
    var rng = SplitMix64(seed: seed &+ 0x6f70656e)
    var out: [Opening] = []
    for e in employers {
      let profiles = content.skills.profiles(in: e.sector).map(\.id)
      guard !profiles.isEmpty else { continue }
      for _ in 0..<(1 + rng.next(in: 0..<3)) {
        let profile = rng.pick(profiles)
        let title = content.skills.profile(profile)!.title("nl")
        let internship = rng.chance(0.35)
        let start = asOf.adding(days: rng.next(in: 7..<75))
        out.append(
          Opening(
            employer: e.id, employerName: e.name, type: internship ? .internship : .vacancy,
            title: internship ? "Stage \(title.lowercased())" : title, profile: profile, region: e.region,
            hoursPerWeek: internship ? 20 + rng.next(in: 0..<3) * 5 : 30 + rng.next(in: 0..<3) * 4, language: "nl",
            languageLevel: rng.weighted([(CEFRLevel?.none, 2), (.a2, 4), (.b1, 3)]), start: start,
            end: internship ? start.adding(months: 2 + rng.next(in: 0..<4)) : nil, places: 1 + rng.next(in: 0..<3)))
      }
    }
    return out
  }

  /// Internships for cases in matching; hires with plans, follow-ups and outcomes for cases in
  /// sustaining.
  public func addPlacements(to drafts: inout [CaseDocument], employers: [Employer], by user: String) {
    var rng = placementRNG()
    addPlacements(to: &drafts, employers: employers, by: user, rng: &rng)
  }

  /// The random sequence placements are drawn from, to carry from one batch to the next.
  public func placementRNG() -> SplitMix64 { SplitMix64(seed: seed &+ 0x706c6163) }

  /// Adds placements to one batch of drafts; batches in order with one `rng` give what one call
  /// over all of them would.
  public func addPlacements(to drafts: inout [CaseDocument], employers: [Employer], by user: String, rng: inout SplitMix64) {
    guard !employers.isEmpty else { return }
    let cadence = content.followUp
    for i in drafts.indices where !drafts[i].isClosed {
      let created = LocalDate.today(drafts[i].createdAt)
      let e = rng.pick(employers)
      let profile = content.skills.profiles(in: e.sector).first?.id
      if drafts[i].stages.contains(.matching), rng.chance(0.3) {
        let from = max(created.adding(days: 30), asOf.adding(days: rng.next(in: -90..<30)))
        var internship = Internship(id: "i1", organisation: e.name, role: profile.flatMap { content.skills.profile($0)?.title("nl") } ?? "stagiair", from: from, to: from.adding(months: 2 + rng.next(in: 0..<4)))
        internship.employer = e.id
        internship.hoursPerWeek = 24
        internship.supervisor = rng.pick(Self.contacts)
        internship.learningGoals = ["werkritme", "vaktaal", "veiligheid op de werkvloer"]
        internship.ethics.notReplacingPaidWork = true
        internship.ethics.travelAllowance = rng.chance(0.9)
        internship.ethics.experiencedSupervisor = true
        internship.ethics.skillsCertificate = true
        internship.ethics.learningGoalsAgreed = true
        let signedOn = min(asOf, from.adding(days: -rng.next(in: 3..<14)))
        if signedOn >= created {
          internship.intern = Signature(name: drafts[i].person.fullName, on: signedOn)
          internship.company = Signature(name: e.hrContact, on: signedOn)
          if from <= asOf || rng.chance(0.6) { internship.mediator = Signature(name: user, on: signedOn) }
          if from <= asOf, internship.mediator != nil { internship.started = from }
          if internship.started != nil, internship.to < asOf {
            internship.ended = internship.to
            internship.certificateIssued = rng.chance(0.8)
          }
        }
        drafts[i].placement.internships = [internship]
      }
      guard drafts[i].stages.contains(.sustaining) else { continue }
      let start = max(created.adding(days: 45), asOf.adding(days: -rng.next(in: 0..<230)))
      guard start <= asOf else { continue }
      var hire = Hire(
        id: "h1", employer: e.id, employerName: e.name, job: profile.flatMap { content.skills.profile($0)?.title("nl") } ?? "medewerker",
        profile: profile, contract: rng.weighted([(.fixedTerm, 5), (.permanent, 2), (.temporaryAgency, 3), (.apprenticeship, 1)]),
        start: start, hoursPerWeek: 30 + rng.next(in: 0..<3) * 4, recordedBy: user, recordedOn: start)
      var plan = hire.plan
      plan.retention = rng.pick([["busabonnement regelen", "opvang voor de kinderen"], ["fietsroute oefenen"], ["taken samen overlopen", "vaste vragen aan de buddy"]])
      plan.growth = rng.pick([["interne opleiding veiligheid"], ["feedbackgesprek na een maand", "vaktaal Nederlands"]])
      plan.career = rng.pick([["vakdiploma laten erkennen"], ["avondopleiding na zes maanden"], []])
      plan.buddyName = rng.pick(Self.contacts)
      plan.buddyRole = hire.job
      let approved = start.adding(days: rng.next(in: 1..<10))
      if approved <= asOf && rng.chance(0.85) {
        plan.approvals.worker = Signature(name: drafts[i].person.fullName, on: approved)
        plan.approvals.counsellor = Signature(name: user, on: approved)
        plan.approvals.manager = Signature(name: e.hrContact, on: approved)
      }
      hire.revisePlan(plan, by: user, on: min(approved, asOf))
      let schedule = cadence.schedule(from: start)
      var n = 0
      for m in schedule where m.date < asOf {
        // Meetings are held within a few days; some of the last three weeks slipped and are overdue.
        guard m.date <= asOf.adding(days: -21) || rng.chance(0.7) else { continue }
        let held = min(asOf, m.date.adding(days: rng.next(in: 0..<4)))
        n += 1
        let risk: DropOutRisk = rng.weighted([(.low, 70), (.medium, 22), (.high, 8)])
        let issues: [FollowUpIssue] = risk == .low ? [] : [rng.pick(FollowUpIssue.allCases)]
        let attended: [Attendee] = m.role == "counsellor" ? [.worker, .counsellor] : m.role == "review" ? [.worker, .manager, .counsellor] : [.worker, .manager]
        hire.followUps.append(
          FollowUp(
            id: "f\(n)", meeting: m.key, heldOn: held, attended: attended, issues: issues,
            actions: issues.isEmpty ? "" : "opvolgen bij het volgende gesprek", risk: risk, loggedBy: user,
            loggedAt: Date(timeIntervalSince1970: Double(held.daysSinceEpoch) * 86_400 + 50_000)))
      }
      if let review = schedule.last, review.date < asOf, hire.followUp(for: review.key) != nil {
        let status: HireOutcome.Status = rng.weighted([(.employedSame, 70), (.employedOther, 10), (.left, 12), (.dismissed, 8)])
        let reason = status == .employedSame ? "" : rng.pick(["verhuisd", "ander werk dichter bij huis", "contract niet verlengd", "gezondheid"])
        hire.outcome = HireOutcome(on: min(asOf, review.date.adding(days: 2)), status: status, reason: reason, by: user)
      }
      drafts[i].placement.hires = [hire]
    }
  }

  /// A job fair held last month and a job day to come, with registrations from cases in matching.
  public func fairs(cases: [CaseSummary], employers: [Employer]) -> [JobFair] {
    var rng = SplitMix64(seed: seed &+ 0x66616972)
    let pool = cases.filter { !$0.isClosed && $0.stages.contains(.matching) }
    var past = JobFair(name: "Jobbeurs Leuven", type: .fair, on: asOf.adding(days: -30), place: "Leuven, Ladeuzeplein", employers: employers.prefix(6).map(\.id))
    var coming = JobFair(name: "Jobdag zorg en logistiek", type: .day, on: asOf.adding(days: 12), place: "Mechelen", employers: employers.suffix(4).map(\.id))
    for s in pool.prefix(24) {
      var r = FairRegistration(caseID: s.id.rawValue, transport: rng.chance(0.5), childcare: s.gender == .female && rng.chance(0.4))
      if rng.chance(0.5) {
        r.attended = rng.chance(0.85)
        if r.attended == true {
          r.interviews = rng.next(in: 0..<3)
          r.offers = r.interviews > 0 && rng.chance(0.3) ? 1 : 0
        }
        past.registrations.append(r)
      } else {
        coming.registrations.append(r)
      }
    }
    return [past, coming]
  }
}
