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

    /// The people listed, by name.
    var people: [User]
    /// Whether `people` is everyone; if not, the form shows the text field.
    var everyone: Bool

    static func load(_ store: LoreStore, teams: [String], viewer: Viewer, chosen: some Sequence<UUID?>) async throws -> PeoplePicker {
        let involved = teams + viewer.memberships.map(\.teamSlug).filter { !teams.contains($0) }
        let (people, everyone) = try await store.pickablePeople(teams: involved, chosen: chosen.compactMap { $0 } + [viewer.userID], limit: listedLimit)
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
            let typed = (form[f.typed] ?? "").split { $0 == "," || $0.isWhitespace }.map(String.init)
            if typed.isEmpty { continue }
            if f.single, typed.count > 1 {
                issues.append(FieldIssue(field: f.field, code: "several_people", message: "Name one person (a handle or an email), not \(typed.count)."))
                continue
            }
            var ids: [String] = []
            for name in typed {
                if let person = try await store.user(handleOrEmail: name) { ids.append(person.id.uuidString) }
                else { issues.append(FieldIssue(field: f.field, code: "unknown_person", message: "No one in Lore has the handle or email \"\(name)\".")) }
            }
            read.fields[f.field] = f.single ? ids : read.all(f.field) + ids
            read.fields[f.typed] = nil
        }
        if !issues.isEmpty { throw ValidationError(issues) }
        form = read
    }
}
