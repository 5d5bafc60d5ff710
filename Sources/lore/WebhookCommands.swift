import ArgumentParser
import Foundation
import LoreCore
import LoreServer
import LoreStore

/// Incoming webhooks. Only PagerDuty's for now; outgoing webhooks are set up
/// on the settings page or through the API.
struct Webhooks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage incoming webhook subscriptions.", subcommands: [PagerDuty.self])

    struct PagerDuty: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pagerduty",
            abstract: "PagerDuty webhook v3 subscriptions (deliveries to /hooks/pagerduty/NAME).",
            subcommands: [Add.self, SetSecret.self, List.self, Remove.self])
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a subscription and print its delivery URL.",
            discussion: "PagerDuty shows the signing secret after the webhook is created with the URL; pass it with --secret, or later with `lore webhooks pagerduty secret NAME`. Deliveries are refused until a secret is set.")
        @OptionGroup var data: DataOptions
        @Argument(help: "Name (a–z, 0–9, - and _); it becomes part of the URL.") var name: String
        @Option(help: "The signing secret PagerDuty showed for this webhook.") var secret: String?
        @Option(help: "Base URL for the printed URL (env LORE_PUBLIC_URL).") var publicURL: String?

        func run() async throws {
            try await data.withStore { store, _ in
                let s: PagerDutySubscription
                do {
                    s = try await store.addPagerDutySubscription(name: name, secret: secret)
                } catch StoreError.conflict(_, let message) {
                    throw CLIFailure(message: message, code: 2)
                }
                print("Added PagerDuty subscription \(s.name).")
                print("Delivery URL: \(baseURL(publicURL))\(s.path)")
                if !s.hasSecret {
                    print("No signing secret yet: deliveries are refused until `lore webhooks pagerduty secret \(s.name)` sets the one PagerDuty shows.")
                }
            }
        }
    }

    struct SetSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "secret", abstract: "Set or replace a subscription's signing secret (read from standard input unless given).")
        @OptionGroup var data: DataOptions
        @Argument(help: "The subscription's name.") var name: String
        @Option(help: "The secret (otherwise one line from standard input, which keeps it out of the shell history).") var secret: String?

        func run() async throws {
            let value = secret ?? readLine(strippingNewline: true)
            try await data.withStore { store, _ in
                try await store.setPagerDutySecret(name: name, secret: value)
                print("Signing secret of \(name.lowercased()) saved.")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List subscriptions.")
        @OptionGroup var data: DataOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await data.withStore { store, _ in
                let all = try await store.pagerDutySubscriptions()
                if json {
                    struct Row: Encodable {
                        var name: String, path: String, hasSecret: Bool
                        @Nullable var lastDeliveryAt: String?
                    }
                    printJSON(all.map { Row(name: $0.name, path: $0.path, hasSecret: $0.hasSecret, lastDeliveryAt: $0.lastDeliveryAt.map(LoreTime.iso)) })
                } else {
                    for s in all { print("\(s.name)\t\(s.path)\t\(s.hasSecret ? "secret set" : "NO SECRET")\tlast delivery \(s.lastDeliveryAt.map(LoreTime.iso) ?? "never")") }
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a subscription; its deliveries are refused from then on.")
        @OptionGroup var data: DataOptions
        @Argument(help: "The subscription's name.") var name: String

        func run() async throws {
            try await data.withStore { store, _ in
                guard try await store.removePagerDutySubscription(name: name) else { throw CLIFailure(message: "no PagerDuty subscription \"\(name)\".", code: 1) }
                print("Removed \(name.lowercased()).")
            }
        }
    }
}
