import CaseStore
import Foundation

/// Ranks mentors for a mentee. Every suggestion carries the parts of its score, so a coordinator
/// sees why a mentor comes first; the weights are data (`matching.weights`).
public struct MentorMatching: Sendable {
  /// One part of a score: its name (`profession`, `sector`, `language`, `age`, `gender`,
  /// `capacity`), the points given out of the part's weight, and what matched.
  public struct Part: Sendable, Equatable {
    public var name: String
    public var points: Int
    public var maximum: Int
    /// What the points are for (a profile or sector id, shared languages, the age gap, free places).
    public var detail: String
  }

  /// A part of a suggestion's score in words, as the app and `keten mentoring suggest` show it:
  /// "age 11/15 (mentor 32 years older)", "free places 10/20 (1/2 free)", languages by name.
  public static func words(_ p: Part, strings: Strings, skills: SkillsCatalog) -> String {
    let lang = strings.language.rawValue
    var detail = p.detail
    switch p.name {
    case "sector": detail = skills.sectorName(p.detail, lang)
    case "profession": detail = skills.profile(p.detail)?.title(lang) ?? p.detail
    case "age":
      if let gap = Int(p.detail) {
        detail = gap == 0 ? strings("suggest.sameAge") : strings(gap > 0 ? "suggest.older" : "suggest.younger", String(abs(gap)))
      } else {
        detail = strings("suggest.ageUnknown")
      }
    case "capacity":
      let parts = p.detail.split(separator: "/")
      detail = parts.count == 2 ? strings("mentors.free", String(parts[0]), String(parts[1])) : p.detail
    case "language":
      detail = p.detail.split(separator: ",").map { Languages.name($0.trimmingCharacters(in: .whitespaces), lang) }.joined(separator: ", ")
    case "gender": detail = ""
    default: break
    }
    return "\(strings("suggest.part.\(p.name)")) \(p.points)/\(p.maximum)" + (detail.isEmpty ? "" : " (\(detail))")
  }

  public struct Suggestion: Sendable, Equatable {
    public var mentor: Mentor
    public var parts: [Part]
    public var score: Int { parts.reduce(0) { $0 + $1.points } }
    public var freePlaces: Int
  }

  /// Why a mentor is not offered.
  public enum Exclusion: String, Sendable, Equatable {
    case inactive, atCapacity = "at-capacity", genderPreference = "gender-preference", currentMentor = "current-mentor"
  }

  public let programme: MentoringProgramme
  public let skills: SkillsCatalog

  public init(programme: MentoringProgramme, skills: SkillsCatalog) {
    self.programme = programme
    self.skills = skills
  }

  /// What of the mentee counts for a match.
  public struct Mentee: Sendable, Equatable {
    public var gender: Gender
    public var age: Int?
    /// The languages the person speaks, as codes (older cases' names resolved).
    public var languages: Set<String>
    /// Job-profile ids and free occupation words (lower-cased) from work experience and ambitions.
    public var occupations: Set<String>
    /// Sector ids from work experience and ambitions (also those of the occupations).
    public var sectors: Set<String>

    /// A stored language as matching compares it: its code, or an unknown name folded.
    static func languageKey(_ stored: String) -> String { Languages.code(for: stored) ?? SearchText.fold(stored) }

    public init(document d: CaseDocument, skills: SkillsCatalog, today: LocalDate) {
      gender = d.person.gender
      age = d.person.dateOfBirth.map { $0.years(until: today) }
      let f = d.screening.factual
      languages = Set((d.person.languages + f.motherTongues + f.languages.map(\.language)).filter { !$0.isEmpty }.map(Self.languageKey))
      var occupations: Set<String> = []
      var sectors: Set<String> = []
      for w in f.work {
        if !w.occupation.isEmpty { occupations.insert(w.occupation.lowercased()) }
        if !w.sector.isEmpty { sectors.insert(w.sector) }
      }
      for a in d.screening.ambitions {
        occupations.formUnion(a.occupations.map { $0.lowercased() })
        sectors.formUnion(a.sectors)
      }
      for o in occupations { if let p = skills.profile(o) { sectors.insert(p.sector) } }
      self.occupations = occupations
      self.sectors = sectors
    }
  }

  /// Mentors ranked best first, and those left out with the reason. `activePairs` counts each
  /// mentor's open pairs (from the case list).
  public func rank(
    mentee: Mentee, mentors: [Mentor], activePairs: [String: Int], currentMentor: String? = nil
  ) -> (offered: [Suggestion], excluded: [(mentor: Mentor, reason: Exclusion)]) {
    var offered: [Suggestion] = []
    var excluded: [(Mentor, Exclusion)] = []
    let w = programme.matching.weights
    for m in mentors {
      let free = m.maxMentees - (activePairs[m.id] ?? 0)
      let sameGender = m.gender == mentee.gender && m.gender != .unspecified
      if m.id == currentMentor {
        excluded.append((m, .currentMentor))
        continue
      }
      if !m.active {
        excluded.append((m, .inactive))
        continue
      }
      if free <= 0 {
        excluded.append((m, .atCapacity))
        continue
      }
      if m.sameGenderOnly && !sameGender {
        excluded.append((m, .genderPreference))
        continue
      }
      var parts: [Part] = []
      // Profession: the mentor's profile or profession is one the mentee did or wants; else the sector.
      let mentorSector = m.sector ?? m.profile.flatMap { skills.profile($0)?.sector }
      if let profile = m.profile, mentee.occupations.contains(profile.lowercased()) {
        parts.append(Part(name: "profession", points: w.profession, maximum: w.profession, detail: profile))
      } else if !m.profession.isEmpty, mentee.occupations.contains(m.profession.lowercased()) {
        parts.append(Part(name: "profession", points: w.profession, maximum: w.profession, detail: m.profession))
      } else if let sector = mentorSector, mentee.sectors.contains(sector) {
        parts.append(Part(name: "sector", points: w.sector, maximum: w.profession, detail: sector))
      } else {
        parts.append(Part(name: "profession", points: 0, maximum: w.profession, detail: ""))
      }
      let shared = m.languages.filter { mentee.languages.contains(Mentee.languageKey($0)) }
      parts.append(Part(name: "language", points: shared.isEmpty ? 0 : w.language, maximum: w.language, detail: shared.joined(separator: ", ")))
      if let age = mentee.age, let band = m.ageBand {
        let gap = band.middle - age
        let ideal = max(1, programme.matching.idealAgeGap)
        let fit = max(0, 1 - Double(abs(gap - ideal)) / Double(ideal))
        parts.append(Part(name: "age", points: Int((Double(w.age) * fit).rounded()), maximum: w.age, detail: String(gap)))
      } else {
        parts.append(Part(name: "age", points: 0, maximum: w.age, detail: ""))
      }
      parts.append(Part(name: "gender", points: sameGender ? w.gender : 0, maximum: w.gender, detail: sameGender ? m.gender.rawValue : ""))
      let capacity = Int((Double(w.capacity) * Double(free) / Double(max(1, m.maxMentees))).rounded())
      parts.append(Part(name: "capacity", points: capacity, maximum: w.capacity, detail: "\(free)/\(m.maxMentees)"))
      offered.append(Suggestion(mentor: m, parts: parts, freePlaces: free))
    }
    offered.sort {
      $0.score != $1.score ? $0.score > $1.score : $0.mentor.name.localizedStandardCompare($1.mentor.name) == .orderedAscending
    }
    return (offered, excluded)
  }

  /// The most a score can be with these weights.
  public var maximumScore: Int {
    let w = programme.matching.weights
    return w.profession + w.language + w.age + w.gender + w.capacity
  }
}
