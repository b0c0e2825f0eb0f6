// A test helper, built only for the crash-safety test and never part of the shipped `keten`:
// saves one case in an endless loop until the test kills it with SIGKILL at a random moment.
import CaseStore
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
  FileHandle.standardError.write(Data("usage: keten-torture STORE CASE-ID\n".utf8))
  exit(64)
}
do {
  let store = try Store(root: arguments[1])
  let caseID = try CaseID(arguments[2])
  var announced = false
  while true {
    let stored = try store.load(caseID)
    var document = stored.document
    // The content is a function of the revision, so a reader can tell a torn mix.
    let next = stored.revision + 1
    document.person.preferredName = "rev-\(next)"
    document.notes = (0..<(next % 7)).map {
      Note(
        id: "n\($0 + 1)", at: document.createdAt, author: "torture",
        text: String(repeating: "rev-\(next) ", count: 50 * ($0 + 1)))
    }
    try store.save(document, basedOn: stored, by: "torture")
    if !announced {
      // The test kills only after this line, so every kill lands among saves.
      FileHandle.standardOutput.write(Data("saving\n".utf8))
      announced = true
    }
  }
} catch {
  FileHandle.standardError.write(Data("keten-torture: \(error)\n".utf8))
  exit(1)
}
