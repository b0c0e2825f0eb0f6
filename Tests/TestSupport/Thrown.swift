import Testing

/// The error of type `E` that `body` throws, or nil (recording an issue) when it throws none or
/// another kind.
public func thrown<E: Error, T>(
  _ type: E.Type, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> T
) -> E? {
  do {
    _ = try body()
    Issue.record("expected a \(E.self), but nothing was thrown", sourceLocation: sourceLocation)
  } catch let error as E {
    return error
  } catch {
    Issue.record("expected a \(E.self), got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}
