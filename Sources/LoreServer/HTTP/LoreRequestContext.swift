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

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }

    /// Request bodies beyond this are refused with 413. Reviews are long,
    /// but not this long.
    public var maxUploadSize: Int { 4 * 1024 * 1024 }

    /// The signed-in user; routes behind the auth middleware always have one.
    func requireUser() throws -> User {
        guard let user else { throw LoreHTTPError(.unauthorized, code: "unauthenticated", message: "Sign in first.") }
        return user
    }
}
