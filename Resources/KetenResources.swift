import Foundation

/// Access to the content files in the top-level `Resources/` folder (catalogs, strings, schema,
/// demo vocabulary), copied into the build as this target's bundle.
///
/// Where they are found, first match: `$KETEN_RESOURCES`; the bundle next to the executable (a
/// build, or a binary copied with its bundle); `../share/keten` from the executable (an
/// installed keten: `PREFIX/bin/keten` with `PREFIX/share/keten`); the build's bundle. A binary
/// copied alone from `.build` finds its content wherever it was installed, instead of stopping
/// with "could not load resource bundle".
public enum KetenResources {
  static let bundleName = "Keten_KetenResources.resources"

  /// The folder holding `schema/`, `strings/`, … (or nil when there is none anywhere).
  public static let root: URL? = {
    let fm = FileManager.default
    func holdsContent(_ url: URL) -> Bool { fm.fileExists(atPath: url.appendingPathComponent("strings/en.json").path) }
    if let env = ProcessInfo.processInfo.environment["KETEN_RESOURCES"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    var folders = [executable.deletingLastPathComponent()]
    if let path = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      folders.insert(URL(fileURLWithPath: path).deletingLastPathComponent(), at: 0)
    }
    for folder in folders {
      for candidate in [folder.appendingPathComponent(bundleName), folder.appendingPathComponent("../share/keten").standardized]
      where holdsContent(candidate) {
        return candidate
      }
    }
    return nil
  }()

  /// Why the content cannot be found, for the one message the program gives before stopping.
  public static let missingMessage =
    "its content files were not found: not in $KETEN_RESOURCES, not in \(bundleName) next to the program, not in ../share/keten from it. Install keten with its content (README, \"Installing\"), or set KETEN_RESOURCES to the Resources folder."

  /// The URL of a resource file, e.g. `url("schema/case.schema.json")`.
  public static func url(_ relativePath: String) -> URL {
    (root ?? URL(fileURLWithPath: "/nonexistent/keten-resources")).appendingPathComponent(relativePath)
  }

  /// The bytes of a resource file; throws with the path when it is missing.
  public static func data(_ relativePath: String) throws -> Data {
    try Data(contentsOf: url(relativePath))
  }
}
