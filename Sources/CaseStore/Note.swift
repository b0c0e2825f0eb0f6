import Foundation

/// A dated free-text note in the case file, kept with its author.
public struct Note: Codable, Equatable, Sendable, Identifiable {
  /// Stable within the case (`n1`, `n2`, …); unknown keys in a note are matched by it.
  public var id: String
  public var at: Date
  /// OS login of the writer; only the writer may edit a note.
  public var author: String
  public var text: String
  public var editedAt: Date?

  public init(id: String, at: Date, author: String, text: String, editedAt: Date? = nil) {
    self.id = id
    self.at = at
    self.author = author
    self.text = text
    self.editedAt = editedAt
  }
}

extension CaseDocument {
  /// Appends a note with the next free note id and returns that id.
  @discardableResult
  public mutating func addNote(text: String, author: String, at: Date = Timestamp.now()) -> String
  {
    let used = notes.compactMap { Int($0.id.dropFirst()) }.max() ?? 0
    let id = "n\(used + 1)"
    notes.append(Note(id: id, at: at, author: author, text: text))
    return id
  }
}
