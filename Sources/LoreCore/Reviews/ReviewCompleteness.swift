import Foundation

/// What "complete" means for a review: an organisation setting.
///
/// A review can be complete without every follow-up done. Some organisations
/// consider the learning captured once the review is published; some want
/// every follow-up closed (done, consciously dropped as not necessary, or
/// folded into a plan); some only hold themselves to the focus follow-ups
/// the team ranked highest. Lore shows which reviews are complete and, more
/// usefully, why not — it never blocks anything on it.
public enum CompletenessRule: String, CaseIterable, Codable, Sendable {
    case published
    case allFollowUpsClosed = "all_follow_ups_closed"
    case focusClosed = "focus_closed"

    public var label: String {
        switch self {
        case .published: "When the review is published"
        case .allFollowUpsClosed: "When all follow-ups are closed"
        case .focusClosed: "When the focus follow-ups are closed"
        }
    }
}

/// Whether a review is complete under the organisation's rule, with the
/// reason in a short sentence for lists ("3 of 7 follow-ups still open").
public struct Completeness: Equatable, Sendable {
    public var isComplete: Bool
    /// Why not, or why yes: "Not published yet", "3 of 7 follow-ups still
    /// open", "2 of 5 focus follow-ups still open", "No ballot has set a
    /// focus yet", "Complete: published".
    public var reason: String

    public init(isComplete: Bool, reason: String) {
        self.isComplete = isComplete
        self.reason = reason
    }
}

public enum ReviewCompletenessCheck {
    /// Evaluates `rule` for one review.
    ///
    /// - `followUps`: the review's follow-ups. Closed means
    ///   `status.isClosed`: done, not necessary or folded into a plan all
    ///   count, because consciously deciding not to do something is an
    ///   honest end to it.
    /// - `focus`: the ids of the focus follow-ups set by the review's closed
    ///   ballot; nil when no ballot has closed yet. Ids of follow-ups not in
    ///   `followUps` (deleted since) are ignored.
    ///
    /// A review with no follow-ups at all is complete under the follow-up
    /// rule only once it has been held: before that, "nothing to close"
    /// just means nobody has written them down yet.
    public static func evaluate(rule: CompletenessRule, reviewStatus: ReviewStatus, followUps: [FollowUp], focus: Set<UUID>?) -> Completeness {
        switch rule {
        case .published:
            return reviewStatus == .published
                ? Completeness(isComplete: true, reason: "Complete: published")
                : Completeness(isComplete: false, reason: "Not published yet")

        case .allFollowUpsClosed:
            if followUps.isEmpty {
                return reviewStatus == .held || reviewStatus == .published
                    ? Completeness(isComplete: true, reason: "Complete: no follow-ups")
                    : Completeness(isComplete: false, reason: "No follow-ups recorded yet")
            }
            let open = followUps.filter { !$0.status.isClosed }.count
            return open == 0
                ? Completeness(isComplete: true, reason: "Complete: \(all(followUps.count, "follow-up")) closed")
                : Completeness(isComplete: false, reason: "\(open) of \(count(followUps.count, "follow-up")) still open")

        case .focusClosed:
            guard let focus else {
                return Completeness(isComplete: false, reason: "No ballot has set a focus yet")
            }
            let items = followUps.filter { focus.contains($0.id) }
            if items.isEmpty {
                return Completeness(isComplete: true, reason: "Complete: the ballot set no focus follow-ups")
            }
            let open = items.filter { !$0.status.isClosed }.count
            return open == 0
                ? Completeness(isComplete: true, reason: "Complete: \(all(items.count, "focus follow-up")) closed")
                : Completeness(isComplete: false, reason: "\(open) of \(count(items.count, "focus follow-up")) still open")
        }
    }

    /// "1 follow-up", "7 follow-ups".
    private static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

    /// "the follow-up", "all 7 follow-ups".
    private static func all(_ n: Int, _ noun: String) -> String { n == 1 ? "the \(noun)" : "all \(n) \(noun)s" }
}
