import Foundation
import Testing

/// Compares `text` with `Snapshots/<name>.txt`. With KETEN_RECORD_SNAPSHOTS=1 (or when the
/// file does not exist yet) the file is written and the test fails, asking for a review.
public func assertSnapshot(
  _ text: String, named name: String, extension ext: String = "txt", filePath: String = #filePath,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let url = URL(fileURLWithPath: filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots/\(name).\(ext)")
  let record = ProcessInfo.processInfo.environment["KETEN_RECORD_SNAPSHOTS"] == "1"
  guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
    try? (text + "\n").write(to: url, atomically: true, encoding: .utf8)
    Issue.record(
      Comment(rawValue: "Recorded snapshot \(name).\(ext); review it and run the tests again."),
      sourceLocation: sourceLocation)
    return
  }
  let want = expected.hasSuffix("\n") ? String(expected.dropLast()) : expected
  guard want != text else { return }
  let a = want.split(separator: "\n", omittingEmptySubsequences: false)
  let b = text.split(separator: "\n", omittingEmptySubsequences: false)
  var diff: [String] = []
  for i in 0..<max(a.count, b.count) where (i < a.count ? a[i] : "") != (i < b.count ? b[i] : "") {
    diff.append("line \(i + 1):\n- \(i < a.count ? a[i] : "")\n+ \(i < b.count ? b[i] : "")")
  }
  let shown = Array(diff.prefix(8)).joined(separator: "\n")
  Issue.record(
    Comment(rawValue: "Screen differs from \(name).\(ext) (KETEN_RECORD_SNAPSHOTS=1 re-records):\n\(shown)"),
    sourceLocation: sourceLocation)
}
