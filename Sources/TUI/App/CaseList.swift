import CaseStore
import Foundation

/// The columns of the case list, in display order.
public enum ListColumn: String, Sendable, CaseIterable {
  case id, name, centre, stages, due, worker
}

/// What narrows the case list. Closed cases are hidden unless `closed` asks for them alone.
public struct ListFilter: Sendable, Equatable {
  public var stage: ChainStage?
  public var centre: String?
  public var worker: String?
  public var mine = false
  public var overdue = false
  public var closed = false

  public init() {}

  public var isEmpty: Bool { self == ListFilter() }
}

/// The case list: every summary, and the filtered, sorted view of it the screen shows.
///
/// Built for 100,000 cases: the sort order is computed once per sort change, filters are one
/// pass over that order, and search scans the pre-folded search keys with memmem.
public struct CaseList: Sendable {
  public private(set) var all: [CaseSummary] = []
  public private(set) var damaged: [DamagedFile] = []
  /// Indices into `all`, in the current sort order, passing the filter.
  public private(set) var visible: [Int32] = []
  public private(set) var sortColumn: ListColumn = .id
  public private(set) var ascending = true
  public private(set) var filter = ListFilter()
  /// Index into `visible` of the selected row.
  public var selection = 0
  /// Index into `visible` of the first row on screen.
  public var top = 0
  private var sorted: [Int32] = []
  let today: LocalDate
  let user: String
  private var nextDue: [LocalDate?] = []
  private var overdue: [Bool] = []
  private var closed: [Bool] = []
  /// Folded display names for sorting by name, made on first use.
  private var nameKeys: [String]?
  /// Every case's folded search text, end to end, each followed by a 0 byte; case i starts at
  /// `starts[i]`. One memchr/memcmp pass over this finds all matches without touching the
  /// summaries.
  private var corpus: [UInt8] = []
  private var starts: [Int] = []
  /// The query `matches` was computed for, and per case whether it matches.
  public private(set) var searchQuery = ""
  private var matches: [Bool] = []
  /// How many visible cases match `searchQuery`.
  public private(set) var matchCount = 0
  /// Cases added, changed or removed one by one since the list was built (after saves).
  public private(set) var changes = 0
  /// True while the list shows the index as last recorded and the files are being checked.
  public var checkingFiles = false
  /// With `checkingFiles`: the list shows a database's first cases and the rest is on its way.
  public var fetchingRest = false
  /// True while there was no usable index to show (a first opening, or the rules changed) and
  /// every case file is being read; `filesRead` counts them.
  public var readingFiles = false
  public var filesRead = 0

  public init(today: LocalDate, user: String) {
    self.today = today
    self.user = user
  }

  public var selected: CaseSummary? {
    visible.indices.contains(selection) ? all[Int(visible[selection])] : nil
  }

  /// The rows hold positions in `all`: once `all` changes other than at its end, they are void
  /// until `resort` makes them again.
  private mutating func forgetRows() {
    visible = []
    sorted = []
  }

  public func summary(atRow row: Int) -> CaseSummary { all[Int(visible[row])] }
  public func nextDue(atRow row: Int) -> DueItem? { all[Int(visible[row])].nextDue(today: today) }
  public func isOverdue(atRow row: Int) -> Bool { overdue[Int(visible[row])] }

  /// Replaces the whole list (after opening the store or reloading it), keeping the selection
  /// on the same case where it is still there.
  public mutating func load(_ listing: Listing) {
    let keep = selected?.id
    all = listing.cases
    forgetRows()
    damaged = listing.damaged
    let due = all.map { $0.dueState(today: today) }
    nextDue = due.map(\.next)
    overdue = due.map(\.overdue)
    rebuildCorpus()
    resort()
    if let keep { select(keep) }
  }

