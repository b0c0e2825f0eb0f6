import Foundation

/// Results filled in by concurrent workers, one slot each.
public final class Slots<Value>: @unchecked Sendable {
  private var slots: [Value?]
  private let lock = NSLock()

  public init(count: Int) { slots = Array(repeating: nil, count: count) }

  public subscript(i: Int) -> Value? {
    get { lock.withLock { slots[i] } }
    set { lock.withLock { slots[i] = newValue } }
  }

  public var values: [Value?] { lock.withLock { slots } }

  /// The results, handed over without a copy (the slots are left empty).
  public func takeAll() -> [Value?] {
    lock.withLock {
      defer { slots = [] }
      return slots
    }
  }
}
