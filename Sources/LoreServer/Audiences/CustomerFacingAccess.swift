import Foundation
import Hummingbird
import LoreCore

/// What a customer-facing account may reach: the approved customer
/// summaries, its own account and signing out. Everything else answers 404,
/// as if it did not exist, before any route runs; the store hides reviews
/// from such a viewer as well (`Viewer.readsSummariesOnly`), so a route
/// added later without thought still shows no review.
enum CustomerFacingAccess {
    static func allows(path: String, api: Bool) -> Bool {
        if api { return path == "/api/v1/summaries" || path.hasPrefix("/api/v1/summaries/") }
        return path == "/summaries" || path.hasPrefix("/summaries/") || path == "/account" || path.hasPrefix("/account/")
            || path == "/signout" || path.hasPrefix("/signin")
    }

    /// The answer for a customer-facing account at `path`, or nil to go on.
    static func refusal(for user: User?, path: String, api: Bool) -> LoreHTTPError? {
        guard let user, user.role == .customerFacing, !allows(path: path, api: api) else { return nil }
        return .notFound(api ? "Resource" : "Page")
    }
}

/// Applies `CustomerFacingAccess` once the person is known: after the
/// session (pages, whose error page it then gets) or the token (API).
struct CustomerFacingGateMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    let api: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if !api, context.user?.role == .customerFacing, request.uri.path == "/" {
            return .redirect(to: "/summaries", type: .found)
        }
        if let refusal = CustomerFacingAccess.refusal(for: context.user, path: request.uri.path, api: api) { throw refusal }
        return try await next(request, context)
    }
}
