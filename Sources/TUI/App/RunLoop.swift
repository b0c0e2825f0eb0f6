import CaseStore

/// Runs the app on a terminal until the user quits: event → update → effects → render → present.
public enum RunLoop {
  public static func run(_ driver: AppDriver, on terminal: Terminal) {
    defer { terminal.shutdown() }
    let size = terminal.size
    driver.send(.resize(rows: size.rows, columns: size.columns))
    // The list the index recorded shows at once; every case file is checked in the background.
    driver.startInBackground()
    driver.watchChanges()
    while driver.isRunning {
      var buffer = ScreenBuffer(rows: driver.state.rows, columns: driver.state.columns)
      let cursor = driver.state.render(into: &buffer)
      terminal.present(buffer, cursor: cursor)
      // Changes saved elsewhere (a shared database) show within a second, without a key.
      terminal.setPolling(driver.isChecking ? 50 : driver.isWatching ? 250 : nil)
      guard let event = terminal.nextEvent() else { break }
      // Ctrl-L redraws the whole screen (after another program wrote over it), on every screen.
      if case .key(.control("l")) = event {
        terminal.repaint()
        continue
      }
      driver.send(event)
      driver.collectCheck()
      driver.collectChanges()
    }
  }
}
