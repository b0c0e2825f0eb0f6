import CaseStore
import Foundation
import TextCells

/// The action plan in words, in the interface language: for `keten action-plan show`, the app's
/// Plan tab, and the printable plan for the person (text and HTML).
public enum PlanText {
  /// One action as a line's parts, shared by every rendering.
  public struct ActionLine: Sendable, Equatable {
    public var id: String
    public var what: String
    public var partner: String
    public var responsible: String
    public var due: LocalDate
    /// The status as shown, "done by the hire h1" included.
    public var status: String
    public var isOpen: Bool
    public var isOverdue: Bool
    public var result: String
    /// "Referred to … — waiting list", or empty.
    public var referral: String
    /// ! overdue, · open, ✓ done, ✗ dropped.
    public var mark: String
  }

  public static func actionLine(
    _ a: PlanAction, of d: CaseDocument, settings: PlanSettings, services: [String: Service], strings: Strings, today: LocalDate
  ) -> ActionLine {
    let language = strings.language.rawValue
    let progress = ActionProgress(a, in: d)
    var status = strings("option.actionStatus.\(progress.status.rawValue)")
    if let on = progress.doneOn, progress.status == .done {
      status = progress.doneBy.map { strings("plan.doneBy", strings.date(on), eventName($0, strings)) } ?? strings("plan.doneOn", strings.date(on))
    }
    if progress.status == .dropped, let reason = a.reason, !reason.isEmpty { status += " (\(reason))" }
    var referral = ""
    if let r = a.referral {
      let service = services[r.service]
      let name = service.map { language == "en" && !$0.nameEn.isEmpty ? $0.nameEn : $0.name } ?? r.service
      referral = strings("plan.referral", name + (service.map { $0.provider.isEmpty ? "" : " · " + $0.provider } ?? ""))
      if let outcome = r.outcome { referral += " — " + strings("option.referralOutcome.\(outcome.rawValue)") }
    }
    return ActionLine(
      id: a.id, what: a.what, partner: strings("option.partner.\(a.partner.rawValue)"), responsible: a.responsible, due: a.due, status: status,
      isOpen: progress.isOpen, isOverdue: progress.isOpen && a.due < today, result: a.result, referral: referral,
      mark: progress.isOpen ? (a.due < today ? "!" : "·") : (progress.status == .dropped ? "✗" : "✓"))
  }

