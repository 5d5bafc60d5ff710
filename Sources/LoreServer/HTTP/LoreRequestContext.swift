import Hummingbird
import LoreCore
import LoreStore

/// Per-request state: who is signed in and how.
public struct LoreRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in person, set by the authentication middleware.
    public var user: User?
    /// The browser session, when signed in with a cookie (not a token).
    public var session: SessionInfo?
    /// Before sign-in: the CSRF value the sign-in form must carry, derived
    /// from the form's cookie and the servers' secret (set by the session
    /// middleware), so a client cannot choose its own cookie/field pair.
    var preSessionCSRF: String?
    /// The client's address, for sign-in throttling and the audit log.
    public let clientAddress: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// Request bodies beyond this are refused with 413. Reviews are long,
    /// but not this long.
    public var maxUploadSize: Int { 4 * 1024 * 1024 }

    /// The signed-in person as the audit log names them, with their address.
    func auditActor() throws -> AuditActor { AuditActor(try requireUser(), address: clientAddress) }

    /// The signed-in user; routes behind the auth middleware always have one.
    func requireUser() throws -> User {
        guard let user else { throw LoreHTTPError(.unauthorized, code: "unauthenticated", message: "Sign in first.") }
        return user
    }
}
