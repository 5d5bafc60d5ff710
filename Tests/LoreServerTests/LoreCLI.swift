import Foundation

/// The built `lore` binary, run as a person runs it: arguments, standard
/// input, exit status and both output streams.
enum LoreCLI {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = root.appendingPathComponent(".build/debug/lore")
    /// Tests that need the binary are skipped when it has not been built,
    /// except in CI (`LORE_REQUIRE_CLI=1`), where a missing binary fails them.
    static var isBuilt: Bool {
        FileManager.default.isExecutableFile(atPath: binary.path) || ProcessInfo.processInfo.environment["LORE_REQUIRE_CLI"] == "1"
    }

    struct Run { var status: Int32; var out: String; var err: String }

    static func run(_ args: [String], stdin: String? = nil) throws -> Run {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["LORE_LOG_LEVEL"] = "error"
        p.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }
}
