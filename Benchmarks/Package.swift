// swift-tools-version: 6.1
// Benchmarks for Keten, kept in their own package so that `swift test` and `swift run keten`
// at the root never build the benchmark harness. Run with `swift package benchmark` here.
import PackageDescription

/// What every benchmark target links: the harness and the store with its rules and demo data.
let common: [Target.Dependency] = [
  .product(name: "Benchmark", package: "benchmark"),
  .product(name: "CaseStore", package: "Keten"),
  .product(name: "Casework", package: "Keten"),
  .product(name: "DemoData", package: "Keten"),
]

let package = Package(
  name: "KetenBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [
    .package(name: "Keten", path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
  ],
  targets: [
    .target(
      name: "BenchFixtures",
      dependencies: [
        .product(name: "CaseStore", package: "Keten"),
        .product(name: "Casework", package: "Keten"),
        .product(name: "DemoData", package: "Keten"),
      ],
      path: "Benchmarks/BenchFixtures"
    ),
    .executableTarget(
      name: "StoreBenchmarks",
      dependencies: common + ["BenchFixtures"],
      path: "Benchmarks/StoreBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    .systemLibrary(name: "CLibPQFloor", path: "Benchmarks/CLibPQFloor"),
    .executableTarget(
      name: "DatabaseBenchmarks",
      dependencies: common + ["BenchFixtures", "CLibPQFloor", .product(name: "PostgresStore", package: "Keten")],
      path: "Benchmarks/DatabaseBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    // A writer for pg-throughput.sh (20 processes saving at once, against pgbench).
    .executableTarget(
      name: "DatabaseSaveLoop",
      dependencies: ["BenchFixtures", .product(name: "CaseStore", package: "Keten"), .product(name: "PostgresStore", package: "Keten")],
      path: "Benchmarks/DatabaseSaveLoop"
    ),
    .executableTarget(
      name: "KeystrokeBenchmarks",
      dependencies: common + ["BenchFixtures", .product(name: "TUI", package: "Keten")],
      path: "Benchmarks/KeystrokeBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
  ],
  swiftLanguageModes: [.v6]
)
