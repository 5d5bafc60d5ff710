import ArgumentParser
import Foundation
import LoreCore
import LoreServer
import LoreStore

struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage accounts.", subcommands: [Add.self, List.self, ResetPassword.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account; prints a one-time sign-in link unless a password is given.")
        @OptionGroup var data: DataOptions
        @Option(help: "Email address (used to sign in).") var email: String
        @Option(help: "Display name.") var name: String?
        @Option(help: "Handle (lowercase, digits, hyphens).") var handle: String?
        @Option(help: "admin, member, or customer_facing (reads approved customer summaries and nothing else).") var role: String = "member"
        @Flag(help: "Read the password from standard input (one line).") var passwordStdin = false
        @Option(help: "IANA time zone, e.g. Europe/Berlin.") var timeZone: String = "UTC"
        @Option(help: "Base URL for the printed link (env LORE_PUBLIC_URL).") var publicURL: String?

        func run() async throws {
            guard let role = UserRole(rawValue: role) else { throw CLIFailure(message: "--role must be admin, member or customer_facing; got \"\(self.role)\".", code: 2) }
            let password = passwordStdin ? readLine(strippingNewline: true) : nil
            try await data.withStore { store, _ in
                let user = try await store.createUser(UserInput(displayName: name, handle: handle, email: email, role: role, password: password, timeZone: timeZone))
                print("Created \(user.displayName) <\(user.email)> (\(user.role.rawValue)), id \(user.id.uuidString)")
                if password == nil {
                    let link = try await store.createSignInLink(userID: user.id, lifetime: 7 * 24 * 3600)
                    print("One-time sign-in link (valid 7 days): \(baseURL(publicURL))/signin/link/\(link)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var data: DataOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await data.withStore { store, _ in
                let users = try await store.users()
                if json {
                    printJSON(users.map(Representation.user))
                } else {
                    for u in users { print("\(u.email)\t\(u.displayName)\t@\(u.handle)\t\(u.role.rawValue)") }
                }
            }
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password",
            abstract: "Set a new password (from standard input) or print a one-time sign-in link.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The account's email.") var email: String
        @Flag(help: "Read the new password from standard input instead of printing a link.") var passwordStdin = false
        @Option(help: "Base URL for the printed link (env LORE_PUBLIC_URL).") var publicURL: String?

        func run() async throws {
            let password = passwordStdin ? readLine(strippingNewline: true) ?? "" : nil
            try await data.withStore { store, _ in
                guard let user = try await store.user(email: email) else { throw CLIFailure(message: "no account with the email \(email).", code: 1) }
                if let password {
                    try await store.setPassword(userID: user.id, password: password)
                    print("Password set for \(user.email); their sessions were signed out.")
                } else {
                    let link = try await store.createSignInLink(userID: user.id, lifetime: 24 * 3600)
                    print("One-time sign-in link for \(user.email) (valid 24 hours): \(baseURL(publicURL))/signin/link/\(link)")
                }
            }
        }
    }
}

func baseURL(_ given: String?) -> String {
    given ?? ProcessInfo.processInfo.environment["LORE_PUBLIC_URL"] ?? "http://127.0.0.1:8080"
}

struct Tokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage API tokens.", subcommands: [Create.self, Revoke.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API token; prints only the token on standard output (it is not stored).")
        @OptionGroup var data: DataOptions
        @Option(help: "Email of the token's owner.") var user: String
        @Option(help: "A name to recognise the token by.") var name: String = "cli"

        func run() async throws {
            try await data.withStore { store, _ in
                guard let u = try await store.user(email: user) else { throw CLIFailure(message: "no account with the email \(user).", code: 2) }
                let (secret, _) = try await store.createAPIToken(userID: u.id, name: name)
                print(secret)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API token by id or by the prefix shown in lists.")
        @OptionGroup var data: DataOptions
        @Argument(help: "Token id or prefix (lore_…).") var token: String

        func run() async throws {
            try await data.withStore { store, _ in
                do {
                    let t = try await store.revokeAPIToken(token)
                    print("Revoked \(t.name) (\(t.prefix)…)")
                } catch StoreError.notFound {
                    throw CLIFailure(message: "no API token matches \(token).", code: 1)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API tokens (never their secrets).")
        @OptionGroup var data: DataOptions
        @Option(help: "Only this person's tokens (email).") var user: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await data.withStore { store, _ in
                var owner: UUID?
                if let user {
                    guard let u = try await store.user(email: user) else { throw CLIFailure(message: "no account with the email \(user).", code: 2) }
                    owner = u.id
                }
                let tokens = try await store.apiTokens(userID: owner)
                if json {
                    struct Row: Encodable { var id: String, name: String, prefix: String, createdAt: String, revoked: Bool }
                    printJSON(tokens.map { Row(id: $0.id.uuidString, name: $0.name, prefix: $0.prefix, createdAt: LoreTime.iso($0.createdAt), revoked: $0.revokedAt != nil) })
                } else {
                    for t in tokens { print("\(t.id.uuidString)\t\(t.prefix)…\t\(t.name)\t\(t.revokedAt == nil ? "active" : "revoked")") }
                }
            }
        }
    }
}