  /// "hire h1" → "de aanwerving h1".
  static func eventName(_ event: String, _ strings: Strings) -> String {
    let parts = event.split(separator: " ", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { return event }
    return strings("plan.event.\(parts[0])", parts[1])
  }

  public static func goalTitle(_ g: PlanGoal, strings: Strings) -> String {
    let kind = strings("option.goalKind.\(g.kind.rawValue)")
    return g.title.isEmpty ? kind : "\(kind): \(g.title)"
  }

  /// The plan as lines: head, goals with their actions, reviews; `staff` adds the versions
  /// (who changed what) for staff, left out of the person's copy.
  public static func lines(
    _ plan: ActionPlan, of d: CaseDocument, settings: PlanSettings, services: [String: Service], strings: Strings,
    today: LocalDate, staff: Bool = true
  ) -> [String] {
    var out: [String] = []
    out.append(strings("plan.head", strings.date(plan.startedOn), String(plan.version)))
    out.append(agreementText(plan, strings: strings))
    out.append(strings("plan.nextReview", strings.date(plan.nextReview(intervalMonths: settings.reviewIntervalMonths, workingDays: settings.workingDays))))
    if plan.goals.isEmpty { out.append(strings("plan.noGoals")) }
    for g in plan.goals {
      out.append("")
      out.append(goalTitle(g, strings: strings))
      for a in g.actions {
        let l = actionLine(a, of: d, settings: settings, services: services, strings: strings, today: today)
        let who = l.responsible.isEmpty ? l.partner : "\(l.partner) · \(l.responsible)"
        out.append("  \(l.mark) \(l.id)  \(l.what)")
        out.append("       " + strings("plan.actionDetail", who, strings.date(l.due), l.status))
        if !l.result.isEmpty { out.append("       " + strings("plan.result", l.result)) }
        if !l.referral.isEmpty { out.append("       " + l.referral) }
      }
    }
    if !plan.reviews.isEmpty {
      out.append("")
      out.append(strings("plan.reviews"))
      for r in plan.reviews {
        out.append("  " + strings("plan.reviewLine", strings.date(r.on), r.changes.isEmpty ? "—" : r.changes, strings.date(r.next)))
      }
    }
    if staff {
      out.append("")
      out.append(strings("plan.versions"))
      for v in plan.versions.suffix(8) {
        out.append("  v\(v.version)  \(v.on)  \(v.by)  \(v.change)")
      }
    }
    return out
  }

  public static func agreementText(_ plan: ActionPlan, strings: Strings) -> String {
    guard let a = plan.agreement else { return strings("plan.notAgreed") }
    let how = a.how == .signed ? strings("plan.agreedSigned", strings.date(a.on)) : strings("plan.agreedVerbal", strings.date(a.on), a.witness ?? "")
    return plan.changedSinceAgreement ? how + " " + strings("plan.agreedEarlier", String(a.version)) : how
  }

  /// The person's copy as plain text, at 80 columns for printing.
  public static func printable(
    _ plan: ActionPlan, of d: CaseDocument, settings: PlanSettings, services: [String: Service], strings: Strings, today: LocalDate
  ) -> String {
    var out = [strings("plan.printTitle"), d.person.fullName, ""]
    out += lines(plan, of: d, settings: settings, services: services, strings: strings, today: today, staff: false)
    out += ["", strings("plan.printFooter", strings.date(today))]
    return wrapped(out, width: 80).joined(separator: "\n") + "\n"
  }

  /// Lines wrapped at `width` columns, continuation lines under the text of the first (an
  /// action's detail lines are indented seven).
  public static func wrapped(_ lines: [String], width: Int) -> [String] {
    lines.flatMap { line -> [String] in
      guard TextWidth.width(of: line) > width else { return [line] }
      let indent = line.prefix { $0 == " " }.count
      let hanging = indent > 0 ? max(indent, 7) : 0
      let parts = TextWidth.wordWrap(String(line.dropFirst(indent)), width: width - max(indent, hanging))
      return parts.enumerated().map { String(repeating: " ", count: $0.offset == 0 ? indent : hanging) + $0.element }
    }
  }

  /// The person's copy as one HTML page for printing.
  public static func html(
    _ plan: ActionPlan, of d: CaseDocument, settings: PlanSettings, services: [String: Service], strings: Strings, today: LocalDate
  ) -> String {
    func esc(_ text: String) -> String { CVEscape.html(TerminalText.visible(text, multiline: false)) }
    var body: [String] = []
    body.append("<header><h1>\(esc(d.person.fullName))</h1><p class=\"subtitle\">\(esc(strings("plan.printTitle")))</p></header>")
    body.append("<p>\(esc(strings("plan.head", strings.date(plan.startedOn), String(plan.version))))</p>")
    body.append("<p>\(esc(agreementText(plan, strings: strings)))</p>")
    body.append("<p>\(esc(strings("plan.nextReview", strings.date(plan.nextReview(intervalMonths: settings.reviewIntervalMonths, workingDays: settings.workingDays)))))</p>")
    for g in plan.goals {
      body.append("<section><h2>\(esc(goalTitle(g, strings: strings)))</h2>")
      body.append("<table><thead><tr>" + ["plan.col.what", "plan.col.who", "plan.col.due", "plan.col.status"].map { "<th scope=\"col\">\(esc(strings($0)))</th>" }.joined() + "</tr></thead><tbody>")
      for a in g.actions {
        let l = actionLine(a, of: d, settings: settings, services: services, strings: strings, today: today)
        var what = esc(l.what)
        if !l.result.isEmpty { what += "<br><span class=\"note\">\(esc(strings("plan.result", l.result)))</span>" }
        if !l.referral.isEmpty { what += "<br><span class=\"note\">\(esc(l.referral))</span>" }
        let who = esc(l.partner) + (l.responsible.isEmpty ? "" : "<br>\(esc(l.responsible))")
        body.append("<tr><td>\(what)</td><td>\(who)</td><td>\(esc(strings.date(l.due)))</td><td>\(esc(l.status))</td></tr>")
      }
      body.append("</tbody></table></section>")
    }
    if !plan.reviews.isEmpty {
      body.append("<section><h2>\(esc(strings("plan.reviews")))</h2><ul>")
      for r in plan.reviews {
        body.append("<li>\(esc(strings("plan.reviewLine", strings.date(r.on), r.changes.isEmpty ? "—" : r.changes, strings.date(r.next))))</li>")
      }
      body.append("</ul></section>")
    }
    body.append("<footer>\(esc(strings("plan.printFooter", strings.date(today))))</footer>")
    return """
      <!DOCTYPE html>
      <html lang="\(strings.language.rawValue)">
      <head>
      <meta charset="utf-8">
      <title>\(esc(d.person.fullName)) — \(esc(strings("plan.printTitle")))</title>
      <style>
      @page { size: A4; margin: 12mm 15mm; }
      body { font: 10pt/1.35 "DejaVu Sans", Arial, sans-serif; color: #111; max-width: 180mm; margin: 0 auto; }
      header { border-bottom: 2px solid #1f4e79; margin-bottom: 3mm; }
      h1 { font-size: 16pt; margin: 0; color: #1f4e79; }
      h2 { font-size: 11pt; color: #1f4e79; margin: 4mm 0 1.5mm; }
      .subtitle, .note, footer { color: #555; }
      table { border-collapse: collapse; width: 100%; }
      th, td { border: 1px solid #bbb; padding: 1mm 2mm; text-align: left; vertical-align: top; }
      footer { margin-top: 4mm; font-size: 8.5pt; }
      </style>
      </head>
      <body>
      \(body.joined(separator: "\n"))
      </body>
      </html>

      """
  }
}
