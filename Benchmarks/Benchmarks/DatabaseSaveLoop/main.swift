import BenchFixtures
import CaseStore
import Foundation
import PostgresStore

// One of the writers of pg-throughput.sh: saves one case over and over, each save based on the
// one before (as an editing session), for SECONDS, then prints how many saves landed.
// Usage: DatabaseSaveLoop CONNINFO CASE-ID SECONDS

let arguments = CommandLine.arguments
guard arguments.count == 4, let seconds = Double(arguments[3]) else {
  FileHandle.standardError.write(Data("usage: DatabaseSaveLoop CONNINFO CASE-ID SECONDS\n".utf8))
  exit(64)
}
do {
  let store = Store(backend: try PostgresBackend(conninfo: arguments[1]), rules: try appRules())
  var stored = try store.load(try CaseID(arguments[2]))
  let end = Date().addingTimeInterval(seconds)
  var saves = 0
  while Date() < end {
    var document = stored.document
    document.person.phone = String(format: "+31 6 %08d", stored.revision)
    stored = try store.save(document, basedOn: stored, by: "bench")
    saves += 1
  }
  print(saves)
} catch {
  FileHandle.standardError.write(Data("DatabaseSaveLoop: \(error)\n".utf8))
  exit(1)
}
