import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// Outgoing webhooks, for admins: `GET/POST /webhooks`, `DELETE /webhooks/{id}`.
/// The signing secret is returned once, when the webhook is created.
struct WebhookAPI {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on api: RouterGroup<LoreRequestContext>) {
        api.get("webhooks") { _, context in
            try requireAdmin(context)
            return JSONResponse.make(ItemsJSON(try await store.webhookEndpoints().map { Representation.webhook($0) }))
        }
        api.post("webhooks") { request, context in
            try requireAdmin(context)
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["name", "url", "format", "secret"])
            let input = WebhookEndpointInput(name: body.string("name") ?? nil, url: body.string("url") ?? nil,
                                             format: body.enumValue("format", WebhookFormat.self) ?? nil, secret: body.string("secret") ?? nil)
            try body.check()
            let (endpoint, secret) = try await store.createWebhookEndpoint(input, by: try context.auditActor())
            return JSONResponse.make(Representation.webhook(endpoint, secret: secret), status: .created)
        }
        api.delete("webhooks/:id") { _, context in
            try requireAdmin(context)
            guard let id = UUID(uuidString: try context.parameters.require("id")) else { throw LoreHTTPError.notFound("Webhook") }
            try await store.deleteWebhookEndpoint(id: id, by: try context.auditActor())
            return Response(status: .noContent)
        }
    }

    func requireAdmin(_ context: LoreRequestContext) throws {
        guard try context.requireUser().isAdmin else { throw LoreHTTPError.notFound("Route") }
    }
}
