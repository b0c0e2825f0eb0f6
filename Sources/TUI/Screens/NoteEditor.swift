import Casework
import CaseStore
import Foundation

/// Writing a new note or editing one of my own.
public struct NoteEditorState: Sendable {
  public var caseID: CaseID
  /// The note being edited; nil for a new note.
  public var noteID: String?
  public var editor: TextEditor
  public var original: String
  public var top = 0

  public init(caseID: CaseID, noteID: String?, text: String) {
    self.caseID = caseID
    self.noteID = noteID
    editor = TextEditor(text, multiline: true)
    original = text
  }

  public var isDirty: Bool { editor.text != original }

  /// The document with this note added or changed.
  func apply(to document: CaseDocument, author: String, at now: Date) -> CaseDocument {
    var d = document
    let text = editor.text.trimmingCharacters(in: .whitespacesAndNewlines)
    if let noteID, let i = d.notes.firstIndex(where: { $0.id == noteID }) {
      d.notes[i].text = text
      d.notes[i].editedAt = now
    } else {
      d.addNote(text: text, author: author, at: now)
    }
    return d
  }
}

extension AppState {
  mutating func handleNoteEditor(_ key: Key) -> [Effect] {
    guard var n = noteEditor, let file = caseFile else { return [] }
    switch key {
    case .control("s"), .function(2):
      if n.editor.text.isBlank {
        showError(strings("problem.emptyNote"))
        return []
      }
      if !n.isDirty {
        noteEditor = nil
        return []
      }
      let document = n.apply(to: file.stored.document, author: user, at: now())
      return [.save(document, basedOn: file.stored, purpose: .note)]
    case .escape:
      if n.isDirty {
        overlay = .confirm(ConfirmDialog(question: strings("confirm.discardNote"), action: .discardNote))
      } else {
        noteEditor = nil
      }
      return []
    default:
      n.editor.handle(key)
      noteEditor = n
      return []
    }
  }

  func renderNoteEditor(into buffer: inout ScreenBuffer) -> (row: Int, column: Int)? {
    guard let n = noteEditor else { return nil }
    let top = 6
    let height = rows - top - 4
    let width = columns - 4
    buffer.box(row: top - 1, column: 1, height: height + 2, width: columns - 2,
      title: strings(n.noteID == nil ? "note.newTitle" : "note.editTitle"))
    let visual = n.editor.visualRows(width: width - 2)
    let cursor = n.editor.cursorPosition(width: width - 2)
    var first = min(n.top, cursor.row)
    if cursor.row >= first + height { first = cursor.row - height + 1 }
    for (i, row) in visual.dropFirst(first).prefix(height).enumerated() {
      buffer.put(String(n.editor.lines[row.line][row.range]), row: top + i, column: 3, width: width - 1)
    }
    buffer.put(strings("note.hint"), row: rows - 3, column: 2, width: columns - 4, style: .hint)
    return (top + cursor.row - first, 3 + cursor.cell)
  }
}
