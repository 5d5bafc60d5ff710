import Foundation
import HTTPTypes
import Hummingbird
import Logging
import LoreCore
import LoreStore

/// Headers every response carries: no framing, no sniffing, scripts and
/// styles only from Lore itself.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }
}

/// One log line per request — method, route pattern, status, duration —
/// under the request's id, which the response carries as `X-Request-Id` and
/// error pages show, so a person can quote it and an operator find the line;
/// the same facts are counted for `/metrics`.
///
/// The route's pattern (`/incidents/{key}/reviews/{id}`) is logged, never the
/// path as sent: a path or query can hold an incident's words, an id or a
/// token, and none of that belongs in a log. Headers and bodies are never
/// logged.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    static let header = HTTPField.Name("X-Request-Id")!
    let metrics: LoreMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[Self.header] = context.id
            log(request, context, status: response.status.code, since: start)
            return response
        } catch {
            log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    func log(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let route = context.endpointPath ?? "(no route)"
        metrics.request(route: route, method: request.method.rawValue, status: status, duration: elapsed)
        context.logger.info("request", metadata: [
            "method": .string(request.method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(status),
            "ms": .string(String(format: "%.1f", ms)),
        ])
    }
}

/// Refuses control characters in the URL before any route sees them: a NUL
/// in a query value reached PostgreSQL as a bind and failed there (500). In
/// the path no record can match, so 404; in a query value, 422 naming the
/// parameter. The same rule as for bodies (`TextCharacters`).
struct URLTextMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let raw = request.uri.path
        let path = raw.removingPercentEncoding ?? raw
        var error: LoreHTTPError?
        if TextCharacters.firstControlCharacter(in: path) != nil {
            error = .notFound("Page")
        } else {
            for (name, value) in request.uri.queryParameters {
                if let issue = TextCharacters.issue(field: String(name), text: String(value)) {
                    error = LoreHTTPError(.unprocessableContent, code: issue.code, message: issue.message, field: issue.field)
                    break
                }
            }
        }
        guard let error else { return try await next(request, context) }
        if raw.hasPrefix("/api/") { return JSONResponse.make(error.jsonBody, status: error.status) }
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: error.message)))
    }
}

/// Loads the browser session from its cookie.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    static let cookieName = "lore_session"
    let app: LoreApp

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Self.cookieName]?.value, let session = try await app.store.session(token: token) {
            context.user = session.user
            context.session = session
        } else if let nonce = request.cookies[CSRF.cookieName]?.value {
            context.preSessionCSRF = CSRF.signInToken(nonce: nonce, secret: app.signInSecret)
        }
        return try await next(request, context)
    }
}

/// Sends people who are not signed in to the sign-in page, remembering where
/// they were going.
struct RequireSignInMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.user != nil else {
            if request.method == .get || request.method == .head {
                let target = request.uri.description
                let encoded = target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                return .redirect(to: "/signin?next=\(encoded)", type: .found)
            }
            throw LoreHTTPError(.unauthorized, code: "unauthenticated", message: "Your session has ended. Sign in again.")
        }
        return try await next(request, context)
    }
}

/// API authentication: `Authorization: Bearer lore_…`.
struct TokenAuthMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    let app: LoreApp

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let header = request.headers[.authorization] ?? ""
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer",
              let user = try await app.store.user(apiToken: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            var response = JSONResponse.make(
                LoreHTTPError(.unauthorized, code: "unauthenticated", message: "Send a valid API token as \"Authorization: Bearer <token>\". Create one on your account page or with `lore tokens create`.").jsonBody,
                status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer realm=\"lore\""
            return response
        }
        context.user = user
        return try await next(request, context)
    }
}

/// Turns errors into `{"error":{...}}` responses.
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let e = LoreHTTPError.from(error)
            if e.status == .internalServerError { context.logger.error("API request failed: \(String(reflecting: error))") }
            return JSONResponse.make(e.jsonBody, status: e.status)
        }
    }
}

/// Turns errors into an HTML error page.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    let app: LoreApp
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let e = LoreHTTPError.from(error)
            if e.status == .internalServerError { context.logger.error("Page request failed: \(String(reflecting: error))") }
            if e.status == .unauthorized {
                return .redirect(to: "/signin", type: .found)
            }
            let settings = (try? await app.store.settings()) ?? .default
            return app.views.page("error", title: e.status.reasonPhrase, context: context, settings: settings, status: e.status, values: [
                "status": e.status.code, "reason": e.status.reasonPhrase, "message": e.message, "requestId": context.id,
            ])
        }
    }
}
