import Foundation
import Hummingbird
import Logging
import LoreCore
import LoreStore
import ServiceLifecycle

/// How the server runs. Built by the `lore` command from flags and
/// environment variables; tests build it directly.
public struct LoreServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Mark session cookies `Secure` (set when Lore is served over HTTPS).
    public var secureCookies: Bool
    /// How long a browser session lasts without signing in again.
    public var sessionLifetime: TimeInterval
    /// The address people reach Lore at, for links printed to the console.
    public var publicURL: String?
    /// Run reminders and checkpoints in this process (every process sharing a
    /// database may; they coordinate through it).
    public var backgroundWork: Bool
    /// How often background work looks for due jobs.
    public var workInterval: Duration
    /// The organisation's language rules file (adds rules, changes levels,
    /// switches defaults off). A malformed file is logged; defaults are used.
    public var languageRulesFile: String?
    /// The organisation's audience rules for customer summaries (merged on
    /// `audience-rules.yaml` as the language rules are on theirs).
    public var audienceRulesFile: String?
    /// How wrong passwords slow sign-in down (tests lengthen the waits so
    /// that they do not depend on the machine's speed).
    public var signInThrottle = SignInThrottle()
    /// How many days the audit log keeps its rows.
    public var auditRetentionDays = AuditRetention.defaultDays
    /// The bearer token `GET /metrics` requires; nil leaves it switched off.
    public var metricsToken: String?
    /// Single sign-on set by flags or the environment; when set, it wins
    /// over what an admin saved in Settings (which then shows it, read-only).
    public var singleSignOn: SingleSignOnSettings?
    /// Its client secret (from the environment only).
    public var singleSignOnClientSecret: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, sessionLifetime: TimeInterval = 14 * 24 * 3600, publicURL: String? = nil, backgroundWork: Bool = false, workInterval: Duration = .seconds(5)) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.publicURL = publicURL
        self.backgroundWork = backgroundWork
        self.workInterval = workInterval
    }

    /// The base URL for links.
    public var baseURL: String { publicURL ?? "http://\(host == "0.0.0.0" ? "localhost" : host):\(port)" }
}

/// Everything a handler needs, built once at start.
struct LoreApp: Sendable {
    let database: LoreDatabase
    let store: LoreStore
    let views: Views
    let configuration: LoreServerConfiguration
    let language: LanguageSupport
    /// Binds the sign-in form's CSRF field to its cookie (shared by every
    /// server on the database).
    let signInSecret: String
    let signIns: SignInGuard
    let dashboardFacts = DashboardFactsCache()
    let metrics: LoreMetrics
    /// The jargon rules for customer summaries, read once at start.
    let audienceRules: [LanguageRule]
    let openID = OpenIDProvider()

    /// Single sign-on as it applies now: the configuration's, else the
    /// admin's from Settings; and the client secret to present.
    func singleSignOn() async throws -> (settings: SingleSignOnSettings, clientSecret: String?) {
        if let configured = configuration.singleSignOn { return (configured, configuration.singleSignOnClientSecret) }
        let saved = try await store.singleSignOn()
        return (saved.settings, saved.clientSecret)
    }
}

/// Builds the web application over an open, migrated database.
public func buildApplication(
    database: LoreDatabase, store: LoreStore? = nil, configuration: LoreServerConfiguration, logger: Logger = Logger(label: "lore")
) async throws -> some ApplicationProtocol {
    let language = try LanguageSupport.load(rulesFile: configuration.languageRulesFile, logger: Logger(label: "lore.language"))
    let metrics = LoreMetrics()
    let router = try await makeRouter(database: database, store: store, configuration: configuration, language: language, metrics: metrics)
    var services: [any ServiceLifecycle.Service] = []
    if configuration.backgroundWork {
        services.append(BackgroundWork(store: store ?? database.store, interval: configuration.workInterval, logger: logger, auditRetentionDays: configuration.auditRetentionDays,
                                       publicURL: configuration.publicURL ?? configuration.baseURL, language: language, metrics: metrics))
    }
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Lore"),
        services: services,
        logger: logger
    )
}

