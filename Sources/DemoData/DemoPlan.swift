import CaseStore
import Casework
import Foundation

/// Demo local services guide (invented providers, real kinds of services in a Flemish region) and
/// action plans for the cases that may work: goals with actions by chain partner, some done by
/// the hire itself, referrals with their outcomes, reviews every three months and the person's
/// agreement.
public struct DemoPlan {
  public let asOf: LocalDate
  public let seed: UInt64

  /// The days reviews fall on.
  let workingDays: WorkingDays

  public init(seed: UInt64, asOf: LocalDate) {
    self.seed = seed
    self.asOf = asOf
    workingDays = (try? WorkingDays.load(storeRoot: nil)) ?? WorkingDays()
  }

  /// The guide: courses, vocational language courses, recognition and validation, business
  /// support and information sessions, with start dates around `asOf`.
  public func services() -> [Service] {
    func starts(_ offsets: [Int]) -> [String] { offsets.map { asOf.adding(days: $0).description } }
    return [
      Service(
        name: "NT2 op de werkvloer: logistiek", nameEn: "Dutch at work: logistics", type: .vocationalLanguage, provider: "CVO Dijleland",
        starts: starts([-40, 35, 120]), price: "gratis voor werkzoekenden", conditions: "ingeschreven bij VDAB; richtgraad 1 behaald",
        duration: "12 weken, 2 halve dagen per week", languages: ["nl"], place: "Leuven", contact: "nt2@cvo-dijleland.example"),
      Service(
        name: "NT2 in de zorg", nameEn: "Dutch for care work", type: .vocationalLanguage, provider: "Zorgacademie Rivierenland",
        starts: starts([20, 110]), price: "gratis", conditions: "A2 mondeling; interesse in zorgberoepen", duration: "16 weken",
        languages: ["nl"], place: "Mechelen", contact: "014 55 20 10"),
      Service(
        name: "Nederlands richtgraad 1", nameEn: "Dutch level 1", type: .languageCourse, provider: "Taalpunt Mechelen",
        starts: starts([-10, 25, 60, 95]), price: "€ 5 inschrijving", conditions: "vanaf 18 jaar; intake nodig", duration: "120 uur",
        languages: ["nl"], place: "Mechelen"),
      Service(
        name: "Begeleiding diploma-erkenning", nameEn: "Help with diploma recognition", type: .recognition,
        provider: "Erkenningsloket Vlaams-Brabant", starts: [], price: "gratis voor personen met internationale bescherming",
        conditions: "diploma en puntenlijst, vertaald door een beëdigd vertaler", duration: "3 tot 4 maanden",
        languages: ["nl", "en", "fr"], place: "Leuven", contact: "erkenning@loket.example"),
      Service(
        name: "Infosessie gelijkwaardigheid van diploma's", nameEn: "Information session: equivalence of diplomas", type: .infoSession,
        provider: "Erkenningsloket Vlaams-Brabant", starts: starts([14, 42, 70]), price: "gratis", duration: "2 uur",
        languages: ["nl", "en", "ar"], place: "Leuven"),
      Service(
        name: "Ervaringsbewijs heftruckchauffeur", nameEn: "Skills certificate: forklift driver", type: .validation,
        provider: "Testcentrum Logistiek Willebroek", starts: starts([9, 37, 65]), price: "gratis",
        conditions: "ervaring met heftruck, ook uit het buitenland", duration: "1 dag praktijkproef", languages: ["nl", "en"],
        place: "Willebroek"),
      Service(
        name: "Ervaringsbewijs zorgkundige", nameEn: "Skills certificate: care assistant", type: .validation,
        provider: "Zorgacademie Rivierenland", starts: starts([50]), price: "gratis", conditions: "minstens 1 jaar ervaring in de zorg",
        duration: "portfolio en 2 praktijkproeven", languages: ["nl"], place: "Mechelen"),
      Service(
        name: "Starterstraject voor nieuwkomers", nameEn: "Start-up track for newcomers", type: .entrepreneurship,
        provider: "Starterspunt Rivierenland", starts: starts([30, 150]), price: "€ 50", conditions: "verblijfsrecht; ondernemingsidee",
        duration: "8 sessies", languages: ["nl", "en"], place: "Mechelen"),
      Service(
        name: "Infosessie: werken in België", nameEn: "Information session: working in Belgium", type: .infoSession,
        provider: "Welkomstpunt Leuven", starts: starts([-5, 23, 51, 79]), price: "gratis",
        conditions: "met tolk Arabisch, Dari, Tigrinya en Oekraïens", duration: "halve dag", languages: ["nl", "ar", "prs", "ti", "uk"],
        place: "Leuven"),
      Service(
        name: "Heftruckattest met VCA-basis", nameEn: "Forklift certificate with basic safety (VCA)", type: .course,
        provider: "Opleidingscentrum Rupel", starts: starts([16, 44, 72]), price: "gratis met opleidingscheques", duration: "5 dagen",
        languages: ["nl"], place: "Boom"),
      Service(
        name: "Opleiding keukenmedewerker", nameEn: "Kitchen assistant training", type: .course, provider: "Horecaschool Mechelen",
        starts: starts([28]), price: "gratis voor werkzoekenden", conditions: "NT2 A2", duration: "14 weken met stage",
        languages: ["nl"], place: "Mechelen"),
      Service(
        name: "Digitale basisvaardigheden", nameEn: "Basic digital skills", type: .course, provider: "Digipunt Leuven",
        starts: starts([7, 21, 35]), price: "gratis", duration: "6 sessies", languages: ["nl", "en", "ar"], place: "Leuven"),
    ]
  }

