import Foundation

/// How the organisation runs its review practice: what counts as a complete
/// review, who sees private reviews, when reminders go out, and how ballots
/// and follow-through checkpoints work.
public struct ReviewPracticeSettings: Equatable, Sendable, Codable {
    public var completenessRule: CompletenessRule
    /// Admins see every review, even private ones they are not part of. Off
    /// by default: a private review is private from admins too.
    public var adminsSeeAllReviews: Bool
    /// Hours before the review window closes at which a reminder goes out;
    /// 0 is "when it closes".
    public var reminderHoursBefore: [Int]
    public var ballot: BallotRules
    public var followThrough: FollowThroughSchedule

    public static let `default` = ReviewPracticeSettings(
        completenessRule: .published, adminsSeeAllReviews: false, reminderHoursBefore: [24, 0],
        ballot: .default, followThrough: .default)

    public init(completenessRule: CompletenessRule, adminsSeeAllReviews: Bool, reminderHoursBefore: [Int], ballot: BallotRules, followThrough: FollowThroughSchedule) {
        self.completenessRule = completenessRule
        self.adminsSeeAllReviews = adminsSeeAllReviews
        self.reminderHoursBefore = reminderHoursBefore
        self.ballot = ballot
        self.followThrough = followThrough
    }

    public func validated(windowHours: Int) throws(ValidationError) -> ReviewPracticeSettings {
        var issues: [FieldIssue] = []
        var copy = self
        copy.reminderHoursBefore = Array(Set(reminderHoursBefore)).sorted(by: >)
        if copy.reminderHoursBefore.count > 10 {
            issues.append(FieldIssue(field: "reminderHoursBefore", code: "too_many", message: "At most 10 reminder points."))
        }
        if let bad = copy.reminderHoursBefore.first(where: { $0 < 0 || $0 >= windowHours }) {
            issues.append(FieldIssue(field: "reminderHoursBefore", code: "out_of_range", message: "A reminder \(bad) h before the window closes must be between 0 and \(windowHours - 1) (the window is \(windowHours) h)."))
        }
        do { copy.ballot = try ballot.validated() } catch { issues += error.issues }
        do { copy.followThrough = try followThrough.validated() } catch { issues += error.issues }
        if !issues.isEmpty { throw ValidationError(issues) }
        return copy
    }
}
