import ArgumentParser
import CaseStore
import Casework
import Foundation
import TextCells

/// `keten action-plan …`: the individual action plan of a case.
struct ActionPlanCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "action-plan", abstract: "The individual action plan: goals, actions by chain partner and date, reviews, agreement.",
    discussion: """
      Goals: \(PlanGoal.Kind.allCases.map(\.rawValue).joined(separator: ", ")). Partners: \(ActionPlan.Partner.allCases.map(\.rawValue).joined(separator: ", ")). \
      Statuses: \(PlanAction.Status.allCases.map(\.rawValue).joined(separator: ", ")). Links (the event that does the action): \(PlanAction.Link.allCases.map(\.rawValue).joined(separator: ", ")). \
      Every change is a new version of the plan and a journal entry.
      """,
    subcommands: [PlanShow.self, PlanStart.self, PlanAdd.self, PlanActionEdit.self, PlanDone.self, PlanDrop.self, PlanReviewCommand.self, PlanAgree.self],
    defaultSubcommand: PlanShow.self)
}

/// An enum value from an option, or a message naming what is valid.
func parseChoice<E: RawRepresentable & CaseIterable>(_ option: String, _ text: String, _: E.Type) throws -> E where E.RawValue == String {
  guard let value = E(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
    throw CLIError("\(option): '\(text.oneLine)' is not one of \(E.allCases.map(\.rawValue).joined(separator: ", ")).")
  }
  return value
}

/// A referral's service must be an active one of the guide.
func checkService(_ store: Store, _ id: String?) throws {
  guard let id, !id.isEmpty else { return }
  let s = try store.record(Service.self, id).record
  if !s.active { throw CLIError("\(id) (\(s.name.oneLine)) is not active in the guide; refer to an active service, or make it active first (`keten services edit \(id) --set active=yes`).") }
}

/// The services guide by id, for the names of referrals.
func servicesByID(_ store: Store) throws -> [String: Service] {
  Dictionary(try readRecords(store, Service.self).map { ($0.id, $0.record) }, uniquingKeysWith: { a, _ in a })
}

/// An action done or dropped is closed: say so rather than change it silently.
func requireOpen(_ a: PlanAction, in d: CaseDocument, caseID: String) throws {
  let progress = ActionProgress(a, in: d)
  guard progress.isOpen else {
    let how = progress.status == .done ? "done\(progress.doneOn.map { " on \($0)" } ?? "")" : "dropped"
    throw CLIError("\(caseID) action \(a.id) is \(how) already; change it with `keten action-plan edit \(caseID) \(a.id) --set status=…` if that was a mistake.")
  }
}

/// Changes the case's action plan (started today when there is none), recording the change as
/// a version; returns the saved case.
@discardableResult
func changePlan(_ store: Store, _ id: String, change: String, _ body: (inout ActionPlan, CaseDocument) throws -> String?) throws -> StoredCase {
  try changeCase(store, id) { d in
    let today = LocalDate.today()
    var plan = d.actionPlan ?? ActionPlan(startedOn: today, startedBy: CurrentUser.login)
    let detail = try body(&plan, d)
    plan.record(detail ?? change, by: CurrentUser.login, on: today)
    d.actionPlan = plan
  }
}

func findAction(_ plan: ActionPlan, _ action: String, caseID: String) throws -> (goal: Int, action: Int) {
  guard let at = plan.action(action) else {
    let ids = plan.actions.map(\.action.id)
    throw CLIError("\(caseID) has no action \(action.oneLine); its actions are \(ids.isEmpty ? "none yet" : ids.joined(separator: ", ")).")
  }
  return at
}

struct PlanShow: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "The plan: goals with their actions, reviews, agreement, versions.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "The language: nl or en.") var lang: String = "en"

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let content = try loadContent(storeRoot: store.contentRoot)
      let stored = try store.load(try parseID(id))
      let d = stored.document
      guard let plan = d.actionPlan else {
        print("\(d.id) has no action plan yet; `keten action-plan add \(d.id) --goal job --action … --partner … --due …` starts one.")
        return
      }
      try journalRead(store, "action plan", case: d.id)
      let services = try servicesByID(store)
      let lines = PlanText.lines(plan, of: d, settings: content.plan, services: services, strings: try loadStrings(lang), today: .today())
      for line in PlanText.wrapped(lines.map(\.oneLine), width: 80) { print(line) }
    }
  }
}

