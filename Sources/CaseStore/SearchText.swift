import Foundation

/// Case- and diacritics-insensitive matching that works in any script.
///
/// Text is folded once (lower case, marks removed, width-folded) and kept as UTF-8 bytes, so that
/// searching 100,000 summaries is a byte search, not a Unicode comparison per case.
public enum SearchText {
  /// The folded form of `text`: "Hévé" and "HEVE" both become "heve", "Kılıç" becomes "kilic",
  /// Arabic vowel marks and hamza seats go (مُحَمَّد finds محمد, أحمد finds احمد).
  public static func fold(_ text: String) -> String {
    // ASCII folds to its lower case, byte by byte; only runs of other text take Unicode's way.
    // Splitting there changes nothing: an ASCII character is a starter that no decomposition or
    // mark reordering crosses.
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    var text = text
    text.withUTF8 { bytes in
      var i = 0
      while i < bytes.count {
        let b = bytes[i]
        if b < 0x80 {
          out.append(b >= 65 && b <= 90 ? b + 32 : b)
          i += 1
          continue
        }
        let start = i
        while i < bytes.count, bytes[i] >= 0x80 { i += 1 }
        let run = UnsafeBufferPointer(rebasing: bytes[start..<i])
        if !appendTwoByteRun(run, to: &out) {
          out.append(contentsOf: foldUnicode(String(decoding: run, as: UTF8.self)).utf8)
        }
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Folds a run made only of two-byte UTF-8 characters (U+0080 to U+07FF: Latin accents,
  /// Greek, Cyrillic, Armenian, Hebrew, Arabic) one character at a time from a table made once;
  /// false, with nothing appended, for any other run. Character by character is the same as the
  /// whole run: in this range every mark that canonical ordering could move is a non-spacing
  /// mark, which folding drops.
  private static func appendTwoByteRun(_ run: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) -> Bool {
    guard run.count % 2 == 0 else { return false }
    var i = 0
    while i < run.count {
      guard run[i] & 0xE0 == 0xC0 else { return false }
      i += 2
    }
    let table = twoByteFolds
    i = 0
    while i < run.count {
      let scalar = Int(run[i] & 0x1F) << 6 | Int(run[i + 1] & 0x3F)
      out.append(contentsOf: table[scalar - 0x80])
      i += 2
    }
    return true
  }

  /// `foldUnicode` of each character from U+0080 to U+07FF, as UTF-8.
  private static let twoByteFolds: [[UInt8]] = (0x80..<0x800).map { value in
    Array(foldUnicode(String(Unicode.Scalar(UInt32(value))!)).utf8)
  }

  /// `fold` of text in any script.
  static func foldUnicode(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.lowercased().decomposedStringWithCompatibilityMapping.unicodeScalars {
      switch scalar.properties.generalCategory {
      case .nonspacingMark, .enclosingMark, .format: continue
      default: break
      }
      switch scalar.value {
      case 0x0131: out.append("i")  // dotless i
      case 0x00F8: out.append("o")  // ø
      case 0x0142: out.append("l")  // ł
      case 0x0111: out.append("d")  // đ
      case 0x00DF: out.append(contentsOf: "ss".unicodeScalars)
      case 0x00E6: out.append(contentsOf: "ae".unicodeScalars)
      case 0x0153: out.append(contentsOf: "oe".unicodeScalars)
      case 0x0640: continue  // Arabic tatweel (kashida) is only stretching
      default: out.append(scalar)
      }
    }
    return String(out)
  }

  /// True when the folded haystack contains the folded needle (both as produced by `fold`).
  public static func contains(folded haystack: String, folded needle: String) -> Bool {
    if needle.isEmpty { return true }
    var haystack = haystack
    var needle = needle
    return haystack.withUTF8 { h in
      needle.withUTF8 { n in
        firstOffset(of: n, in: h, from: 0, to: h.count) != nil
      }
    }
  }

  /// The first offset in `from..<to` of `hay` where `needle` starts and fits before `to`, or nil.
  /// Byte search: memchr for the first byte, then memcmp (memmem is a GNU extension).
  public static func firstOffset(
    of needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from: Int, to: Int
  ) -> Int? {
    guard let h = hay.baseAddress, let n = needle.baseAddress, !needle.isEmpty else { return nil }
    let first = Int32(n[0])
    var offset = from
    let last = to - needle.count
    while offset <= last {
      guard let hit = memchr(h + offset, first, last - offset + 1) else { return nil }
      let position = h.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      if memcmp(h + position, n, needle.count) == 0 { return position }
      offset = position + 1
    }
    return nil
  }
}