/// Builds the router: pages, the JSON API and health. Exposed so that tests
/// can list the registered routes against the OpenAPI document.
public func buildRouter(
    database: LoreDatabase, store: LoreStore? = nil, configuration: LoreServerConfiguration, language: LanguageSupport? = nil
) async throws -> Router<LoreRequestContext> {
    try await makeRouter(database: database, store: store, configuration: configuration, language: language, metrics: LoreMetrics())
}

/// The router, counting into `metrics` (shared with the background work of
/// the same server).
func makeRouter(
    database: LoreDatabase, store: LoreStore?, configuration: LoreServerConfiguration, language: LanguageSupport?, metrics: LoreMetrics
) async throws -> Router<LoreRequestContext> {
    let app = LoreApp(
        database: database, store: store ?? database.store, views: try await Views.load(), configuration: configuration,
        language: try language ?? LanguageSupport.load(rulesFile: configuration.languageRulesFile, logger: Logger(label: "lore.language")),
        signInSecret: try await (store ?? database.store).signInFormSecret(), signIns: SignInGuard(throttle: configuration.signInThrottle), metrics: metrics,
        audienceRules: try LanguageSupport.loadAudienceRules(configuration.audienceRulesFile, logger: Logger(label: "lore.language")))
    let router = Router(context: LoreRequestContext.self)
    router.add(middleware: RequestLogMiddleware(metrics: app.metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: URLTextMiddleware())

    router.get("/healthz") { _, _ in
        let ok = await app.database.ping()
        return JSONResponse.make(HealthJSON(status: ok ? "ok" : "unavailable", database: ok ? "reachable" : "unreachable"), status: ok ? .ok : .serviceUnavailable)
    }
    LoreMetrics.register(on: router, app: app)
    router.get("/static/lore.css") { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = "text/css; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: app.views.stylesheet)))
    }
    router.get("/static/paste-tables.js") { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = "text/javascript; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: app.views.pasteTablesScript)))
    }

    // Deliveries from PagerDuty and GitHub: no session, no token; the signature decides.
    PagerDutyHooks(app: app).register(on: router)
    IssueTrackerRoutes(app: app).registerWebhook(on: router)
    IssueTrackerRoutes(app: app).registerJiraWebhook(on: router)

    // Pages: signed-in browser sessions, CSRF on every form.
    let pages = router.group()
        .add(middleware: SessionMiddleware(app: app))
        .add(middleware: PageErrorMiddleware(app: app))
        .add(middleware: CustomerFacingGateMiddleware(api: false))
    SignInPages(app: app).register(on: pages)
    SingleSignOnPages(app: app).register(on: pages)
    let signedIn = pages.group().add(middleware: RequireSignInMiddleware()).add(middleware: DashboardFreshnessMiddleware(app: app))
    IncidentPages(app: app).register(on: signedIn)
    ReviewPages(app: app).register(on: signedIn)
    DashboardPage(app: app).register(on: signedIn)
    TimelineImportPages(app: app).register(on: signedIn)
    AccountPages(app: app).register(on: signedIn)
    SettingsPages(app: app).register(on: signedIn)
    PagerDutySettingsPages(app: app).register(on: signedIn)
    AuditPages(app: app).register(on: signedIn)
    InsightsPages(app: app).register(on: signedIn)
    SearchPages(app: app).register(on: signedIn)
    ServicePages(app: app).register(on: signedIn)
    TeamDigestPages(app: app).register(on: signedIn)
    CustomerSummaryPages(app: app).register(on: signedIn)
    MaintenancePages(app: app).register(on: signedIn)
    // Anything else is a proper 404 page, not an empty response.
    pages.get("**") { _, _ -> Response in throw LoreHTTPError.notFound("Page") }

    // The API's description is public: clients and tools read it before
    // they hold a token.
    router.get("api/v1/openapi.yaml") { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = "application/yaml; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: app.views.openAPIDocument)))
    }

    // JSON API: bearer tokens only, so no cookie can be replayed by a
    // cross-site request.
    let api = router.group("api/v1")
        .add(middleware: APIErrorMiddleware())
        .add(middleware: TokenAuthMiddleware(app: app))
        .add(middleware: CustomerFacingGateMiddleware(api: true))
        .add(middleware: DashboardFreshnessMiddleware(app: app))
    IncidentAPI(app: app).register(on: api)
    ReviewAPI(app: app).register(on: api)
    CatalogAPI(app: app).register(on: api)
    WebhookAPI(app: app).register(on: api)
    DashboardPage(app: app).registerAPI(on: api)
    LanguageAPI(app: app).register(on: api)
    AuditPages(app: app).registerAPI(on: api)
    InsightsPages(app: app).registerAPI(on: api)
    SearchPages(app: app).registerAPI(on: api)
    TeamDigestPages(app: app).registerAPI(on: api)
    CustomerSummaryPages(app: app).registerAPI(on: api)
    MaintenancePages(app: app).registerAPI(on: api)
    // What no route took: under /api/v1, a path the API has with a method
    // it does not take is 405 with the methods it does take; anything else
    // is a JSON 404. Added last, this wraps only the router's not-found
    // answer (Hummingbird builds each route's middleware when it is added).
    router.add(middleware: APIFallbackMiddleware(table: APIRouteTable(router.routes.compactMap { route in
        let path = route.path.description
        return path.hasPrefix("/api/v1/") && !path.contains("*") ? (path, route.method) : nil
    })))
    return router
}

/// Answers requests no route took under `/api/v1` as JSON: 405 with
/// `Allow` when the path exists with other methods, otherwise 404.
struct APIFallbackMiddleware: RouterMiddleware {
    typealias Context = LoreRequestContext
    let table: APIRouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/api/v1/") || path == "/api/v1" else { return try await next(request, context) }
        let allowed = table.methods(for: path)
        var error = LoreHTTPError(.notFound, code: "not_found", message: "No API route \(request.method) \(path); see /api/v1/openapi.yaml.")
        if !allowed.isEmpty {
            error = LoreHTTPError(.methodNotAllowed, code: "method_not_allowed", message: "\(path) takes \(allowed.joined(separator: ", ")), not \(request.method).")
        }
        var response = JSONResponse.make(error.jsonBody, status: error.status)
        if !allowed.isEmpty { response.headers[.allow] = allowed.joined(separator: ", ") }
        return response
    }
}

/// The API's paths and their methods, for answering 405 with `Allow`.
struct APIRouteTable: Sendable {
    let routes: [(segments: [Substring], method: String)]

    init(_ routes: [(String, HTTPRequest.Method)]) {
        self.routes = routes.map { ($0.0.split(separator: "/"), $0.1.rawValue) }
    }

    /// The methods of the most specific paths that match: a literal segment
    /// (`timeline/removed`) wins over a parameter (`timeline/{id}`), as the
    /// router itself chooses.
    func methods(for path: String) -> [String] {
        let parts = path.split(separator: "/")
        let matches = routes.compactMap { r -> (literals: Int, method: String)? in
            guard r.segments.count == parts.count else { return nil }
            var literals = 0
            for (pattern, part) in zip(r.segments, parts) {
                if pattern.hasPrefix("{") || pattern.hasPrefix(":") { continue }
                guard pattern == part else { return nil }
                literals += 1
            }
            return (literals, r.method)
        }
        guard let best = matches.map(\.literals).max() else { return [] }
        return Array(Set(matches.filter { $0.literals == best }.map(\.method))).sorted()
    }
}