struct PlanStart: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "start", abstract: "Start the plan (adding the first action starts it too).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      if try store.load(try parseID(id)).document.actionPlan != nil { throw CLIError("\(id) has an action plan already; `keten action-plan show \(id)` shows it.") }
      try changeCase(store, id) { d in d.actionPlan = ActionPlan(startedOn: .today(), startedBy: CurrentUser.login) }
      print("\(id): action plan started.")
    }
  }
}

struct PlanAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add an action under a goal (the goal and the plan are made when missing); prints the action's id.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "The goal: job, training, language, recognition, business, housing, childcare or other.") var goal: String
  @Option(help: "The goal in the person's words (when the goal is new).") var goalTitle: String?
  @Option(help: "What is to be done.") var action: String
  @Option(help: "Who does it: employment-service, ngo, training-provider, municipality, employer or mentor.") var partner: String
  @Option(help: "The person responsible at the partner.") var responsible: String = ""
  @Option(help: ArgumentHelp("By when.", valueName: "YYYY-MM-DD")) var due: String
  @Option(help: "A service of the local guide to refer to (S-…).") var service: String?
  @Option(help: "The event that does it: screening, training, mentoring, internship or hire.") var link: String?
  @Option(help: "Which group, pair (mentor id), internship or hire the link names.") var linkRef: String?

  func run() throws {
    try reporting {
      try requireOneLine("--action", action)
      try requireOneLine("--goal-title", goalTitle)
      try requireOneLine("--responsible", responsible)
      let store = try storeOptions.open()
      let kind = try parseChoice("--goal", goal, PlanGoal.Kind.self)
      let who = try parseChoice("--partner", partner, ActionPlan.Partner.self)
      let linked = try link.map { try parseChoice("--link", $0, PlanAction.Link.self) }
      guard let day = try parseDateOption("--due", due) else { throw CLIError("--due: give the day as YYYY-MM-DD.") }
      try checkService(store, service)
      var made = ""
      try changePlan(store, id, change: "") { plan, _ in
        let g = plan.goal(kind)
        if let goalTitle, plan.goals[g].title.isEmpty { plan.goals[g].title = goalTitle }
        var a = PlanAction(id: plan.nextActionID, what: action, partner: who, responsible: responsible, due: day, createdOn: .today(), link: linked)
        a.linkRef = linkRef
        if let service { a.referral = Referral(service: service, on: .today()) }
        plan.goals[g].actions.append(a)
        made = a.id
        return "added \(a.id) under \(plan.goals[g].id)"
      }
      print(made)
    }
  }
}

struct PlanActionEdit: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "edit", abstract: "Change an action: \(PlanAction.fields.map(\.path).joined(separator: ", ")).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Argument(help: "The action id (a1, a2, …).") var action: String
  @Option(name: .customLong("set"), help: ArgumentHelp("A field to change.", valueName: "PATH=VALUE")) var assignments: [String]

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      try changePlan(store, id, change: "") { plan, _ in
        let at = try findAction(plan, action, caseID: id)
        var a = plan.goals[at.goal].actions[at.action]
        let before = a.referral?.service
        try applyAssignments(assignments, fields: PlanAction.fields, to: &a)
        // A new referral goes to an active service; one made earlier stays as it was.
        if a.referral?.service != before { try checkService(store, a.referral?.service) }
        if a.status == .done, a.doneOn == nil { a.doneOn = .today() }
        plan.goals[at.goal].actions[at.action] = a
        return "changed \(a.id): \(assignments.map { String($0.prefix { $0 != "=" }) }.joined(separator: ", "))"
      }
      print("\(id) action \(action) saved.")
    }
  }
}

