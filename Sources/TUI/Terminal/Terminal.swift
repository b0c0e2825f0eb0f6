/// Where frames are shown and keys come from: ncurses in the app, a fake in tests.
public protocol Terminal: AnyObject {
  /// Rows and columns now.
  var size: (rows: Int, columns: Int) { get }
  /// Blocks until the next key or resize; nil when input has ended. While polling is on, also
  /// returns `.tick` when no key came for that long.
  func nextEvent() -> Event?
  /// Polls every `milliseconds` (nil: wait for keys only).
  func setPolling(_ milliseconds: Int?)
  /// Shows the buffer, changing only what differs from the last frame; places the cursor.
  func present(_ buffer: ScreenBuffer, cursor: (row: Int, column: Int)?)
  /// Gives the terminal back to the shell.
  func shutdown()
  /// Draws the next frame whole, whatever the terminal shows now (Ctrl-L).
  func repaint()
}

extension Terminal {
  public func setPolling(_ milliseconds: Int?) {}
  public func repaint() {}
}
