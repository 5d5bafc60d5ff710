import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// An error with what the person needs to fix it. Rendered as
/// `{"error":{"code","message","field"}}` by the API and as a page or a form
/// message by the web app.
public struct LoreHTTPError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    /// All problems, for validation errors.
    public var issues: [FieldIssue]

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil, issues: [FieldIssue] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.issues = issues
    }

    static func notFound(_ what: String) -> LoreHTTPError {
        LoreHTTPError(.notFound, code: "not_found", message: "\(what) not found.")
    }

    static func badRequest(_ message: String, field: String? = nil) -> LoreHTTPError {
        LoreHTTPError(.badRequest, code: "bad_request", message: message, field: field)
    }

    /// Maps any error to what the person should see. Unknown errors are 500
    /// with a generic message; their detail goes to the log, not the page.
    static func from(_ error: any Error) -> LoreHTTPError {
        switch error {
        case let e as LoreHTTPError:
            return e
        case let e as ValidationError:
            let first = e.issues.first
            return LoreHTTPError(.unprocessableContent, code: first?.code ?? "invalid", message: first?.message ?? "Invalid input.", field: first?.field, issues: e.issues)
        case let e as StoreError:
            switch e {
            case .notFound(let what): return .notFound(what)
            case .conflict(let field, let message): return LoreHTTPError(.conflict, code: "conflict", message: message, field: field.isEmpty ? nil : field)
            case .configuration(let m): return LoreHTTPError(.internalServerError, code: "configuration", message: m)
            case .forbidden(let m): return LoreHTTPError(.forbidden, code: "forbidden", message: m)
            }
        case let e as HTTPError:
            return LoreHTTPError(e.status, code: e.status == .contentTooLarge ? "too_large" : "http_\(e.status.code)", message: e.body ?? e.status.reasonPhrase)
        default:
            return LoreHTTPError(.internalServerError, code: "internal", message: "Something went wrong on the server; it has been logged.")
        }
    }

    var jsonBody: ErrorJSON {
        ErrorJSON(error: ErrorJSON.Detail(
            code: code, message: message, field: field,
            issues: issues.isEmpty ? nil : issues.map { ErrorJSON.Issue(field: $0.field, code: $0.code, message: $0.message) }
        ))
    }
}
