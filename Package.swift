// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Keten",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "keten", targets: ["keten"]),
    .library(name: "CaseStore", targets: ["CaseStore"]),
    .library(name: "PostgresStore", targets: ["PostgresStore"]),
    .library(name: "Casework", targets: ["Casework"]),
    .library(name: "DemoData", targets: ["DemoData"]),
    .library(name: "TUI", targets: ["TUI"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "CNCurses",
      path: "Sources/CNCurses",
      providers: [.apt(["libncurses-dev"])]
    ),
    // Content (catalogs, strings, schemas, demo vocabulary) lives in the top-level Resources/
    // folder; this target only exposes it as a bundle.
    .target(
      name: "KetenResources",
      path: "Resources",
      exclude: ["README.md"],
      sources: ["KetenResources.swift"],
      resources: [
        .copy("schema"), .copy("demo"), .copy("strings"), .copy("skills"), .copy("screening"),
        .copy("voorwerk"), .copy("mentoring"), .copy("sustaining"), .copy("matching"), .copy("privacy"), .copy("languages"), .copy("plan"),
      ]
    ),
    .systemLibrary(
      name: "CLibPQ",
      path: "Sources/CLibPQ",
      providers: [.apt(["libpq-dev"])]
    ),
    .target(name: "CaseStore", dependencies: ["KetenResources"]),
    // The PostgreSQL store: the one module (and PG.swift the one file) that talks to libpq.
    .target(name: "PostgresStore", dependencies: ["CaseStore", "CLibPQ"]),
    .target(name: "TextCells"),
    .target(name: "Casework", dependencies: ["CaseStore", "KetenResources", "TextCells"]),
    .target(name: "DemoData", dependencies: ["CaseStore", "Casework", "KetenResources"]),
    .target(
      name: "TUI", dependencies: ["CNCurses", "CaseStore", "Casework", "KetenResources", "TextCells"]),
    .executableTarget(
      name: "keten",
      dependencies: [
        "CaseStore", "PostgresStore", "Casework", "DemoData", "TUI", "TextCells", "KetenResources",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(
      name: "CaseStoreTests", dependencies: ["CaseStore", "Casework", "DemoData", "TestSupport"],
      resources: [.copy("Fixtures")]),
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    // One contract, run on the folder store and on PostgreSQL (a throwaway cluster).
    .testTarget(
      name: "StoreContractTests", dependencies: ["CaseStore", "PostgresStore", "Casework", "DemoData", "TestSupport", "TUI"]),
    .testTarget(
      name: "CaseworkTests", dependencies: ["Casework", "CaseStore", "TestSupport", "TextCells"],
      exclude: ["Snapshots"]),
    .testTarget(
      name: "TUITests", dependencies: ["TUI", "CaseStore", "Casework", "TextCells", "TestSupport", "DemoData"], exclude: ["Snapshots"]),
    // The crash-safety test's saver: a test helper, never part of the shipped `keten`.
    .executableTarget(name: "keten-torture", dependencies: ["CaseStore"], path: "Tests/TortureSave"),
    .testTarget(
      name: "ketenTests",
      dependencies: ["keten", "keten-torture", "CaseStore", "Casework", "DemoData", "KetenResources", "TestSupport"]
    ),
  ],
  swiftLanguageModes: [.v6]
)
