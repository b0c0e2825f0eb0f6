import CaseStore
import Casework

/// Fills the screening of demo cases: phase 1 at various stages, phase-2 screenings (some
/// re-screened), skills self-assessments and consents, all synthetic.
struct DemoScreening {
  let catalog: SkillsCatalog
  let interview: InterviewCatalog
  let asOf: LocalDate

  static let fields = ["Boekhouding", "Verpleegkunde", "Elektriciteit", "Landbouw", "Informatica", "Talen", "Bouwkunde", "Handel"]
  static let schools = ["Staatsschool", "Technisch instituut", "Universiteit", "Beroepsschool"]
  static let freeOccupations = ["Kleermaker", "Imker", "Schoenmaker", "Marktkramer"]
  static let answers = [
    "Zorgde jarenlang voor drie jongere broers en zussen.",
    "Hielp de buren met boodschappen en vervoer naar de dokter.",
    "Beheerde het gezinsbudget en kookte dagelijks voor tien personen.",
    "Gaf vrijwillig les aan kinderen in het opvangkamp.",
    "Speelt voetbal in een lokale ploeg en organiseert wedstrijden.",
    "Communiceert vlot, neemt initiatief en houdt van orde.",
    "Repareert fietsen en telefoons voor vrienden.",
    "Volgde een cursus Nederlands en een EHBO-cursus.",
  ]

