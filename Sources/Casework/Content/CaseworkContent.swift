import Foundation

/// Everything the screens and exports read from `Resources/` besides UI strings, loaded and
/// validated once at start-up.
public struct CaseworkContent: Sendable {
  public let skills: SkillsCatalog
  public let interview: InterviewCatalog
  public let screening: ScreeningRules

  public init(skills: SkillsCatalog, interview: InterviewCatalog, screening: ScreeningRules) {
    self.skills = skills
    self.interview = interview
    self.screening = screening
  }

  /// The shipped content, plus a store's `content/skills/` files and `settings.json`.
  public static func load(storeRoot: String?) throws(ContentError) -> CaseworkContent {
    let extra = storeRoot.map { [URL(fileURLWithPath: $0).appendingPathComponent("content/skills")] } ?? []
    let interview = try InterviewCatalog.load()
    return CaseworkContent(
      skills: try SkillsCatalog.load(extra: extra), interview: interview,
      screening: ScreeningRules(interview: interview, settings: try ScreeningSettings.load(storeRoot: storeRoot)))
  }

  /// The chain rules with this content's screening settings.
  public var chainRules: ChainRules { ChainRules(screening: screening.settings) }
}
