import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// Settings → PagerDuty: the webhook v3 subscriptions deliveries are accepted
/// for. PagerDuty shows a subscription's signing secret once, after it has
/// been given the URL, so the page takes the name first and the secret after.
struct PagerDutySettingsPages {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on group: RouterGroup<LoreRequestContext>) {
        let admin = group.group("settings/pagerduty").add(middleware: RequireAdminMiddleware())
        admin.get { request, context in
            try await page(context, notice: request.uri.queryParameters["saved"].map { "Saved \($0)." })
        }
        admin.post { request, context in
            let form = try await FormData.read(request, context: context)
            do {
                let s = try await store.addPagerDutySubscription(name: form["name"], secret: form["secret"], by: try context.auditActor())
                return try await page(context, notice: s.hasSecret
                    ? "Added \(s.name). PagerDuty can deliver to \(app.configuration.baseURL)\(s.path)."
                    : "Added \(s.name). Create the webhook in PagerDuty with the URL \(app.configuration.baseURL)\(s.path), then paste the signing secret it shows here. Deliveries are refused until then.")
            } catch let e as ValidationError {
                return try await page(context, errors: e, values: form, status: .unprocessableContent)
            } catch StoreError.conflict(_, let message) {
                return try await page(context, errors: ValidationError(field: "name", code: "taken", message: message), values: form, status: .unprocessableContent)
            }
        }
        admin.post(":name/secret") { request, context in
            let form = try await FormData.read(request, context: context)
            let name = try context.parameters.require("name")
            do {
                try await store.setPagerDutySecret(name: name, secret: form["secret"], by: try context.auditActor())
            } catch let e as ValidationError {
                return try await page(context, errors: e, status: .unprocessableContent)
            }
            return Response.redirect(to: "/settings/pagerduty?saved=\(name)", type: .normal)
        }
        admin.post(":name/delete") { request, context in
            _ = try await FormData.read(request, context: context)
            guard try await store.removePagerDutySubscription(name: try context.parameters.require("name"), by: try context.auditActor()) else {
                throw LoreHTTPError.notFound("PagerDuty subscription")
            }
            return Response.redirect(to: "/settings/pagerduty", type: .normal)
        }
    }

    func page(_ context: LoreRequestContext, notice: String? = nil, errors: ValidationError? = nil, values: FormData? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let user = try context.requireUser()
        let subscriptions = try await store.pagerDutySubscriptions()
        return app.views.page("pagerduty_settings", title: "PagerDuty", context: context, settings: try await store.settings(), status: status, values: [
            "notice": notice ?? false,
            "errors": ViewValues.errors(errors),
            "nameValue": values?["name"] ?? "",
            "hasSubscriptions": !subscriptions.isEmpty,
            "subscriptions": subscriptions.map { s -> [String: Any] in
                [
                    "name": s.name, "url": app.configuration.baseURL + s.path, "hasSecret": s.hasSecret,
                    "lastDelivery": s.lastDeliveryAt.map { ViewValues.time($0, user.zone) } ?? "never",
                ]
            },
        ])
    }
}
