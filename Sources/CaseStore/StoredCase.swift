import Foundation

/// A case as read from disk: the typed document plus the exact bytes it came from.
///
/// The bytes are the basis for saving: unknown keys are recovered from them, and a save is
/// refused when the file on disk no longer holds them (someone else saved in between).
public struct StoredCase: Sendable {
  /// The document as loaded (or as just saved).
  public let document: CaseDocument
  /// The bytes on disk this document was read from or written as.
  public let bytes: Data
  /// Set when the file was of an older schema and migrated on read (written as current on save).
  public let migratedFrom: Int?
  let migratedTree: JSONValue?
  /// True when `bytes` are known to hold nothing beyond `document` (this version wrote them
  /// from it with no unknown keys to carry), so the next save need not look for any.
  let holdsOnlyKnownKeys: Bool
  /// The document's JSON tree when a save has just made it, so that the next save (of an
  /// editing session) need not encode its base again to find the changed paths.
  let tree: JSONValue?
  /// True when the document was cut down to what the user's role may see (`bytes` are then
  /// empty): it can be shown but never saved.
  public let isPartial: Bool
  /// The sections a partial view holds (all for a whole one).
  public let sections: Set<CaseSection>

  init(
    document: CaseDocument, bytes: Data, migratedFrom: Int? = nil, migratedTree: JSONValue? = nil,
    holdsOnlyKnownKeys: Bool = false, isPartial: Bool = false, sections: Set<CaseSection> = Set(CaseSection.allCases),
    tree: JSONValue? = nil
  ) {
    self.tree = tree
    self.isPartial = isPartial
    self.sections = sections
    self.document = document
    self.bytes = bytes
    self.migratedFrom = migratedFrom
    self.migratedTree = migratedTree
    self.holdsOnlyKnownKeys = holdsOnlyKnownKeys
  }

  public var id: CaseID { document.id }
  public var revision: Int { document.revision }

  /// True when a newer Keten wrote this case; it can be shown but not saved.
  public var isReadOnly: Bool { document.schemaVersion > CaseDocument.currentSchemaVersion }

  /// The JSON the user may see: the bytes on disk, or for a partial view the document as cut
  /// down to the role.
  ///
  /// A partial view holds only the keys of its sections: a withheld field is absent, never
  /// shown with an invented value (an empty list, "unspecified").
  public func visibleJSON() throws(StoreError) -> Data {
    guard isPartial else { return bytes }
    do {
      guard case .object(var top) = try CaseJSON.tree(document) else { return Data() }
      let keep = CaseSection.visibleKeys(sections)
      for key in Array(top.keys) where key != "person" && !keep.contains(key) { top[key] = nil }
      if case .object(var person)? = top["person"] {
        for key in Array(person.keys) where !keep.contains("person." + key) { person[key] = nil }
        top["person"] = .object(person)
      }
      return try JSONValue.object(top).serialized()
    } catch {
      throw .io(operation: "encode", file: document.id.fileName, errno: EINVAL)
    }
  }
}

extension StoredCase {
  /// A case read from its stored bytes, migrated when of an older schema; `.damaged` (with the
  /// position) when they do not hold one, or hold another case than `id`.
  public static func decoded(from data: Data, id: CaseID) throws(StoreError) -> StoredCase {
    let decoded = try DocumentCodec.decode(data, fileName: id.fileName)
    guard decoded.document.id == id else {
      throw .damaged(
        file: id.fileName, problem: "it holds case \(decoded.document.id), which does not match its id")
    }
    return StoredCase(
      document: decoded.document, bytes: data, migratedFrom: decoded.migratedFrom, migratedTree: decoded.migratedTree)
  }

  /// A new case as a store writes it: its bytes, which hold nothing but the document.
  public static func new(_ document: CaseDocument) throws(StoreError) -> StoredCase {
    StoredCase(document: document, bytes: try JSONValue.serializedDocument(document), holdsOnlyKnownKeys: true)
  }
}
