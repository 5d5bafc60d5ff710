import ArgumentParser
import Foundation
import LoreCore
import LoreStore

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export reviews to read outside Lore, or the whole organisation to move it.", subcommands: [ReviewFile.self, Organisation.self])

    struct ReviewFile: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "review",
            abstract: "Print a review as Markdown (its timeline table reads back with `lore import timeline`) or as a self-contained HTML page.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The review's id (shown in its address and by the API).") var id: String
        @Option(help: "md or html.") var format: Format = .md
        @Option(help: "Time zone for the incident's facts (IANA name; the timeline is always in UTC).") var timezone: String = "UTC"
        @Option(help: "Write to this file instead of standard output.") var output: String?
        @Flag(help: "For publishing outside the company: people become roles, and every internal link or host needs --replace or --keep.") var redact = false
        @Option(name: .customLong("replace"), help: "With --redact: REFERENCE=TEXT, what a link or host becomes (repeat for each).") var replacements: [String] = []
        @Option(name: .customLong("keep"), help: "With --redact: a link or host to keep as it is (repeat for each).") var kept: [String] = []
        @Option(name: .customLong("role"), help: "With --redact: NAME=ROLE, to call a person something other than the role proposed (repeat for each).") var roleNames: [String] = []

        enum Format: String, ExpressibleByArgument, CaseIterable { case md, html }

        func run() async throws {
            guard let reviewID = UUID(uuidString: id) else { throw CLIFailure(message: "\"\(id)\" is not a review id (a UUID such as 0F8FAD5B-D9CB-469F-A165-70867728950E).", code: 2) }
            guard let zone = TimeZone(identifier: timezone) else { throw CLIFailure(message: "--timezone \"\(timezone)\" is not an IANA time zone (for example Europe/Berlin).", code: 2) }
            let exportFormat = ReviewExport.Format(rawValue: format.rawValue)!
            guard redact || (replacements.isEmpty && kept.isEmpty && roleNames.isEmpty) else {
                throw CLIFailure(message: "--replace, --keep and --role only apply with --redact; without it the review is exported as it is, so nothing was exported.", code: 2)
            }
            try await data.withStore { store, _ in
                guard let document = try await store.reviewDocumentForOperator(reviewID: reviewID, timeZone: zone, now: Date()) else {
                    throw CLIFailure(message: "no review \(id).", code: 1)
                }
                var exported = document
                if redact {
                    exported = try await redacted(document, users: try await store.users())
                }
                try await store.recordAudit(AuditActor.commandLine.event(
                    .reviewExported, subjectType: "review", subjectID: reviewID.uuidString, detail: format.rawValue.uppercased() + (redact ? ", redacted" : "")))
                let text = ReviewExport.render(exported, as: exportFormat)
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

        /// The document for publishing, or a failure that lists what is
        /// still to decide (nothing is written then).
        func redacted(_ document: ReviewDocument, users: [User]) async throws -> ReviewDocument {
            let plan = ReviewRedaction.plan(document, users: users)
            /// OLD=NEW, where OLD may itself hold "=" (a URL's query): the
            /// longest name from the plan that the value starts with wins.
            func pairs(_ values: [String], option: String, known: [String]) throws -> [String: String] {
                var out: [String: String] = [:]
                for value in values {
                    if let old = known.filter({ value.hasPrefix($0 + "=") }).max(by: { $0.count < $1.count }) {
                        out[old] = String(value.dropFirst(old.count + 1))
                        continue
                    }
                    guard let eq = value.firstIndex(of: "=") else { throw CLIFailure(message: "--\(option) \"\(value)\" needs the form OLD=NEW.", code: 2) }
                    out[String(value[..<eq])] = String(value[value.index(after: eq)...])
                }
                return out
            }
            var decisions = try pairs(replacements, option: "replace", known: plan.references)
            for reference in kept { decisions[reference] = reference }
            let roles = try pairs(roleNames, option: "role", known: plan.people.map(\.name))
            do {
                return try ReviewRedaction.apply(document, users: users, roleNames: roles, decisions: decisions)
            } catch {
                var message = "decide what each internal link or host becomes before the review leaves (--replace REFERENCE=TEXT or --keep REFERENCE):\n"
                message += error.references.map { "  \($0)" }.joined(separator: "\n")
                message += "\npeople and the roles they become (change with --role NAME=ROLE):\n" + plan.people.map { "  \($0.name) → \($0.role)" }.joined(separator: "\n")
                message += "\nNothing was exported."
                throw CLIFailure(message: message, code: 2)
            }
        }
    }
}
