import Foundation
import Testing

/// Installing keten where staff work: the install script and the Debian package put the program
/// and its content where it finds them from any folder; a binary copied alone says what is
/// missing instead of stopping on a missing bundle.
@Suite struct InstallTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static var build: String { URL(fileURLWithPath: Keten.binary).deletingLastPathComponent().path }

  /// Runs a program to completion in `folder`, not told where Keten's content is; its exit code
  /// and output.
  static func run(_ program: String, _ args: [String], in folder: String, environment: [String: String] = [:]) throws -> (Int32, String, String) {
    let r = try Keten.launch(program, args, in: folder, environment: environment, clearing: ["KETEN_RESOURCES"])
    return (r.code, r.stdout, r.stderr)
  }

  @Test func theInstalledProgramFindsItsContentFromAnyFolder() throws {
    let temp = NSTemporaryDirectory() + "keten-install-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: temp) }
    try FileManager.default.createDirectory(atPath: temp + "/elsewhere", withIntermediateDirectories: true)
    let (code, out, err) = try Self.run(Self.root.path + "/scripts/install.sh", [temp + "/prefix", Self.build], in: Self.root.path)
    #expect(code == 0, "\(err)")
    #expect(out.contains("Installed \(temp)/prefix/bin/keten"))
    let keten = temp + "/prefix/bin/keten"
    let version = try Self.run(keten, ["--version"], in: temp + "/elsewhere")
    #expect(version.0 == 0 && !version.1.isEmpty, "\(version.2)")
    let demo = try Self.run(keten, ["demo", "--cases", "5", "--store", temp + "/store"], in: temp + "/elsewhere")
    #expect(demo.0 == 0 && demo.1.contains("5 demo cases added"), "\(demo.2)")
    // Installed again over itself: still whole.
    #expect(try Self.run(Self.root.path + "/scripts/install.sh", [temp + "/prefix", Self.build], in: Self.root.path).0 == 0)
    #expect(try Self.run(keten, ["list", "--store", temp + "/store"], in: "/").0 == 0)

    // The binary copied alone: one sentence on what is missing and how to fix it.
    try FileManager.default.copyItem(atPath: Keten.binary, toPath: temp + "/elsewhere/keten")
    let alone = try Self.run(temp + "/elsewhere/keten", ["--version"], in: temp + "/elsewhere")
    #expect(alone.0 == 1 && alone.2.hasPrefix("keten: its content files were not found") && alone.2.split(separator: "\n").count == 1, "\(alone.2)")
    // …and pointed at its content, it works.
    let pointed = try Self.run(temp + "/elsewhere/keten", ["--version"], in: "/", environment: ["KETEN_RESOURCES": temp + "/prefix/share/keten"])
    #expect(pointed.0 == 0, "\(pointed.2)")
  }

  @Test func theDebianPackageCarriesTheProgramItsContentAndItsDependencies() throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-deb") else {
      Issue.record("dpkg-deb is missing on this machine")
      return
    }
    let temp = NSTemporaryDirectory() + "keten-deb-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: temp) }
    let (code, out, err) = try Self.run(Self.root.path + "/scripts/build-deb.sh", [temp, Self.build], in: Self.root.path)
    #expect(code == 0, "\(err)")
    let deb = out.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(deb.hasSuffix(".deb"))
    let info = try Self.run("/usr/bin/dpkg-deb", ["-I", deb], in: temp)
    #expect(info.1.contains("Package: keten") && info.1.contains("Depends: libc6, libncursesw6"), "\(info.1)")
    let contents = try Self.run("/usr/bin/dpkg-deb", ["-c", deb], in: temp).1
    #expect(contents.contains("./usr/bin/keten") && contents.contains("./usr/share/keten/strings/nl.json"))
    #expect(contents.split(separator: "\n").first?.hasPrefix("drwxr-xr-x root/root") == true, "the package's root is 0755 root:root")
    // Unpacked as dpkg would install it, and run from another folder.
    #expect(try Self.run("/usr/bin/dpkg-deb", ["-x", deb, temp + "/root"], in: temp).0 == 0)
    let keten = temp + "/root/usr/bin/keten"
    #expect(try Self.run(keten, ["--version"], in: "/").0 == 0)
    let demo = try Self.run(keten, ["demo", "--cases", "3", "--store", temp + "/store"], in: "/")
    #expect(demo.0 == 0, "\(demo.2)")
  }

  /// Long commands show their progress on a terminal only: a pipe or a log gets the result alone.
  @Test func progressGoesToATerminalNeverIntoAPipe() throws {
    let dir = TempDir()
    let demo = try Keten.run(["demo", "--cases", "30"], store: dir.store)
    #expect(demo.code == 0 && demo.stderr.isEmpty && !demo.stdout.contains("\r"), "\(demo.stderr)")
    let check = try Keten.run(["check"], store: dir.store)
    #expect(check.code == 0 && check.stderr.isEmpty && !check.stdout.contains("\u{1B}"), "\(check.stderr)")
  }
}
