extension TextWidth {
  /// Splits text into lines of at most `width` cells at spaces; a word longer than a line is cut.
  /// Line breaks in the text are kept.
  public static func wordWrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
      var line = ""
      var used = 0
      for word in paragraph.split(separator: " ") {
        var word = String(word)
        var w = TextWidth.width(of: word)
        if used > 0, used + 1 + w > width {
          lines.append(line)
          (line, used) = ("", 0)
        }
        while w > width {
          // A word wider than the line: cut it where it fills the line.
          var head = ""
          var headWidth = 0
          for c in word {
            let cw = TextWidth.width(of: c)
            if headWidth + cw > width - used { break }
            head.append(c)
            headWidth += cw
          }
          lines.append(line + head)
          word = String(word.dropFirst(head.count))
          w = TextWidth.width(of: word)
          (line, used) = ("", 0)
        }
        if used > 0 {
          line += " "
          used += 1
        }
        line += word
        used += w
      }
      lines.append(line)
    }
    return lines
  }
}
