/// Schema migrations, applied on read to the JSON tree; the migrated form is written on next save.
///
/// Schema 0 was the prototype's flat layout (`name`, `born`, `sex`, `stage`, notes with
/// `date`/`by`). Keys a migration does not know are left where they are, so they survive.
enum Migrations {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func migrate(_ tree: JSONValue, from version: Int) throws -> JSONValue {
    var tree = tree
    var version = version
    while version < CaseDocument.currentSchemaVersion {
      switch version {
      case 0: tree = try v0to1(tree)
      default: throw Failure(description: "schema \(version) is unknown and cannot be migrated")
      }
      version += 1
    }
    return tree
  }

  /// Schema 0 → 1: person and procedure sections, a list of stages, notes with ids and authors.
  static func v0to1(_ v0: JSONValue) throws -> JSONValue {
    guard case .object(var doc) = v0 else {
      throw Failure(description: "schema 0 document is not a JSON object")
    }
    guard let name = doc.removeValue(forKey: "name")?.stringValue else {
      throw Failure(description: "schema 0 document has no 'name'")
    }
    var person: JSONObject = ["fullName": .string(name)]
    if let born = doc.removeValue(forKey: "born") { person["dateOfBirth"] = born }
    switch doc.removeValue(forKey: "sex")?.stringValue {
    case "f": person["gender"] = .string("female")
    case "m": person["gender"] = .string("male")
    case "x": person["gender"] = .string("x")
    default: person["gender"] = .string("unspecified")
    }
    if let centre = doc.removeValue(forKey: "centre") { person["centre"] = centre }
    doc["person"] = .object(person)
    if let stage = doc.removeValue(forKey: "stage") {
      doc["stages"] = .array([stage])
    }
    let created = doc.removeValue(forKey: "created") ?? .string("1970-01-01T00:00:00Z")
    doc["createdAt"] = created
    doc["updatedAt"] = doc.removeValue(forKey: "updated") ?? created
    let author = doc.removeValue(forKey: "author") ?? .string("unknown")
    doc["createdBy"] = author
    doc["updatedBy"] = author
    if case .array(let notes)? = doc["notes"] {
      doc["notes"] = .array(
        notes.enumerated().map { index, note in
          guard case .object(var n) = note else { return note }
          n["id"] = n["id"] ?? .string("n\(index + 1)")
          if let date = n.removeValue(forKey: "date") { n["at"] = date }
          if let by = n.removeValue(forKey: "by") { n["author"] = by }
          return .object(n)
        })
    }
    doc["schemaVersion"] = .int(1)
    doc["revision"] = doc["revision"] ?? .int(0)
    return .object(doc)
  }
}
