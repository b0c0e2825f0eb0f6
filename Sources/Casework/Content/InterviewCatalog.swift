import Foundation
import KetenResources

/// The phase-1 questions asked in words (`Resources/screening/interview.json`): hard and soft
/// placement criteria and the soft-skills questions. Answers are stored under each id.
public struct InterviewCatalog: Codable, Sendable {
  public struct Question: Codable, Sendable, Equatable {
    public var id: String
    /// A short label, for forms and the CV.
    public var title: LocalizedText
    /// The question as asked.
    public var text: LocalizedText
  }

  public var format: Int
  public var hardCriteria: [Question]
  public var softCriteria: [Question]
  public var softSkills: [Question]

  public static func load() throws(ContentError) -> InterviewCatalog {
    let name = "screening/interview.json"
    let catalog = try ContentFiles.decode(InterviewCatalog.self, from: KetenResources.url(name), name: name)
    try catalog.validate(name: name)
    return catalog
  }

  public func validate(name: String) throws(ContentError) {
    if format != 1 { throw ContentError(file: name, entry: "format", problem: "format \(format) is not known; this version reads format 1.") }
    var seen: Set<String> = []
    for (list, questions) in [("hardCriteria", hardCriteria), ("softCriteria", softCriteria), ("softSkills", softSkills)] {
      if questions.isEmpty { throw ContentError(file: name, entry: list, problem: "the list is empty.") }
      for q in questions {
        if !seen.insert(q.id).inserted {
          throw ContentError(file: name, entry: "\(list) \(q.id)", problem: "the id is used twice.")
        }
        let missing = q.text.missingLanguages + q.title.missingLanguages
        if !missing.isEmpty {
          throw ContentError(file: name, entry: "\(list) \(q.id)", problem: "the text has no \(missing.joined(separator: " or ")).")
        }
      }
    }
  }
}
