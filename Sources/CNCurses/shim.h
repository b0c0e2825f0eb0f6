#ifndef KETEN_CNCURSES_SHIM_H
#define KETEN_CNCURSES_SHIM_H

// Wide-character ncurses: these must be defined before curses.h is included.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <signal.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/// The standard screen. Swift 6 refuses C globals as shared mutable state, so read it here.
static inline WINDOW *keten_stdscr(void) { return stdscr; }
/// Current terminal height in rows.
static inline int keten_lines(void) { return LINES; }
/// Current terminal width in columns.
static inline int keten_cols(void) { return COLS; }
/// Number of colours the terminal supports (0 before start_color).
static inline int keten_colors(void) { return COLORS; }
/// Display width of one wide character as the C library sees it (-1 for non-printable).
static inline int keten_wcwidth(wchar_t c) { return wcwidth(c); }

/// Attribute bits (macros in curses.h, which Swift does not import as constants).
static inline int keten_attr_bold(void) { return (int)A_BOLD; }
static inline int keten_attr_reverse(void) { return (int)A_REVERSE; }
static inline int keten_attr_underline(void) { return (int)A_UNDERLINE; }
static inline int keten_attr_dim(void) { return (int)A_DIM; }
/// The attribute bits that select colour pair `n`.
static inline int keten_color_pair(int n) { return (int)COLOR_PAIR(n); }
/// Number of colour pairs the terminal supports (0 before start_color).
static inline int keten_color_pairs(void) { return COLOR_PAIRS; }

/// Whether curses mode is on; a sig_atomic_t so signal handlers may read and clear it.
static volatile sig_atomic_t keten_curses_on = 0;
static inline void keten_mark_active(int on) { keten_curses_on = on; }
/// Leaves curses mode if it is on: used on quit and from signal handlers, so the shell gets a
/// sane terminal back whatever ends the app.
static inline void keten_endwin_if_active(void) {
  if (keten_curses_on) {
    keten_curses_on = 0;
    endwin();
  }
}

#endif
