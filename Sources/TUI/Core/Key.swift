/// A key press, already decoded from the terminal's codes.
public enum Key: Sendable, Hashable {
  case character(Character)
  /// Ctrl plus a letter, as the lowercase letter: Ctrl-S is `.control("s")`.
  case control(Character)
  case enter, escape, tab, backTab, backspace, delete
  case up, down, left, right, home, end, pageUp, pageDown
  case function(Int)
}

/// Something the app reacts to.
public enum Event: Sendable {
  case key(Key)
  /// The terminal changed size.
  case resize(rows: Int, columns: Int)
  /// No key for a moment; sent only while work runs in the background, so its result can land.
  case tick
}
