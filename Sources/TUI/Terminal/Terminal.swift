/// Where frames are shown and keys come from: ncurses in the app, a fake in tests.
public protocol Terminal: AnyObject {
  /// Rows and columns now.
  var size: (rows: Int, columns: Int) { get }
  /// Blocks until the next key or resize; nil when input has ended.
  func nextEvent() -> Event?
  /// Shows the buffer, changing only what differs from the last frame; places the cursor.
  func present(_ buffer: ScreenBuffer, cursor: (row: Int, column: Int)?)
  /// Gives the terminal back to the shell.
  func shutdown()
}