struct PlanDone: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark an action done, with its result.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Argument(help: "The action id.") var action: String
  @Option(help: ArgumentHelp("The day it was done (default today).", valueName: "YYYY-MM-DD")) var on: String?
  @Option(help: "What came of it.") var result: String?

  func run() throws {
    try reporting {
      try requireOneLine("--result", result)
      let store = try storeOptions.open()
      let day = try parseDateOption("--on", on) ?? .today()
      try changePlan(store, id, change: "") { plan, d in
        let at = try findAction(plan, action, caseID: id)
        try requireOpen(plan.goals[at.goal].actions[at.action], in: d, caseID: id)
        plan.complete(action, on: day, result: result)
        return "\(action) done"
      }
      print("\(id) action \(action) done on \(day).")
    }
  }
}

struct PlanDrop: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "drop", abstract: "Drop an action, saying why.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Argument(help: "The action id.") var action: String
  @Option(help: "Why it is dropped (required).") var reason: String

  func run() throws {
    try reporting {
      try requireOneLine("--reason", reason)
      let store = try storeOptions.open()
      try changePlan(store, id, change: "") { plan, d in
        let at = try findAction(plan, action, caseID: id)
        try requireOpen(plan.goals[at.goal].actions[at.action], in: d, caseID: id)
        plan.drop(action, reason: reason)
        return "\(action) dropped"
      }
      print("\(id) action \(action) dropped.")
    }
  }
}

struct PlanReviewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "review", abstract: "Record a review: what changed, and the next review.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: ArgumentHelp("The day of the review (default today).", valueName: "YYYY-MM-DD")) var on: String?
  @Option(help: ArgumentHelp("The next review (default after the review interval).", valueName: "YYYY-MM-DD")) var next: String?
  @Option(help: "What changed since the last review.") var changes: String = ""

  func run() throws {
    try reporting {
      try requireOneLine("--changes", changes)
      let store = try storeOptions.open()
      let settings = try loadContent(storeRoot: store.contentRoot).plan
      let day = try parseDateOption("--on", on) ?? .today()
      let nextDay = try parseDateOption("--next", next) ?? settings.defaultNextReview(after: day)
      if let issue = settings.reviewIssues(PlanReview(on: day, by: "", changes: "", next: nextDay)).first {
        throw CLIError("--next: \(issue.problem.message)")
      }
      if try store.load(try parseID(id)).document.actionPlan == nil {
        throw CLIError("\(id) has no action plan to review; `keten action-plan start \(id)` starts one.")
      }
      try changePlan(store, id, change: "") { plan, _ in
        plan.reviews.append(PlanReview(on: day, by: CurrentUser.login, changes: changes, next: nextDay))
        return "reviewed"
      }
      print("\(id) action plan reviewed on \(day); the next review is on \(nextDay).")
    }
  }
}

struct PlanAgree: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "agree", abstract: "Record that the person agreed to the plan as it is now: signed, or verbally before a witness.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The case id.") var id: String
  @Option(help: "signed or verbal.") var how: String
  @Option(help: "Who witnessed a verbal agreement.") var witness: String?
  @Option(help: ArgumentHelp("The day (default today).", valueName: "YYYY-MM-DD")) var on: String?

  func run() throws {
    try reporting {
      try requireOneLine("--witness", witness)
      let store = try storeOptions.open()
      let way = try parseChoice("--how", how, PlanAgreement.How.self)
      let day = try parseDateOption("--on", on) ?? .today()
      if try store.load(try parseID(id)).document.actionPlan == nil {
        throw CLIError("\(id) has no action plan to agree to; add its actions first.")
      }
      var version = 0
      try changeCase(store, id) { d in
        version = d.actionPlan!.version
        if way == .signed, witness != nil { throw CLIError("--witness is for a verbal agreement; a signed one needs none.") }
        d.actionPlan!.agreement = PlanAgreement(on: day, how: way, witness: witness, version: version)
      }
      print("\(id): version \(version) of the action plan agreed \(way.rawValue) on \(day).")
    }
  }
}

