/// The eight basic terminal colours plus the terminal's own default.
public enum Color: UInt8, Sendable, Hashable, CaseIterable {
  case standard, black, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell is drawn. Every style keeps meaning without colour: selection is reverse video,
/// headings bold, errors bold, so a monochrome terminal (or NO_COLOR) stays readable.
public struct Style: Sendable, Hashable {
  public var foreground: Color = .standard
  public var background: Color = .standard
  public var bold = false
  public var reverse = false
  public var underline = false
  public var dim = false

  public init(
    foreground: Color = .standard, background: Color = .standard, bold: Bool = false,
    reverse: Bool = false, underline: Bool = false, dim: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.bold = bold
    self.reverse = reverse
    self.underline = underline
    self.dim = dim
  }

  public static let plain = Style()
  public static let title = Style(foreground: .cyan, bold: true)
  public static let heading = Style(bold: true, underline: true)
  public static let label = Style(foreground: .cyan)
  public static let hint = Style(dim: true)
  public static let selected = Style(reverse: true)
  public static let statusBar = Style(reverse: true)
  public static let error = Style(foreground: .red, bold: true)
  public static let success = Style(foreground: .green, bold: true)
  public static let warning = Style(foreground: .yellow, bold: true)
  public static let key = Style(foreground: .yellow, bold: true)
  public static let field = Style(underline: true)
  public static let focusedField = Style(reverse: true)
  public static let tabActive = Style(bold: true, reverse: true)
  public static let chip = Style(foreground: .black, background: .cyan)
  public static let dialog = Style(bold: true)

  /// The same style with reverse video added (the selected row of a list).
  public var selectedVariant: Style {
    var s = self
    s.reverse = true
    return s
  }
}