  /// Puts a saved or new case's summary in place and selects it (`select: false` keeps the
  /// selection where it is: a change made elsewhere must not move the user's cursor).
  public mutating func upsert(_ summary: CaseSummary, select selecting: Bool = true) {
    changes += 1
    if let i = all.firstIndex(where: { $0.id == summary.id }) {
      all[i] = summary
      nextDue[i] = summary.nextDue(today: today)?.date
      overdue[i] = summary.isOverdue(today: today)
    } else {
      all.append(summary)
      nextDue.append(summary.nextDue(today: today)?.date)
      overdue.append(summary.isOverdue(today: today))
    }
    let keep = selected?.id
    rebuildCorpus()
    resort()
    if selecting {
      select(summary.id)
    } else if let keep {
      select(keep)
    }
  }

  public mutating func remove(_ id: CaseID) {
    changes += 1
    guard let i = all.firstIndex(where: { $0.id == id }) else { return }
    let keep = selected?.id
    all.remove(at: i)
    nextDue.remove(at: i)
    overdue.remove(at: i)
    forgetRows()
    rebuildCorpus()
    resort()
    if let keep, keep != id { select(keep) }
  }

  /// Moves the selection to case `id` if it is in view; returns whether it is.
  @discardableResult
  public mutating func select(_ id: CaseID) -> Bool {
    guard let row = visible.firstIndex(where: { all[Int($0)].id == id }) else {
      selection = min(selection, max(0, visible.count - 1))
      return false
    }
    selection = row
    return true
  }

  public mutating func sort(by column: ListColumn, ascending: Bool) {
    sortColumn = column
    self.ascending = ascending
    resort()
  }

  public mutating func setFilter(_ filter: ListFilter) {
    let keep = selected?.id
    self.filter = filter
    applyFilter()
    // The selected case stays selected when it still shows; otherwise the first match is
    // selected (and the view goes to the top), never a row left over from the old list.
    if let keep, select(keep) { return }
    selection = 0
    top = 0
  }

  /// Centres and workers that occur, for pickers.
  public func values(of column: ListColumn) -> [String] {
    var seen = Set<String>()
    for s in all {
      switch column {
      case .centre: seen.insert(s.centre)
      case .worker: seen.insert(s.caseWorker)
      default: break
      }
    }
    seen.remove("")
    return seen.sorted()
  }

  private mutating func resort() {
    let keep = selected?.id
    var order = Array(0..<Int32(all.count))
    let a = all
    let due = nextDue
    switch sortColumn {
    case .id:
      order.sort { a[Int($0)].id < a[Int($1)].id }
    case .name:
      if nameKeys == nil { nameKeys = a.map { SearchText.fold($0.displayName) } }
      let keys = nameKeys!
      order.sort { keys[Int($0)] != keys[Int($1)] ? keys[Int($0)] < keys[Int($1)] : $0 < $1 }
    case .centre, .worker:
      // Text fields are read from the summaries once, not at every comparison.
      let keys = sortColumn == .centre ? a.map(\.centre) : a.map(\.caseWorker)
      order.sort { keys[Int($0)] != keys[Int($1)] ? keys[Int($0)] < keys[Int($1)] : $0 < $1 }
    case .stages:
      let keys = a.map { s in
        ChainStage.allCases.enumerated().reduce(0) { $0 | (s.isIn($1.element) ? 1 << (3 - $1.offset) : 0) }
      }
      order.sort { keys[Int($0)] != keys[Int($1)] ? keys[Int($0)] > keys[Int($1)] : $0 < $1 }
    case .due:
      // Cases with nothing due sort last either way.
      order.sort {
        switch (due[Int($0)], due[Int($1)]) {
        case (nil, nil): return $0 < $1
        case (nil, _): return false
        case (_, nil): return true
        case (let x?, let y?): return x != y ? x < y : $0 < $1
        }
      }
    }
    if !ascending {
      if sortColumn == .due {
        let dated = order.prefix { due[Int($0)] != nil }
        order = dated.reversed() + order.dropFirst(dated.count)
      } else {
        order.reverse()
      }
    }
    sorted = order
    applyFilter()
    if let keep { select(keep) }
  }