  func fill(_ d: inout CaseDocument, intake: LocalDate, rng: inout SplitMix64) {
    guard rng.chance(0.8) else { return }
    var f = FactualScreening()
    // At intake, or within the first days of it when the interview had to wait (an interpreter,
    // a medical appointment): the report's intake-to-phase-1 median then has something to show.
    let started = min(asOf, intake.adding(days: rng.weighted([(0, 5), (1, 2), (3, 2), (6, 1), (10, 1)])))
    f.startedOn = started
    f.updatedOn = started
    let complete = rng.chance(0.7)
    let nationality = d.person.nationality ?? ""
    let born = d.person.dateOfBirth?.year ?? 1990
    if rng.chance(0.1) {
      f.noEducation = true
    } else {
      for n in 0..<(1 + rng.next(in: 0..<2)) {
        var e = EducationEntry()
        e.isced = n == 0 ? rng.weighted([(1, 2), (2, 3), (3, 4), (4, 1), (6, 3), (7, 1)]) : rng.pick([4, 5, 6, 7])
        e.field = (e.isced ?? 0) <= 2 ? "" : rng.pick(Self.fields)
        e.school = rng.pick(Self.schools)
        e.country = nationality
        let startAge = [3, 6, 12, 15, 18, 18, 18, 22, 24][e.isced ?? 1]
        e.fromYear = min(asOf.year, born + startAge)
        e.toYear = min(asOf.year, (e.fromYear ?? born) + 4 + rng.next(in: 0..<4))
        e.diploma = rng.chance(0.7)
        if e.diploma == true {
          e.document = rng.weighted([(DocumentOnHand.original, 2), (.copy, 3), (.none, 5)])
          e.recognition = rng.weighted([(RecognitionStatus.notStarted, 4), (.requested, 3), (.recognised, 2), (.refused, 1)])
        }
        f.education.append(e)
      }
    }
    if rng.chance(0.1) {
      f.noWork = true
    } else {
      for _ in 0..<(1 + rng.next(in: 0..<2)) {
        var w = WorkEntry()
        if rng.chance(0.8) {
          let profile = rng.pick(catalog.profiles)
          w.occupation = profile.id
          w.sector = profile.sector
        } else {
          w.occupation = rng.pick(Self.freeOccupations)
        }
        w.country = rng.chance(0.85) ? nationality : "Turkije"
        let start = min(asOf.year - 1, born + 18 + rng.next(in: 0..<10))
        w.fromYear = start
        w.toYear = min(asOf.year, start + 1 + rng.next(in: 0..<8))
        w.tasks = rng.chance(0.6) ? "Zelfstandig werken, klanten helpen en materiaal bestellen." : ""
        w.employment = rng.chance(0.7) ? .employed : .selfEmployed
        f.work.append(w)
      }
    }
    f.motherTongues = Array(d.person.languages.prefix(1))
    var english = LanguageSkill(language: "en")
    let level = rng.pick([CEFRLevel.a1, .a2, .b1, .b2, .c1])
    english.listening = level
    english.reading = level
    english.spokenInteraction = level
    english.spokenProduction = level
    english.writing = level > .a1 ? rng.pick([.a1, level]) : level
    var dutch = LanguageSkill(language: "nl")
    dutch.listening = rng.pick([.notYet, .a1, .a2])
    dutch.reading = .a1
    dutch.spokenInteraction = .a1
    dutch.spokenProduction = .notYet
    dutch.writing = .notYet
    f.languages = [english, dutch]
    f.digitalLevel = rng.pick(DigitalLevel.allCases)
    f.drivingLicences = rng.chance(0.3) ? [.b] : []
    for q in interview.hardCriteria { f.hardCriteria[q.id] = rng.chance(0.15) }
    for q in interview.softCriteria { f.softCriteria[q.id] = rng.pick(Self.answers) }
    for q in interview.softSkills { f.softSkills[q.id] = rng.chance(0.8) ? rng.pick(Self.answers) : "Niets bijzonders." }
    if !complete {
      // Paused part-way: the later sections are still open.
      let pausedAt = rng.next(in: 2..<Phase1Section.allCases.count)
      let section = Phase1Section.allCases[pausedAt]
      f.resumeSection = section.rawValue
      if pausedAt <= 2 { f.languages = []; f.motherTongues = [] }
      if pausedAt <= 3 { f.digitalLevel = nil; f.drivingLicences = nil }
      if pausedAt <= 4 { f.hardCriteria = [:]; f.softCriteria = [:] }
      f.softSkills = [:]
    }
    d.screening.factual = f
    guard complete, rng.chance(0.6) else { return }
    var day = intake.adding(days: 60 + rng.next(in: 0..<60))
    var occupations = f.work.map(\.occupation)
    while day <= asOf {
      let id = d.startAmbitionScreening(on: day, by: d.createdBy)
      let i = d.screening.ambitions.firstIndex { $0.id == id }!
      var a = d.screening.ambitions[i]
      if rng.chance(0.5) || occupations.isEmpty { occupations.insert(rng.pick(catalog.profiles).id, at: 0) }
      a.occupations = Array(occupations.prefix(3))
      a.sectors = Array(Set(a.occupations.compactMap { catalog.profile($0)?.sector })).sorted()
      if a.sectors.isEmpty { a.sectors = [rng.pick(catalog.sectors).id] }
      a.regions = [rng.pick(["Antwerpen", "Gent", "Brugge", "Leuven", "Hasselt", "Mechelen"])]
      a.retraining = rng.pick(Willingness.allCases)
      a.ambitions = rng.pick([
        "Wil terug in het eigen vak werken en later een eigen zaak starten.",
        "Wil snel werken om het gezin te onderhouden, daarna een opleiding volgen.",
        "Droomt ervan verpleegkundige te worden.",
        "Wil Nederlands leren en dan werk zoeken in de bouw.",
      ])
      a.obstacles = rng.chance(0.4) ? [rng.pick(Obstacle.allCases)] : []
      let last = day.adding(months: 3) > asOf
      a.concluded = !(last && rng.chance(0.3))
      d.screening.ambitions[i] = a
      guard a.concluded, d.procedure.status == .asylumSeeker, rng.chance(0.85) else { break }
      day = day.adding(months: 3).adding(days: rng.next(in: 0..<20))
    }
    if rng.chance(0.5), let profileID = occupations.first(where: { catalog.profile($0) != nil }),
      let profile = catalog.profile(profileID)
    {
      var on = intake.adding(days: 30 + rng.next(in: 0..<30))
      var skill = rng.next(in: 0..<3)
      for _ in 0..<(1 + rng.next(in: 0..<2)) where on <= asOf {
        d.startAssessment(profile: profileID, on: on, by: d.createdBy)
        for q in profile.questions {
          d.screening.assessments[d.screening.assessments.count - 1].answers[q.id] =
            FrequencyBand.allCases[min(3, max(0, skill + rng.next(in: 0..<3) - 1))]
        }
        on = on.adding(months: 3)
        skill = min(3, skill + 1)
      }
    }
    if rng.chance(0.4) {
      d.addConsent(
        recipient: "VDAB", purpose: "bemiddeling naar werk", givenOn: min(asOf, day), how: .signed, witness: nil,
        by: d.createdBy)
    }
  }
}