  public func planRNG() -> SplitMix64 { SplitMix64(seed: seed &+ 0x706c616e) }

  static let reviewNotes = [
    "NT2 loopt goed; solliciteren begint", "wachtlijst taalcursus; andere start gezocht", "kinderopvang geregeld",
    "diploma-aanvraag ingediend", "eerste sollicitatiegesprekken gehad", "geen wijzigingen",
  ]

  /// Plans for open cases past their work-permit date in bridging, matching or sustaining (about
  /// three in five), referring to `services` (as created, with their ids).
  public func addPlans(to drafts: inout [CaseDocument], services: [Service], rng: inout SplitMix64) {
    let language = services.filter { $0.type == .vocationalLanguage || $0.type == .languageCourse }
    let recognition = services.filter { $0.type == .recognition || $0.type == .validation }
    let business = services.filter { $0.type == .entrepreneurship }
    for i in drafts.indices {
      let d = drafts[i]
      guard !d.isClosed, !d.stages.isDisjoint(with: [.bridging, .matching, .sustaining]), let permit = d.procedure.workPermitDate,
        permit <= asOf, rng.chance(0.6)
      else { continue }
      let worker = d.person.caseWorker ?? d.createdBy
      let created = LocalDate.today(d.createdAt)
      let start = min(asOf, max(permit, created.adding(days: 14)))
      var plan = ActionPlan(startedOn: start, startedBy: worker)
      var day = start
      func add(_ kind: PlanGoal.Kind, _ what: String, _ partner: ActionPlan.Partner, due: Int, title: String = "", _ change: (inout PlanAction) -> Void = { _ in }) {
        let g = plan.goal(kind)
        if plan.goals[g].title.isEmpty { plan.goals[g].title = title }
        var a = PlanAction(id: plan.nextActionID, what: what, partner: partner, due: start.adding(days: due), createdOn: start)
        change(&a)
        plan.goals[g].actions.append(a)
        plan.record("added \(a.id) under \(plan.goals[g].id)", by: worker, on: start)
      }
      func doneBy(_ offset: Int) -> LocalDate? {
        let on = start.adding(days: offset)
        return on <= asOf ? on : nil
      }
      add(.job, "Inschrijven als werkzoekende", .employmentService, due: 14, title: "duurzaam werk") { a in
        a.responsible = rng.pick(["Joke (VDAB)", "Tom (VDAB)", "Sarah (VDAB)"])
        if let on = doneBy(rng.next(in: 3..<14)) { (a.status, a.doneOn, a.result) = (.done, on, "ingeschreven") }
      }
      if let hire = d.placement.hires.first {
        add(.job, "Werk vinden als \(hire.job)", .employmentService, due: 120) { a in
          a.link = .hire
          // Hired before the plan was made: done, as recorded then.
          if hire.start < start { (a.status, a.doneOn, a.result) = (.done, start, "aangeworven als \(hire.job)") }
        }
      } else if d.stages.contains(.matching) {
        add(.job, "Twee sollicitaties per maand", .employmentService, due: 60) { a in
          a.status = .inProgress
          a.link = .hire
        }
      }
      if !language.isEmpty {
        let service = rng.pick(language)
        add(.language, "Beroepsgericht Nederlands volgen", .trainingProvider, due: 45, title: "Nederlands op het werk") { a in
          a.referral = Referral(service: service.id, on: start)
          if let on = doneBy(rng.next(in: 5..<30)) {
            a.referral?.outcome = rng.weighted([(.accepted, 3), (.waitingList, 2), (.started, 4), (.finished, 2), (.refused, 1)])
            a.referral?.on = on
            if a.referral?.outcome == .started || a.referral?.outcome == .finished { a.status = .inProgress }
          }
        }
      }
      if let pair = d.mentoring.first, pair.start >= start {
        add(.job, "Sollicitatiegesprek oefenen met de mentor", .mentor, due: 30) { a in a.responsible = pair.mentorName }
      }
      if !recognition.isEmpty, rng.chance(0.2) {
        let service = rng.pick(recognition)
        add(.recognition, "Diploma of ervaring laten erkennen", .ngo, due: 90) { a in a.referral = Referral(service: service.id, on: start) }
      }
      if rng.chance(0.1) { add(.childcare, "Plaats in de kinderopvang zoeken", .municipality, due: 30) }
      if !business.isEmpty, rng.chance(0.05) {
        let service = rng.pick(business)
        add(.business, "Starterstraject volgen", .ngo, due: 75, title: "eigen kapsalon") { a in a.referral = Referral(service: service.id, on: start) }
      }
      if rng.chance(0.85) {
        plan.agreement = rng.chance(0.8)
          ? PlanAgreement(on: start, how: .signed, version: plan.version)
          : PlanAgreement(on: start, how: .verbal, witness: "tolk " + rng.pick(["Samira", "Yonas", "Olena"]), version: plan.version)
      }
      // Actions long past their day were mostly done or dropped since; a few are left overdue.
      for g in plan.goals.indices {
        for k in plan.goals[g].actions.indices where plan.goals[g].actions[k].status.isOpen {
          let a = plan.goals[g].actions[k]
          guard a.due < asOf.adding(days: -30), ActionProgress(a, in: d).isOpen else { continue }
          switch rng.next(in: 0..<20) {
          case 0..<17:
            plan.goals[g].actions[k].status = .done
            plan.goals[g].actions[k].doneOn = a.due.adding(days: rng.next(in: -10..<20))
            plan.goals[g].actions[k].result = rng.pick(["gedaan", "loopt verder via VDAB", "afgerond met attest"])
            if plan.goals[g].actions[k].referral != nil { plan.goals[g].actions[k].referral?.outcome = .finished }
          case 17..<19:
            plan.goals[g].actions[k].status = .dropped
            plan.goals[g].actions[k].reason = rng.pick(["niet meer nodig", "andere weg gekozen"])
          default: break
          }
        }
      }
      // Reviews every three months until asOf, on working days.
      day = workingDays.onOrBefore(start.adding(months: 3))
      while day <= asOf {
        let next = workingDays.onOrBefore(day.adding(months: 3))
        plan.reviews.append(PlanReview(on: day, by: worker, changes: rng.pick(Self.reviewNotes), next: next))
        plan.record("reviewed", by: worker, on: day)
        day = next
      }
      drafts[i].actionPlan = plan
    }
  }
}
