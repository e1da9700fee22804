// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Carnation",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "carnation", targets: ["carnation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
    ],
    targets: [
        // Residents: IDs, phones, area codes, categories, department-file decoding and merge rules (pure).
        .target(name: "Registry", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Pension rules over dated, sourced parameters (pure).
        .target(name: "Benefits", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Visit routing: VRP with time windows (pure).
        .target(name: "Routing"),
        // SHA-256, HMAC-SHA256, PBKDF2, hex/base64url and constant-time comparison (pure; no crypto package is used).
        .target(name: "Digests"),
        // System library: libespeak-ng.
        .systemLibrary(name: "CEspeakNG", pkgConfig: nil, providers: [.apt(["libespeak-ng-dev"])]),
        // Mandarin normalisation (pure), espeak-ng synthesis, audio encodings, audio cache.
        .target(name: "Speech", dependencies: ["CEspeakNG", "Digests"]),
        // SMS text and segments, gateways (SMS and voice), signed links and per-message report keys.
        .target(name: "Messaging", dependencies: ["Digests"]),
        // SQLite's process-wide settings (sqlite3_config is variadic: C, not Swift).
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The SQLite database: the only module that speaks SQL.
        .target(name: "Store", dependencies: [
            "Registry", "CSQLiteSetup", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // Use cases tying the modules together.
        .target(name: "Outreach", dependencies: [
            "Registry", "Store", "Benefits", "Messaging", "Routing", "Digests",
            .product(name: "Yams", package: "Yams"), .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // The HTTP server: team pages, outcome forms, audio, gateway callbacks, the coordinator's view.
        .target(name: "Web", dependencies: [
            "Outreach", "Store", "Registry", "Messaging", "Speech", "Digests",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Yams", package: "Yams"),
        ]),
        // The command-line tool: thin commands over Outreach.
        .executableTarget(name: "carnation", dependencies: [
            "Registry", "Store", "Outreach", "Benefits", "Routing", "Speech", "Messaging", "Web",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry"]),
        .testTarget(name: "BenefitsTests", dependencies: ["Benefits"]),
        .testTarget(name: "RoutingTests", dependencies: ["Routing"]),
        .testTarget(name: "SpeechTests", dependencies: ["Speech", "Digests"]),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging", "Digests"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Registry", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "OutreachTests", dependencies: ["Outreach", "Store", "Registry", "Benefits", "Messaging", "Routing"]),
        .testTarget(name: "WebTests", dependencies: [
            "Web", "Outreach", "Store", "Registry", "Messaging", "Speech", "Digests",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        // Store, Messaging, Outreach: the dispatch tests read the outbox, build delivery reports as Kannel would,
        // and run a Kannel-like sink (HTTPSink) in process.
        .testTarget(name: "EndToEndTests", dependencies: ["Registry", "Store", "Messaging", "Outreach"]),
    ]
)
