import CNCurses
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The only file that talks to ncurses: keys in, frames out.
///
/// Frames are diffed cell by cell against the previous one, so a keystroke that moves the
/// selection sends two rows, not the screen. Colours are used when the terminal has them and
/// NO_COLOR is not set; every style also has a monochrome form (bold, reverse, underline).
public final class CursesTerminal: Terminal {
  private var previous: ScreenBuffer?
  private let useColor: Bool
  private var pairs: [UInt16: Int16] = [:]
  private var nextPair: Int16 = 1

  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    setlocale(LC_ALL, "")
    CursesTerminal.installSignalHandlers()
    initscr()
    keten_mark_active(1)
    raw()
    noecho()
    nonl()
    keypad(keten_stdscr(), true)
    set_escdelay(25)
    let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
    if !noColor && has_colors() {
      start_color()
      use_default_colors()
      useColor = true
    } else {
      useColor = false
    }
    curs_set(0)
  }

  public var size: (rows: Int, columns: Int) { (Int(keten_lines()), Int(keten_cols())) }

  private var polling = false

  public func setPolling(_ milliseconds: Int?) {
    polling = milliseconds != nil
    wtimeout(keten_stdscr(), Int32(milliseconds ?? -1))
  }

  public func nextEvent() -> Event? {
    while true {
      var ch: wint_t = 0
      errno = 0
      let result = wget_wch(keten_stdscr(), &ch)
      if result == ERR {
        if errno == EINTR { continue }
        // With a timeout set, ERR is "no key yet"; input that has ended shows once polling stops.
        return polling ? .tick : nil
      }
      if result == KEY_CODE_YES {
        if Int32(ch) == KEY_RESIZE {
          previous = nil
          return .resize(rows: size.rows, columns: size.columns)
        }
        if let key = CursesTerminal.functionKey(Int32(ch)) { return .key(key) }
        continue
      }
      if let key = CursesTerminal.characterKey(UInt32(ch)) { return .key(key) }
    }
  }

  static func functionKey(_ code: Int32) -> Key? {
    switch code {
    case KEY_UP: return .up
    case KEY_DOWN: return .down
    case KEY_LEFT: return .left
    case KEY_RIGHT: return .right
    case KEY_HOME: return .home
    case KEY_END: return .end
    case KEY_NPAGE: return .pageDown
    case KEY_PPAGE: return .pageUp
    case KEY_BACKSPACE: return .backspace
    case KEY_DC: return .delete
    case KEY_BTAB: return .backTab
    case KEY_ENTER: return .enter
    case KEY_F0 + 1...KEY_F0 + 12: return .function(Int(code - KEY_F0))
    default: return nil
    }
  }

  static func characterKey(_ value: UInt32) -> Key? {
    switch value {
    case 0x1B: return .escape
    case 0x09: return .tab
    case 0x0D, 0x0A: return .enter
    case 0x7F, 0x08: return .backspace
    case 0x01...0x1A:
      return .control(Character(Unicode.Scalar(value + 0x60)!))
    default:
      guard let scalar = Unicode.Scalar(value), value >= 0x20 else { return nil }
      return .character(Character(scalar))
    }
  }

  public func present(_ buffer: ScreenBuffer, cursor: (row: Int, column: Int)?) {
    let window = keten_stdscr()
    if let old = previous, old.rows != buffer.rows || old.columns != buffer.columns {
      previous = nil
    }
    if previous == nil { wclear(window) }
    var wide: [wchar_t] = []
    for run in buffer.changes(since: previous) {
      var x = run.column
      for cell in run.cells {
        defer { x += 1 }
        if cell.text.isEmpty { continue }
        // The last cell of the last row: writing there scrolls some terminals.
        if run.row == buffer.rows - 1 && x == buffer.columns - 1 { continue }
        setStyle(cell.style, window)
        wide.removeAll(keepingCapacity: true)
        wide.append(contentsOf: cell.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) })
        wide.append(0)
        mvwaddnwstr(window, Int32(run.row), Int32(x), wide, Int32(wide.count - 1))
      }
    }
    wattrset(window, 0)
    if let cursor {
      curs_set(1)
      wmove(window, Int32(cursor.row), Int32(cursor.column))
    } else {
      curs_set(0)
    }
    wrefresh(window)
    previous = buffer
  }

  private func setStyle(_ style: Style, _ window: UnsafeMutablePointer<WINDOW>?) {
    var attributes: Int32 = 0
    if style.bold { attributes |= keten_attr_bold() }
    if style.reverse { attributes |= keten_attr_reverse() }
    if style.underline { attributes |= keten_attr_underline() }
    if style.dim { attributes |= keten_attr_dim() }
    if useColor, style.foreground != .standard || style.background != .standard {
      attributes |= keten_color_pair(Int32(pair(style.foreground, style.background)))
    }
    wattrset(window, attributes)
  }

  private func pair(_ fg: Color, _ bg: Color) -> Int16 {
    let key = UInt16(fg.rawValue) << 8 | UInt16(bg.rawValue)
    if let known = pairs[key] { return known }
    guard Int32(nextPair) < keten_color_pairs() else { return 0 }
    let number = nextPair
    nextPair += 1
    init_pair(number, cursesColor(fg), cursesColor(bg))
    pairs[key] = number
    return number
  }

  private func cursesColor(_ color: Color) -> Int16 {
    switch color {
    case .standard: return -1
    case .black: return Int16(COLOR_BLACK)
    case .red: return Int16(COLOR_RED)
    case .green: return Int16(COLOR_GREEN)
    case .yellow: return Int16(COLOR_YELLOW)
    case .blue: return Int16(COLOR_BLUE)
    case .magenta: return Int16(COLOR_MAGENTA)
    case .cyan: return Int16(COLOR_CYAN)
    case .white: return Int16(COLOR_WHITE)
    }
  }

  public func repaint() {
    previous = nil
  }

  public func shutdown() {
    CursesTerminal.restore()
  }

  /// Ends curses mode once; safe to call more than once.
  static func restore() {
    keten_endwin_if_active()
  }

  /// SIGTERM, SIGHUP and SIGINT restore the terminal and exit; crash signals restore it and
  /// then die with the original signal (so a core dump or crash report still happens).
  private static func installSignalHandlers() {
    for sig in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
      signal(sig) { number in
        keten_endwin_if_active()
        _exit(128 + number)
      }
    }
    for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
      signal(sig) { number in
        keten_endwin_if_active()
        signal(number, SIG_DFL)
        raise(number)
      }
    }
  }
}
