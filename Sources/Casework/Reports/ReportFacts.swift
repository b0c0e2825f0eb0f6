import CaseStore
import Foundation

/// The facts a case gives the chain report, kept in the index with its summary (see
/// `CaseRules.facts`): dates and codes only, never free text, and nothing that depends on today.
///
/// ```
/// in=2026-01-05                  intake (the day the case was opened)
/// p1s=2026-01-12  p1c=1          phase-1 screening started; complete
/// p2=2026-02-03                  first phase-2 screening
/// wp=2026-06-15                  work permit from
/// cefr=B1  isced=3               highest level in a language other than a mother tongue; education
/// doc=1  rec=requested,recognised  a diploma document on hand; recognition statuses
/// pair=START|CLOSED|OUTCOME|LOGGED|PER-MEETING|EVERY|MONTHS|LAST   one per mentoring pair
/// hire=START|OUTCOME|ON          one per hire (outcome and its date once recorded)
/// fu=DUE|HELD                    one per planned post-hire meeting (HELD empty until held)
/// fui=childcare                  one per issue raised in a follow-up
/// st=2026-02-10|bridging,matching  one per entry of the stage history (from that day, those stages)
/// plan=2026-03-01                the action plan's start
/// act=STATUS|PARTNER|DUE|DONE|REFERRAL  one per action: status as its events leave it, the
///                                referral's outcome ("" pending, "-" without a referral)
/// ```
public enum ReportFact {
  public static let intake = "in", phase1Started = "p1s", phase1Complete = "p1c", phase2 = "p2"
  public static let permit = "wp", cefr = "cefr", isced = "isced", documents = "doc", recognition = "rec"
  public static let pair = "pair", hire = "hire", followUp = "fu", followUpIssue = "fui", stages = "st"
  public static let plan = "plan", action = "act"

  /// The facts of one case.
  /// The facts of one case, given each hire's post-hire schedule (none without a cadence).
  static func facts(of d: CaseDocument, screening: ScreeningRules?, schedules: [FollowUpSchedule]) -> [String] {
    var out = ["\(intake)=\(LocalDate.today(d.createdAt))"]
    let f = d.screening.factual
    if let started = f.startedOn { out.append("\(phase1Started)=\(started)") }
    if let screening, screening.isPhase1Complete(f) { out.append("\(phase1Complete)=1") }
    if let first = d.screening.ambitions.map(\.on).min() { out.append("\(phase2)=\(first)") }
    if let date = d.procedure.workPermitDate { out.append("\(permit)=\(date)") }
    let mother = Set(f.motherTongues.map { $0.lowercased() })
    let levels = f.languages.filter { !mother.contains($0.language.lowercased()) }.flatMap { $0.levels.compactMap { $0 } }
    if let best = levels.max() { out.append("\(cefr)=\(best.rawValue)") }
    if let best = f.education.compactMap(\.isced).max() { out.append("\(isced)=\(best)") }
    let diplomas = f.education.filter { $0.diploma == true }
    if !diplomas.isEmpty {
      let onHand = diplomas.contains { $0.document == .original || $0.document == .copy }
      out.append("\(documents)=\(onHand ? 1 : 0)")
      let statuses = diplomas.compactMap(\.recognition?.rawValue)
      if !statuses.isEmpty { out.append("\(recognition)=\(statuses.joined(separator: ","))") }
    }
    for p in d.mentoring {
      let fields = [
        p.start.description, p.closure?.on.description ?? "", p.closure?.outcome.rawValue ?? "", String(p.minutesLogged),
        String(p.minutesPerMeeting), String(p.frequencyDays), String(p.durationMonths), p.lastCheckIn?.description ?? "",
      ]
      out.append("\(pair)=" + fields.joined(separator: "|"))
    }
    for (i, h) in d.placement.hires.enumerated() {
      out.append("\(hire)=\(h.start)|\(h.outcome?.status.rawValue ?? "")|\(h.outcome?.on.description ?? "")")
      if i < schedules.count {
        // Statuses are worked out by the report for its own day; only dates are kept here.
        for m in schedules[i].meetings {
          var held = ""
          if case .held(let log) = m.status { held = log.heldOn.description }
          out.append("\(followUp)=\(m.due)|\(held)")
        }
      }
      for log in h.followUps { for issue in log.issues { out.append("\(followUpIssue)=\(issue.rawValue)") } }
    }
    for change in d.stageHistory {
      out.append("\(stages)=\(change.on)|" + change.stages.map(\.rawValue).joined(separator: ","))
    }
    if let p = d.actionPlan {
      out.append("\(plan)=\(p.startedOn)")
      for (_, a) in p.actions {
        let progress = ActionProgress(a, in: d)
        let referral = a.referral.map { $0.outcome?.rawValue ?? "" } ?? "-"
        out.append("\(action)=\(progress.status.rawValue)|\(a.partner.rawValue)|\(a.due)|\(progress.doneOn?.description ?? "")|\(referral)")
      }
    }
    return out
  }
}

extension ChainRules {
  public func facts(for document: CaseDocument) -> [String] {
    ReportFact.facts(of: document, screening: screeningRules, schedules: schedules(document))
  }
}
