/// Small-count suppression for the figures a report hands to funders.
///
/// A figure is a total and its parts by gender (`total = female + male + x + unspecified`).
/// Counts from 1 to `below - 1` are masked (primary suppression, shown as `<5`). Masking one
/// part alone hides nothing: the total minus the shown parts gives it back. So, as statistics
/// offices do, further cells are masked (secondary or complementary suppression, shown as `*`)
/// — the smallest non-zero part first, the total last — until no masked cell follows from the
/// others by subtraction, whatever values the masked cells could hold.
public enum Suppression {
  public enum Cell: Equatable, Sendable {
    case shown(Int)
    /// A count from 1 to `below - 1`.
    case primary
    /// Masked to protect another cell: any count.
    case secondary

    public var isMasked: Bool { if case .shown = self { return false } else { return true } }
  }

  /// The cells of `values` (`values[0]` the total, the rest its parts) as they may be shown.
  public static func suppress(_ values: [Int], below: Int) -> [Cell] {
    var cells = values.map { (1..<below).contains($0) ? Cell.primary : .shown($0) }
    guard values.count > 1, cells.contains(where: \.isMasked) else { return cells }
    while !determined(cells, below: below).isEmpty {
      // The smallest non-zero part still shown, else any part, else the total.
      let parts = cells.indices.dropFirst().filter { !cells[$0].isMasked }
      let next =
        parts.filter { values[$0] > 0 }.min { values[$0] < values[$1] } ?? parts.first ?? (cells[0].isMasked ? nil : 0)
      guard let next else { break }
      cells[next] = .secondary
    }
    return cells
  }

  /// The masked cells whose value follows from the others (`total = Σ parts`), given that a
  /// primary cell holds 1…below-1 and a secondary cell any count from 0.
  public static func determined(_ cells: [Cell], below: Int) -> [Int] {
    let huge = 1 << 40
    // Σ a_i x_i = 0 with a_0 = -1 (the total) and a_i = +1 (the parts); known cells move right.
    func coefficient(_ i: Int) -> Int { i == 0 ? -1 : 1 }
    var constant = 0
    var ranges: [Int: ClosedRange<Int>] = [:]
    for (i, cell) in cells.enumerated() {
      switch cell {
      case .shown(let v): constant -= coefficient(i) * v
      case .primary: ranges[i] = 1...(below - 1)
      case .secondary: ranges[i] = 0...huge
      }
    }
    var out: [Int] = []
    for (j, own) in ranges {
      var low = 0
      var high = 0
      for (i, r) in ranges where i != j {
        let a = coefficient(i)
        low += min(a * r.lowerBound, a * r.upperBound)
        high += max(a * r.lowerBound, a * r.upperBound)
      }
      // a_j x_j = constant - rest
      var from = constant - high
      var to = constant - low
      if coefficient(j) < 0 { (from, to) = (-to, -from) }
      let lo = max(from, own.lowerBound)
      let hi = min(to, own.upperBound)
      if lo == hi { out.append(j) }
    }
    return out.sorted()
  }
}
