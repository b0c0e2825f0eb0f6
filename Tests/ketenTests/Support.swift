import Foundation
import Testing

/// Runs the real `keten` binary built next to this test bundle.
enum Keten {
  static let binary: String = {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("keten").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/keten").path
  }()

  /// A test helper built next to the binary (never part of it).
  static func helper(_ name: String) -> String {
    URL(fileURLWithPath: binary).deletingLastPathComponent().appendingPathComponent(name).path
  }

  struct Result {
    var code: Int32
    var stdout: String
    var stderr: String
    var stdoutData: Data
  }

  /// Runs `keten args…` to completion with a private HOME and the given store.
  @discardableResult
  static func run(_ args: [String], store: String? = nil, environment: [String: String] = [:]) throws -> Result {
    try launch(binary, args + (store.map { ["--store", $0] } ?? []), environment: environment)
  }

  /// Runs `program args…` to completion, in `folder` when given, with this process's
  /// environment less `KETEN_STORE` and the variables in `cleared`, plus `environment`.
  static func launch(
    _ program: String, _ args: [String], in folder: String? = nil, environment: [String: String] = [:],
    clearing cleared: [String] = []
  ) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = args
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    var env = ProcessInfo.processInfo.environment
    env["KETEN_STORE"] = nil
    for name in cleared { env[name] = nil }
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      code: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self), stdoutData: outData)
  }
}

/// A temporary folder removed at the end of the test.
final class TempDir {
  let path: String
  init() {
    path = NSTemporaryDirectory() + "keten-e2e-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    chmod(path, 0o700)
  }
  deinit { try? FileManager.default.removeItem(atPath: path) }
  var store: String { path + "/store" }
}

/// Runs keten on a store and expects success; returns stdout, trimmed.
func ok(_ args: [String], _ dir: TempDir, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
  let r = try Keten.run(args, store: dir.store)
  #expect(r.code == 0, "keten \(args.joined(separator: " ")): \(r.stderr)", sourceLocation: sourceLocation)
  return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Runs keten on a store and expects exit `code` with one line on stderr containing `text`.
func fails(_ args: [String], _ dir: TempDir, code: Int32 = 1, saying text: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let r = try Keten.run(args, store: dir.store)
  #expect(r.code == code, "keten \(args.joined(separator: " ")) exited \(r.code)", sourceLocation: sourceLocation)
  #expect(r.stderr.contains(text), "stderr was: \(r.stderr)", sourceLocation: sourceLocation)
  #expect(r.stderr.split(separator: "\n").count == 1, "one line: \(r.stderr)", sourceLocation: sourceLocation)
}
