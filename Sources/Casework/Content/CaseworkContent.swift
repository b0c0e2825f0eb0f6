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

  public init(
    skills: SkillsCatalog, interview: InterviewCatalog, screening: ScreeningRules, voorwerk: VoorwerkProgramme,
    mentoring: MentoringProgramme
  ) {
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
    return CaseworkContent(
      skills: try SkillsCatalog.load(extra: extra), interview: interview,
      screening: ScreeningRules(interview: interview, settings: try ScreeningSettings.load(storeRoot: storeRoot)),
      voorwerk: try VoorwerkProgramme.load(storeRoot: storeRoot), mentoring: try MentoringProgramme.load(storeRoot: storeRoot))
  }

  /// The chain rules with this content's screening settings.
  public var chainRules: ChainRules {
    ChainRules(screening: screening.settings, mentoringGraceDays: mentoring.overdueGraceDays)
  }

  /// The chain rules for a store, reading only the files they need.
  public static func chainRules(storeRoot: String?) throws(ContentError) -> ChainRules {
    ChainRules(
      screening: try ScreeningSettings.load(storeRoot: storeRoot),
      mentoringGraceDays: try MentoringProgramme.load(storeRoot: storeRoot).overdueGraceDays)
  }
}
