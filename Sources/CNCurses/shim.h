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

#endif
