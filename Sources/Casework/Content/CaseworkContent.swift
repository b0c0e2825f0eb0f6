import Foundation

/// Everything the screens and exports read from `Resources/` besides UI strings, loaded and
/// validated once at start-up.
public struct CaseworkContent: Sendable {
  public let skills: SkillsCatalog
  public let interview: InterviewCatalog
  public let screening: ScreeningRules
  /// The VOORwerk training: modules, levels, entry test.
  public let voorwerk: VoorwerkProgramme
  /// Mentoring defaults, catalogs and match weights.
  public let mentoring: MentoringProgramme
  /// The post-hire meeting cadence.
  public let followUp: FollowUpCadence
  /// Job-matching weights and shortage occupations.
  public let matching: MatchingSettings
  /// The action plan's review interval and the chain partners.
  public let plan: PlanSettings

  public init(
    skills: SkillsCatalog, interview: InterviewCatalog, screening: ScreeningRules, voorwerk: VoorwerkProgramme,
    mentoring: MentoringProgramme, followUp: FollowUpCadence, matching: MatchingSettings, plan: PlanSettings
  ) {
    self.plan = plan
    self.followUp = followUp
    self.matching = matching
    self.skills = skills
    self.interview = interview
    self.screening = screening
    self.voorwerk = voorwerk
    self.mentoring = mentoring
  }

  /// The shipped content, plus a store's `content/skills/` files and `settings.json`.
  public static func load(storeRoot: String?) throws(ContentError) -> CaseworkContent {
    let extra = storeRoot.map { [URL(fileURLWithPath: $0).appendingPathComponent("content/skills")] } ?? []
    let interview = try InterviewCatalog.load()
    let skills = try SkillsCatalog.load(extra: extra)
    return CaseworkContent(
      skills: skills, interview: interview,
      screening: ScreeningRules(interview: interview, settings: try ScreeningSettings.load(storeRoot: storeRoot)),
      voorwerk: try VoorwerkProgramme.load(storeRoot: storeRoot), mentoring: try MentoringProgramme.load(storeRoot: storeRoot),
      followUp: try FollowUpCadence.load(storeRoot: storeRoot), matching: try MatchingSettings.load(storeRoot: storeRoot, skills: skills),
      plan: try PlanSettings.load(storeRoot: storeRoot))
  }

  /// The chain rules with this content's screening settings.
  public var chainRules: ChainRules {
    ChainRules(
      screening: screening.settings, mentoringGraceDays: mentoring.overdueGraceDays, followUp: followUp,
      screeningRules: screening, planReviewMonths: plan.reviewIntervalMonths)
  }

  /// The chain rules for a store, reading only the files they need.
  public static func chainRules(storeRoot: String?) throws(ContentError) -> ChainRules {
    let settings = try ScreeningSettings.load(storeRoot: storeRoot)
    return ChainRules(
      screening: settings, mentoringGraceDays: try MentoringProgramme.load(storeRoot: storeRoot).overdueGraceDays,
      followUp: try FollowUpCadence.load(storeRoot: storeRoot),
      screeningRules: ScreeningRules(interview: try InterviewCatalog.load(), settings: settings),
      planReviewMonths: try PlanSettings.load(storeRoot: storeRoot).reviewIntervalMonths)
  }
}