/// `keten services …`: the local services guide.
struct ServicesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "services", abstract: "The local services guide: courses, language courses, recognition, validation, entrepreneurship, information sessions.",
    subcommands: [ServiceList.self, ServiceAdd.self, ServiceEdit.self, ServiceShow.self], defaultSubcommand: ServiceList.self)
}

struct ServiceList: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List services, found by words in either language.")
  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "Words to find (name, provider, place, kind, conditions; Dutch or English).") var search: String?
  @Flag(help: "Inactive ones too.") var all = false

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let (services, damaged) = try store.records(Service.self)
      let strings = [try loadStrings("nl"), try loadStrings("en")]
      let shown = services.map(\.record).filter { s in
        (all || s.active) && (search.map { s.matches($0, kindNames: strings.map { $0("option.serviceType.\(s.type.rawValue)") }) } ?? true)
      }
      if shown.isEmpty { print(services.isEmpty ? "No services yet; `keten services add --name … --type …` adds one." : "No service matches.") }
      for s in shown.sorted(by: { $0.name.localizedStandardCompare($1.name) == .orderedAscending }) {
        let next = s.nextStart(from: .today()).map { "next start \($0)" } ?? (s.starts.isEmpty ? "any time" : "no start to come")
        print("\(s.id)  \(TextWidth.pad(s.type.rawValue, to: 18))  \(TextWidth.pad(TextWidth.truncate(s.name.oneLine, to: 30), to: 30))  \(TextWidth.pad(TextWidth.truncate(s.provider.oneLine, to: 20), to: 20))  \(next)" + (s.active ? "" : "  inactive"))
      }
      reportDamaged(damaged)
    }
  }
}

struct ServiceAdd: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add a service to the guide; prints the id.",
    discussion: "Fields with --set PATH=VALUE: \(Service.fields.map(\.path).joined(separator: ", ")). Types: \(Service.Kind.allCases.map(\.rawValue).joined(separator: ", ")). Starts are dates, comma-separated.")
  @OptionGroup var storeOptions: StoreOptions
  @Option(help: "The name (in Dutch; nameEn for English).") var name: String
  @Option(help: "The kind of service.") var type: String
  @Option(name: .customLong("set"), help: ArgumentHelp("Another field.", valueName: "PATH=VALUE")) var assignments: [String] = []

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      var s = Service(name: "", type: try parseChoice("--type", type, Service.Kind.self))
      try applyAssignments(["name=" + name] + assignments, fields: Service.fields, to: &s)
      print(try store.create(s, by: CurrentUser.login).id)
    }
  }
}

struct ServiceEdit: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a service: \(Service.fields.map(\.path).joined(separator: ", ")).")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The service id.") var id: String
  @Option(name: .customLong("set"), help: ArgumentHelp("A field to change.", valueName: "PATH=VALUE")) var assignments: [String]

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let stored = try store.record(Service.self, id)
      var s = stored.record
      try applyAssignments(assignments, fields: Service.fields, to: &s)
      let saved = try store.save(s, basedOn: stored, by: CurrentUser.login)
      print("\(saved.id) saved as revision \(saved.revision).")
    }
  }
}

struct ServiceShow: ParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "A service in full.")
  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The service id.") var id: String

  func run() throws {
    try reporting {
      let store = try storeOptions.open()
      let s = try store.record(Service.self, id).record
      print("\(id)  \(s.name.oneLine)" + (s.nameEn.isEmpty ? "" : " (\(s.nameEn.oneLine))"))
      for (label, value) in [
        ("Type", s.type.rawValue), ("Provider", s.provider), ("Starts", s.starts.joined(separator: ", ")), ("Price", s.price),
        ("Conditions", s.conditions), ("Duration", s.duration),
        ("Languages", s.languages.map { Languages.name($0, "en") }.joined(separator: ", ")), ("Place", s.place), ("Contact", s.contact),
        ("Notes", s.notes), ("Active", s.active ? "yes" : "no"),
      ] where !value.isEmpty {
        print("  \(TextWidth.pad(label, to: 11)) \(value.oneLine)")
      }
    }
  }
}
