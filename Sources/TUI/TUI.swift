// The TUI module: filled by the screens.
