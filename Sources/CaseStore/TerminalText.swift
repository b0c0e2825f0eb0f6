/// Text from case files and records on its way to a terminal.
///
/// A name or a note can hold anything a hostile or careless hand put there: escape sequences that
/// retitle the window or clear the screen, a carriage return that overwrites what was printed,
/// a right-to-left override that makes `evil.txt` read as `txt.live`. Everything Keten prints
/// for people passes through `visible(_:multiline:)`, which shows each such character as a
/// visible mark instead of sending it:
///
/// - C0 controls as their control pictures (`␛` for ESC, `␇` for BEL, `␍` for CR, `␊` for a line
///   feed where one line is expected), DEL as `␡`;
/// - C1 controls, the bidirectional embeddings, overrides and isolates, and the line and
///   paragraph separators as `⟨U+202E⟩`.
///
/// Tabs become a space in a line and stay in multi-line text; newlines stay in multi-line text
/// only, so each record printed as a line stays on its own line.
public enum TerminalText {
  /// `text` with every character that could steer a terminal shown visibly.
  public static func visible(_ text: String, multiline: Bool = false) -> String {
    // Nearly all text is clean: check first, copy only when needed.
    guard text.unicodeScalars.contains(where: { isHidden($0, multiline: multiline) }) else { return text }
    var out = String.UnicodeScalarView()
    let scalars = Array(text.unicodeScalars)
    for (i, scalar) in scalars.enumerated() {
      // A CR that ends a line (CRLF, as iCalendar writes) is a line break too.
      if multiline, scalar.value == 0x0D, i + 1 < scalars.count, scalars[i + 1].value == 0x0A {
        out.append(scalar)
        continue
      }
      guard isHidden(scalar, multiline: multiline) else {
        out.append(scalar)
        continue
      }
      switch scalar.value {
      case 0x09: out.append(" ")
      case 0x00...0x1F: out.append(Unicode.Scalar(0x2400 + scalar.value)!)
      case 0x7F: out.append("\u{2421}")
      default:
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out.append(contentsOf: "⟨U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex)⟩".unicodeScalars)
      }
    }
    return String(out)
  }

  /// One record's text on one line.
  public static func line(_ text: String) -> String { visible(text, multiline: false) }

  /// Whether the text holds a character a single-line field refuses (any control character,
  /// a direction override or isolate, a line or paragraph separator).
  public static func holdsControls(_ text: String) -> Bool {
    text.unicodeScalars.contains { isHidden($0, multiline: false) }
  }

  /// Whether multi-line text (a note) holds a character other than a line break or tab that
  /// could steer a terminal.
  public static func holdsControlsBesidesLineBreaks(_ text: String) -> Bool {
    visible(text, multiline: true) != text
  }

  static func isHidden(_ s: Unicode.Scalar, multiline: Bool) -> Bool {
    switch s.value {
    case 0x0A, 0x09: return !multiline
    case 0x00...0x1F, 0x7F...0x9F: return true
    case 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0x061C: return true
    default: return false
    }
  }
}

extension String {
  /// The text as one line of a listing: line breaks, tabs and other controls shown visibly.
  public var oneLine: String { TerminalText.line(self) }
}