  private mutating func applyFilter() {
    guard !filter.isEmpty else {
      let closed = self.closed
      visible = sorted.filter { !closed[Int($0)] }
      clampSelection()
      countVisibleMatches()
      return
    }
    let f = filter
    let folded = (centre: f.centre.map(SearchText.fold), worker: f.worker.map(SearchText.fold))
    defer { countVisibleMatches() }
    // Folding is the costly part of comparing; each distinct centre or worker is folded once.
    var foldedOnce: [String: String] = [:]
    func fold(_ text: String) -> String {
      if let known = foldedOnce[text] { return known }
      let f = SearchText.fold(text)
      foldedOnce[text] = f
      return f
    }
    visible = sorted.filter { i in
      let s = all[Int(i)]
      if f.closed != s.isClosed { return false }
      if let stage = f.stage, !s.isIn(stage) { return false }
      if let centre = folded.centre, fold(s.centre) != centre { return false }
      if let worker = folded.worker, fold(s.caseWorker) != worker { return false }
      if f.mine && s.caseWorker != user { return false }
      if f.overdue && !overdue[Int(i)] { return false }
      return true
    }
    clampSelection()
  }

  private mutating func clampSelection() {
    selection = max(0, min(selection, visible.count - 1))
  }

  // MARK: Search

  private mutating func rebuildCorpus() {
    closed = all.map(\.isClosed)
    nameKeys = nil
    corpus.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    starts.reserveCapacity(all.count)
    for summary in all {
      starts.append(corpus.count)
      summary.withSearchKeyBytes { corpus.append(contentsOf: $0) }
      corpus.append(0)
    }
    let query = searchQuery
    searchQuery = ""
    setSearch(query)
  }

  /// Marks the cases whose search text contains `foldedQuery` (as made by `SearchText.fold`).
  ///
  /// Typing narrows: when the query extends the previous one only earlier matches are tested.
  public mutating func setSearch(_ foldedQuery: String) {
    guard foldedQuery != searchQuery || matches.count != all.count else { return }
    let needle = Array(foldedQuery.utf8)
    if needle.isEmpty {
      matches = []
    } else if !searchQuery.isEmpty, foldedQuery.hasPrefix(searchQuery), matches.count == all.count {
      corpus.withUnsafeBufferPointer { hay in
        needle.withUnsafeBufferPointer { n in
          for i in matches.indices where matches[i] {
            let end = i + 1 < starts.count ? starts[i + 1] - 1 : hay.count - 1
            matches[i] = SearchText.firstOffset(of: n, in: hay, from: starts[i], to: end) != nil
          }
        }
      }
    } else {
      var found = [Bool](repeating: false, count: all.count)
      corpus.withUnsafeBufferPointer { hay in
        needle.withUnsafeBufferPointer { n in
          var offset = 0
          while let hit = SearchText.firstOffset(of: n, in: hay, from: offset, to: hay.count) {
            // The case holding the hit: the last start at or before it.
            var lo = 0
            var hi = starts.count - 1
            while lo < hi {
              let mid = (lo + hi + 1) / 2
              if starts[mid] <= hit { lo = mid } else { hi = mid - 1 }
            }
            found[lo] = true
            offset = lo + 1 < starts.count ? starts[lo + 1] : hay.count
          }
        }
      }
      matches = found
    }
    searchQuery = foldedQuery
    countVisibleMatches()
  }

  private mutating func countVisibleMatches() {
    guard !matches.isEmpty else {
      matchCount = 0
      return
    }
    var count = 0
    for i in visible where matches[Int(i)] { count += 1 }
    matchCount = count
  }

  /// Whether the case on `row` matches the current search.
  public func isMatch(atRow row: Int) -> Bool {
    !matches.isEmpty && matches[Int(visible[row])]
  }

  /// The row of the first visible case at or after `start` (wrapping) that matches the
  /// current search, searching forward or backward.
  public func findMatch(from start: Int, forward: Bool) -> Int? {
    let n = visible.count
    guard n > 0, !matches.isEmpty else { return nil }
    var row = ((start % n) + n) % n
    for _ in 0..<n {
      if matches[Int(visible[row])] { return row }
      row = forward ? (row + 1) % n : (row - 1 + n) % n
    }
    return nil
  }
}
