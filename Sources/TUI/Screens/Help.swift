import TextCells
import Casework

/// The help overlay: the current screen's keys, narrowed as the user types.
public struct HelpState: Sendable {
  public var screen: ScreenKind
  /// The screen's keys that work where and when help was opened (on the case file, on the tab
  /// shown; for this case; on this form).
  public var bindings: [KeyBinding]
  /// The screen's name as its title bar says it (an interview, not "intake form").
  public var title: String?
  public var filter = TextEditor()
  public var top = 0

  /// `bindings` nil: every key the screen's table lists.
  public init(screen: ScreenKind, bindings: [KeyBinding]? = nil, title: String? = nil) {
    self.screen = screen
    self.bindings = bindings ?? KeyBindings.of(screen)
    self.title = title
  }

  /// Handles a key; false closes help.
  mutating func handle(_ key: Key) -> Bool {
    switch key {
    case .escape, .function(1): return false
    case .character("?") where filter.isEmpty: return false
    case .character("q") where filter.isEmpty: return false
    case .down: top += 1
    case .up: top = max(0, top - 1)
    default:
      filter.handle(key)
      top = 0
    }
    return true
  }

  func visibleBindings(_ strings: Strings) -> [KeyRow] {
    let commands = [.list, .caseFile, .calendar, .report].contains(screen) ? KeyBindings.commands : []
    let all = KeyBindings.rows(bindings + KeyBindings.global + commands)
    let query = filter.text.lowercased()
    guard !query.isEmpty else { return all }
    return all.filter {
      $0.shown.lowercased().contains(query) || strings($0.label).lowercased().contains(query)
    }
  }

  func render(into buffer: inout ScreenBuffer, strings: Strings) {
    let width = min(buffer.columns - 4, 76)
    let height = buffer.rows - 2
    let left = (buffer.columns - width) / 2
    buffer.box(
      row: 1, column: left, height: height, width: width,
      title: strings("help.title", title ?? strings("screen.\(screen.rawValue)")))
    buffer.put(strings("help.filter"), row: 2, column: left + 2, style: .label)
    let labelWidth = TextWidth.width(of: strings("help.filter"))
    buffer.put(filter.text, row: 2, column: left + 3 + labelWidth, width: width - labelWidth - 6, style: .field)
    let bindings = visibleBindings(strings)
    let room = height - 5
    // Long keys and long descriptions wrap onto the next lines instead of being cut.
    var lines: [(keys: String, action: String)] = []
    for b in bindings {
      let keys = wrap(b.shown, width: 24)
      let action = wrap(strings(b.label), width: width - 29)
      for i in 0..<max(keys.count, action.count) {
        lines.append((i < keys.count ? keys[i] : "", i < action.count ? action[i] : ""))
      }
    }
    let first = min(top, max(0, lines.count - room))
    for (i, line) in lines.dropFirst(first).prefix(room).enumerated() {
      buffer.put(line.keys, row: 4 + i, column: left + 2, width: 24, style: .key)
      buffer.put(line.action, row: 4 + i, column: left + 27, width: width - 29)
    }
    if bindings.isEmpty {
      buffer.put(strings("help.noMatch"), row: 4, column: left + 2, style: .hint)
    }
    buffer.put(strings("help.hint"), row: height - 1, column: left + 2, width: width - 4, style: .hint)
  }
}
