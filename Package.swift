// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "lore",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lore", targets: ["lore"]),
        .library(name: "LoreCore", targets: ["LoreCore"]),
        .library(name: "LoreImport", targets: ["LoreImport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.50.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.28.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.20.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.10.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
    ],
    targets: [
        // The domain: value types and rules. Foundation only.
        .target(name: "LoreCore"),
        // Readers for outside formats (PagerDuty, Slack, CSV, Markdown) -> LoreCore values.
        .target(
            name: "LoreImport",
            dependencies: ["LoreCore", .product(name: "Yams", package: "Yams"), .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Language/default-rules.yaml"), .copy("Language/audience-rules.yaml")]
        ),
        // Release-mode benchmarks: swift run -c release LoreBench [language|slack|webhooks]
        .executableTarget(
            name: "LoreBench",
            dependencies: [
                "LoreCore", "LoreImport", "LoreStore", "LoreServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
            ],
            path: "Benchmarks/LoreBench"
        ),
        // Persistence: Fluent models and migrations; returns LoreCore values.
        .target(
            name: "LoreStore",
            dependencies: [
                "LoreCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // HTTP: pages, JSON API, auth.
        .target(
            name: "LoreServer",
            dependencies: [
                "LoreCore", "LoreStore", "LoreImport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Templates"), .copy("Public")]
        ),
        .executableTarget(
            name: "lore",
            dependencies: [
                "LoreCore", "LoreStore", "LoreServer", "LoreImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Shared by the test targets: a fresh database per test, on SQLite and
        // (when LORE_TEST_POSTGRES_URL is set) PostgreSQL.
        .target(
            name: "LoreTestSupport",
            dependencies: ["LoreStore", "LoreCore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/LoreTestSupport"),
        .testTarget(name: "LoreCoreTests", dependencies: ["LoreCore"]),
        .testTarget(name: "LoreImportTests", dependencies: ["LoreImport", "LoreCore"]),
        .testTarget(name: "LoreStoreTests", dependencies: ["LoreStore", "LoreCore", "LoreTestSupport"]),
        .testTarget(
            name: "LoreServerTests",
            dependencies: [
                "LoreServer", "LoreStore", "LoreCore", "LoreTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // Signs ID tokens for the single sign-on tests' provider.
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                // Reads the OpenAPI document for the contract tests.
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ]
)
