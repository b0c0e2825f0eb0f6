import CaseStore
import Foundation

// Everything `keten` prints for people passes through `TerminalText`: case and record text can
// hold escape sequences, carriage returns or direction overrides, and none of them reaches the
// terminal raw. This `print` shadows the standard library's in this module, so no subcommand
// can forget it; machine formats that promise their bytes (`--json`) use `Swift.print`.

/// Prints like the standard `print`, with control characters shown visibly (newlines kept).
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
  let text = items.map { "\($0)" }.joined(separator: separator)
  Swift.print(TerminalText.visible(text, multiline: true), terminator: terminator)
}

/// Writes text for people to stdout, control characters shown visibly (newlines kept).
func writeOut(_ text: String) {
  fflush(nil)
  FileHandle.standardOutput.write(Data(TerminalText.visible(text, multiline: true).utf8))
}

/// Writes one message line to stderr, control characters and line breaks shown visibly.
func writeErr(_ line: String) {
  fflush(nil)
  FileHandle.standardError.write(Data((TerminalText.line(line) + "\n").utf8))
}

/// Journals a read that hands personal data to a person (a list with names, an agenda, a
/// consent list, candidates), before anything is printed: no journal line, no output.
func journalRead(_ store: Store, _ detail: String, case id: CaseID? = nil) throws {
  try store.journal.append(JournalEntry(at: Date(), user: CurrentUser.login, action: .read, caseID: id, detail: detail))
}

/// Refuses a line break or other control character in a one-line option.
func requireOneLine(_ option: String, _ value: String?) throws {
  if let value, TerminalText.holdsControls(value.trimmingCharacters(in: .whitespacesAndNewlines)) {
    throw CLIError("\(option): \(FieldProblem.controlCharacter.message)")
  }
}

/// A one-line progress report on stderr while a long command runs (`demo`, `check` on a large
/// store), only when stderr is a terminal: logs and pipes get nothing but the result.
final class TerminalProgress {
  let label: String
  let total: Int?
  private let shown = isatty(STDERR_FILENO) == 1
  private var last = Date.distantPast
  private var wrote = false

  init(_ label: String, total: Int? = nil) {
    self.label = label
    self.total = total
  }

  func update(_ done: Int) {
    guard shown, Date().timeIntervalSince(last) > 0.2 else { return }
    last = Date()
    wrote = true
    let of = total.map { " of \($0)" } ?? ""
    FileHandle.standardError.write(Data("\r\(label) \(done)\(of)\u{1B}[K".utf8))
  }

  /// Clears the line before the result is printed.
  func finish() {
    if wrote { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
  }
}
