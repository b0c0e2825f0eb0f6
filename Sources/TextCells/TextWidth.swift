import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// libc's wcwidth (declared here: Glibc hides it behind _XOPEN_SOURCE).
@_silgen_name("wcwidth") private func c_wcwidth(_ c: Int32) -> Int32

/// Terminal display width of text, by the same `wcwidth` rules ncurses uses to place it.
///
/// A grapheme (what the user sees as one character, e.g. "é" written as e + combining accent)
/// takes the width of its widest scalar: CJK ideographs and emoji take two cells, combining marks
/// and joiners none, everything else one.
public enum TextWidth {
  private static let localeReady: Bool = {
    // wcwidth needs a UTF-8 LC_CTYPE; the app sets the user's locale, tests get C.UTF-8.
    if let current = setlocale(LC_CTYPE, nil), String(cString: current).uppercased().contains("UTF") {
      return true
    }
    return setlocale(LC_CTYPE, "C.UTF-8") != nil
  }()

  /// Whether terminals disagree on how wide this grapheme is: an emoji with a skin tone
  /// (👍🏽), a joined sequence (👨‍🔧), or a text symbol made emoji by U+FE0F (❤️). tmux and
  /// xterm add up the widths of the parts while newer terminals draw one wide picture.
  static func isUnsettled(_ character: Character) -> Bool {
    let scalars = character.unicodeScalars
    guard scalars.count > 1 else { return false }
    return scalars.contains { $0.value == 0x200D || $0.value == 0xFE0F || (0x1F3FB...0x1F3FF).contains($0.value) }
  }

  /// What a screen draws for a grapheme: itself, or for a sequence terminals disagree on its
  /// first symbol alone (👍🏽 is drawn 👍, 👨‍🔧 is drawn 👨), so no terminal can shift the line.
  public static func drawn(_ character: Character) -> Character {
    guard isUnsettled(character), let first = character.unicodeScalars.first else { return character }
    return Character(first)
  }

  /// Cells taken by one grapheme (0, 1 or 2), as drawn (see `drawn`).
  public static func width(of character: Character) -> Int {
    _ = localeReady
    if isUnsettled(character) { return width(of: drawn(character)) }
    var widest = 0
    for scalar in character.unicodeScalars {
      let v = scalar.value
      if v < 0x7F {
        widest = max(widest, v >= 0x20 ? 1 : 0)
        continue
      }
      if scalar.properties.isEmojiPresentation {
        widest = 2
        continue
      }
      let w = Int(c_wcwidth(Int32(bitPattern: v)))
      if w > 0 { widest = max(widest, w) }
    }
    return min(widest, 2)
  }

  /// Cells taken by a string.
  public static func width(of text: some StringProtocol) -> Int {
    // ASCII text (most names, ids and dates) counts its printable bytes (DEL is not one): the
    // loop's sum (a "\r\n" pair is one character of width 0 either way) without breaking the
    // text into characters, which was most of `keten list`'s printing of 100,000 cases.
    let ascii = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
      var printable = 0
      for b in bytes {
        if b >= 0x80 { return nil }
        if b >= 0x20 && b != 0x7F { printable += 1 }
      }
      return printable
    }
    if let ascii, let ascii { return ascii }
    var total = 0
    for character in text {
      if character.isASCII {
        let v = character.asciiValue!
        total += v >= 0x20 && v != 0x7F ? 1 : 0  // DEL takes no cell, as `width(of:)` of it says
      } else {
        total += width(of: character)
      }
    }
    return total
  }

  /// The longest prefix of `text` that fits in `cells`, with "…" when cut.
  public static func truncate(_ text: String, to cells: Int) -> String {
    guard cells > 0 else { return "" }
    if width(of: text) <= cells { return text }
    var out = ""
    var used = 0
    for character in text {
      let w = width(of: character)
      if used + w > cells - 1 { break }
      out.append(character)
      used += w
    }
    return out + "…"
  }

  /// `text` cut or padded with spaces to exactly `cells` wide.
  public static func pad(_ text: String, to cells: Int) -> String {
    let cut = truncate(text, to: cells)
    return cut + String(repeating: " ", count: max(0, cells - width(of: cut)))
  }

  /// `text` right-aligned in `cells` (numbers in columns); cut when longer.
  public static func padLeft(_ text: String, to cells: Int) -> String {
    let cut = truncate(text, to: cells)
    return String(repeating: " ", count: max(0, cells - width(of: cut))) + cut
  }
}
