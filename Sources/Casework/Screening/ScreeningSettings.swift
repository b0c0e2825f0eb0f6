import CaseStore
import Foundation
import KetenResources

/// Tunable screening rules: defaults in `Resources/screening/settings.json`, overridden per store
/// by `<store>/settings.json`.
public struct ScreeningSettings: Sendable, Equatable {
  /// Months between phase-2 screenings while the asylum procedure runs.
  public var rescreenIntervalMonths: Int

  public init(rescreenIntervalMonths: Int = 3) {
    self.rescreenIntervalMonths = rescreenIntervalMonths
  }

  /// When the next phase-2 screening is due: the last concluded one plus the interval, while the
  /// asylum procedure runs (status asylum seeker) and the case is open. Nil otherwise.
  public func rescreenDue(_ d: CaseDocument) -> LocalDate? {
    guard !d.isClosed, d.procedure.status == .asylumSeeker,
      let last = d.screening.ambitions.last(where: \.concluded)
    else { return nil }
    return last.on.adding(months: rescreenIntervalMonths)
  }

  struct File: Decodable {
    var rescreenIntervalMonths: Int?
  }

  /// The defaults, with the store's `settings.json` applied when it exists.
  public static func load(storeRoot: String?) throws(ContentError) -> ScreeningSettings {
    var settings = ScreeningSettings()
    var files = [("screening/settings.json", KetenResources.url("screening/settings.json"))]
    if let storeRoot {
      let url = URL(fileURLWithPath: storeRoot).appendingPathComponent("settings.json")
      if FileManager.default.fileExists(atPath: url.path) { files.append((url.path, url)) }
    }
    for (name, url) in files {
      let file = try ContentFiles.decode(File.self, from: url, name: name)
      if let months = file.rescreenIntervalMonths {
        guard (1...24).contains(months) else {
          throw ContentError(file: name, entry: "rescreenIntervalMonths", problem: "\(months) is not a number of months from 1 to 24.")
        }
        settings.rescreenIntervalMonths = months
      }
    }
    return settings
  }
}
