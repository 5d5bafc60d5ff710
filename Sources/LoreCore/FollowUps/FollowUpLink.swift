import Foundation

/// A follow-up tied to a later incident it would have prevented or
/// shortened: the evidence that maintenance pays, written down by the people
/// who saw the connection (a follow-up closed as not necessary, or still
/// open, when the same thing broke again).
public struct FollowUpLink: Equatable, Sendable, Codable {
    public enum Effect: String, Codable, Sendable, CaseIterable {
        case prevented, shortened

        public var label: String {
            switch self {
            case .prevented: "would have prevented"
            case .shortened: "would have shortened"
            }
        }
    }

    public var followUpID: UUID
    public var followUpTitle: String
    public var followUpStatus: FollowUpStatus
    /// The incident the follow-up came from.
    public var fromIncidentKey: String
    /// The later incident.
    public var incidentKey: String
    public var incidentTitle: String
    public var effect: Effect
    public var note: String
    public var linkedBy: String
    public var linkedAt: Date

    public init(followUpID: UUID, followUpTitle: String, followUpStatus: FollowUpStatus, fromIncidentKey: String, incidentKey: String, incidentTitle: String,
                effect: Effect, note: String, linkedBy: String, linkedAt: Date) {
        self.followUpID = followUpID
        self.followUpTitle = followUpTitle
        self.followUpStatus = followUpStatus
        self.fromIncidentKey = fromIncidentKey
        self.incidentKey = incidentKey
        self.incidentTitle = incidentTitle
        self.effect = effect
        self.note = note
        self.linkedBy = linkedBy
        self.linkedAt = linkedAt
    }
}
