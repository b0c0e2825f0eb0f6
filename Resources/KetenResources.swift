import Foundation

/// Access to the content files in the top-level `Resources/` folder (catalogs, strings, schema,
/// demo vocabulary), copied into the build as this target's bundle.
public enum KetenResources {
  /// The URL of a resource file, e.g. `url("schema/case.schema.json")`.
  public static func url(_ relativePath: String) -> URL {
    Bundle.module.resourceURL!.appendingPathComponent(relativePath)
  }

  /// The bytes of a resource file; throws with the path when it is missing.
  public static func data(_ relativePath: String) throws -> Data {
    try Data(contentsOf: url(relativePath))
  }
}
