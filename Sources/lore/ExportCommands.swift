import ArgumentParser
import Foundation
import LoreCore
import LoreStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export reviews to read outside Lore.", subcommands: [ReviewFile.self])

    struct ReviewFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Print a review as Markdown (its timeline table reads back with `lore import timeline`) or as a self-contained HTML page.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The review's id (shown in its address and by the API).") var id: String
        @Option(help: "md or html.") var format: Format = .md
        @Option(help: "Time zone for the incident's facts (IANA name; the timeline is always in UTC).") var timezone: String = "UTC"
        @Option(help: "Write to this file instead of standard output.") var output: String?

        enum Format: String, ExpressibleByArgument, CaseIterable { case md, html }

        func run() async throws {
            guard let reviewID = UUID(uuidString: id) else { throw CLIFailure(message: "\"\(id)\" is not a review id (a UUID such as 0F8FAD5B-D9CB-469F-A165-70867728950E).", code: 2) }
            guard let zone = TimeZone(identifier: timezone) else { throw CLIFailure(message: "--timezone \"\(timezone)\" is not an IANA time zone (for example Europe/Berlin).", code: 2) }
            let exportFormat = ReviewExport.Format(rawValue: format.rawValue)!
            try await data.withStore { store, _ in
                guard let document = try await store.reviewDocumentForOperator(reviewID: reviewID, timeZone: zone, now: Date()) else {
                    throw CLIFailure(message: "no review \(id).", code: 1)
                }
                try await store.recordAudit(AuditActor.commandLine.event(.reviewExported, subjectType: "review", subjectID: reviewID.uuidString, detail: format.rawValue.uppercased()))
                let text = ReviewExport.render(document, as: exportFormat)
                if let output {
                    do {
                        try text.write(toFile: output, atomically: true, encoding: .utf8)
                    } catch {
                        throw CLIFailure(message: "cannot write \(output): \(error.localizedDescription)", code: 1)
                    }
                } else {
                    FileHandle.standardOutput.write(Data(text.utf8))
                }
            }
        }
    }
}
