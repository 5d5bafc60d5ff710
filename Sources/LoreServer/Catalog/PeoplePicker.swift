import Foundation
import LoreCore
import LoreStore

/// The people a form offers to choose from (a follow-up's owner, a review's
/// facilitator, participants and observers).
///
/// A small organisation sees everyone. In a large one a form that listed
/// every person would weigh hundreds of kilobytes and take as long to build
/// as the rest of the page, so it lists the members of the teams involved
/// and the people already chosen, and takes anyone else by handle or email
/// in a text field beside the list (Lore's pages work without scripts, so
/// there is no search-as-you-type).
struct PeoplePicker: Sendable {
    /// Up to this many people, every form lists everyone.
    static let listedLimit = 100
    /// The most people one field may name by typing, and the most chosen
    /// people a form keeps listed: more than a review's 100 participants.
    static let chosenLimit = 200

    /// The people listed, by name.
    var people: [User]
    /// Whether `people` is everyone; if not, the form shows the text field.
    var everyone: Bool

    static func load(_ store: LoreStore, teams: [String], viewer: Viewer, chosen: some Sequence<UUID?>) async throws -> PeoplePicker {
        let involved = teams + viewer.memberships.map(\.teamSlug).filter { !teams.contains($0) }
        // At most `chosenLimit` chosen people are looked up: a form posted
        // with thousands of ids gets its error page, not a statement with
        // more parameters than the database takes.
        var ids = [viewer.userID]
        for id in chosen.compactMap({ $0 }) where !ids.contains(id) && ids.count < chosenLimit { ids.append(id) }
        let (people, everyone) = try await store.pickablePeople(teams: involved, chosen: ids, limit: listedLimit)
        return PeoplePicker(people: people, everyone: everyone)
    }

    /// Template values: `value`, `label`, and `selected` for the ids in `selected`.
    func options(selected: Set<String>) -> [[String: Any]] {
        people.map { ["value": $0.id.uuidString, "label": $0.displayName, "selected": selected.contains($0.id.uuidString)] }
    }

    /// A text field where people are named by handle or email, and the
    /// list field it adds to.
    struct TypedField {
        var typed: String
        var field: String
        /// One person (an owner, a facilitator) rather than several.
        var single: Bool

        static let owner = TypedField(typed: "ownerUserOther", field: "ownerUserId", single: true)
        static let facilitator = TypedField(typed: "facilitatorOther", field: "facilitatorId", single: true)
        static let participants = TypedField(typed: "participantsOther", field: "participantIds", single: false)
        static let observers = TypedField(typed: "observersOther", field: "observerIds", single: false)
    }

    /// Reads the people typed into each field (handles or emails, separated
    /// by commas or spaces) into its list field, as if they had been picked
    /// from the list: one person replaces the choice of a single-person
    /// field, several are added to a multi-person one. Throws, changing
    /// nothing, when a name is no one's, saying which, on the list field.
    static func readTyped(_ form: inout FormData, _ fields: [TypedField], store: LoreStore) async throws {
        var issues: [FieldIssue] = []
        var read = form
        for f in fields {
            var typed: [String] = []
            for name in (form[f.typed] ?? "").split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init) where !typed.contains(name) {
                typed.append(name)
            }
            if typed.isEmpty { continue }
            if f.single, typed.count > 1 {
                issues.append(FieldIssue(field: f.field, code: "several_people", message: "Name one person by handle or email (not by their name), not \(typed.count) words."))
                continue
            }
            if typed.count > chosenLimit {
                issues.append(FieldIssue(field: f.field, code: "too_many_people", message: "Name at most \(chosenLimit) people at once, not \(typed.count)."))
                continue
            }
            let found = try await store.users(handlesOrEmails: typed)
            let unknown = typed.filter { found[$0] == nil }
            if !unknown.isEmpty {
                let list = unknown.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (unknown.count > 5 ? " and \(unknown.count - 5) more" : "")
                issues.append(FieldIssue(field: f.field, code: "unknown_person",
                                         message: "No one in Lore has the handle or email \(list)."))
                continue
            }
            let ids = typed.compactMap { found[$0]?.id.uuidString }
            read.fields[f.field] = f.single ? ids : read.all(f.field) + ids
            read.fields[f.typed] = nil
        }
        if !issues.isEmpty { throw ValidationError(issues) }
        form = read
    }
}
