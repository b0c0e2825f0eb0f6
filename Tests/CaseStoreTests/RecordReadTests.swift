import Foundation
import Testing

@testable import CaseStore

/// Reading the records again (the calendar or the report opened again) reads no record file that
/// has not changed since, and every file that has: a save through the store, a hand edit of the
/// same size, a file replaced, a file removed.
@Suite struct RecordReadTests {
  @Test func onlyChangedRecordFilesAreReadAgain() throws {
    let t = try TempStore()
    var ids: [String] = []
    for n in 0..<5 { ids.append(try t.store.create(Mentor(name: "Mentor \(n)", login: "m\(n)"), by: "co").id) }
    // Files written in the same clock tick as a read are read again next time; let the tick pass.
    usleep(50_000)
    let first = t.store.recordFilesRead
    #expect(try t.store.records(Mentor.self).records.count == 5)
    #expect(t.store.recordFilesRead - first == 5)
    #expect(try t.store.records(Mentor.self).records.map(\.record.name) == (0..<5).map { "Mentor \($0)" })
    #expect(t.store.recordFilesRead - first == 5, "nothing changed: nothing read")

    // A save through the store: that file only.
    let stored = try t.store.record(Mentor.self, ids[2])
    var m = stored.record
    m.name = "Hilde"
    _ = try t.store.save(m, basedOn: stored, by: "co")
    usleep(50_000)
    #expect(try t.store.records(Mentor.self).records.map(\.record.name).contains("Hilde"))
    #expect(t.store.recordFilesRead - first == 6)

    // A hand edit in place of the same size, its modification time put back: its change time
    // still tells.
    let path = t.path + "/mentors/\(ids[0]).json"
    let before = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as! Date
    let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "Mentor 0", with: "Mentor X")
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
    try FileManager.default.setAttributes([.modificationDate: before], ofItemAtPath: path)
    usleep(50_000)
    #expect(try t.store.records(Mentor.self).records.map(\.record.name).contains("Mentor X"))
    #expect(t.store.recordFilesRead - first == 7)

    // A file removed is gone from the list; the others are not read again.
    try FileManager.default.removeItem(atPath: t.path + "/mentors/\(ids[4]).json")
    #expect(try t.store.records(Mentor.self).records.count == 4)
    #expect(t.store.recordFilesRead - first == 7)
  }
}
