import Foundation
import Hummingbird
import LoreCore
import LoreStore

/// `POST /api/v1/language/check` (text in, findings out), the findings of a
/// review, and keeping a phrase as written.
struct LanguageAPI {
    let app: LoreApp
    var store: LoreStore { app.store }

    func register(on api: RouterGroup<LoreRequestContext>) {
        api.post("language/check") { request, context in
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["text", "includeQuotes"])
            let text = body.string("text") ?? nil
            if text == nil && !body.issues.issues.contains(where: { $0.field == "text" }) {
                body.issues.add("text", "required", "\"text\" is required.")
            }
            var options = CheckOptions.default
            if body.bool("includeQuotes") == true { options = .everything }
            try body.check()
            guard (text ?? "").utf8.count <= 1_048_576 else {
                throw LoreHTTPError(.contentTooLarge, code: "too_large", message: "Check at most 1 MB of text at a time.", field: "text")
            }
            let checker = try await app.language.checker(store: store)
            return JSONResponse.make(LanguageCheckJSON(findings: checker.check(text ?? "", options: options).map { Representation.languageFinding($0, section: nil, kept: nil) }))
        }
        api.get("reviews/:id/language") { _, context in
            let (review, viewer) = try await reviewAndViewer(context)
            let found = try await findings(review, viewer: viewer)
            return JSONResponse.make(LanguageCheckJSON(
                findings: found.map { Representation.languageFinding($0.finding, section: $0.section, kept: $0.kept) },
                open: found.filter { $0.kept == nil }.count
            ))
        }
        api.post("reviews/:id/language/keep") { request, context in
            let (review, viewer) = try await reviewAndViewer(context)
            var body = try await JSONBody.read(request, context: context)
            body.allowOnly(["section", "ruleId", "matchedText", "note"])
            let section = body.string("section") ?? nil, rule = body.string("ruleId") ?? nil
            let matched = body.string("matchedText") ?? nil, note = body.string("note") ?? nil
            for (name, value) in [("section", section), ("ruleId", rule), ("matchedText", matched)] where value == nil {
                body.issues.add(name, "required", "\"\(name)\" is required.")
            }
            try body.check()
            let mark = try await store.keepAsWritten(reviewID: review.id, section: section!, ruleID: rule!, matchedText: matched!, note: note, by: viewer)
            return JSONResponse.make(Representation.languageMark(mark), status: .created)
        }
    }

    func findings(_ review: Review, viewer: Viewer) async throws -> [SectionFinding] {
        let checker = try await app.language.checker(store: store)
        return app.language.findings(for: review, marks: try await store.languageMarks(reviewID: review.id, viewer: viewer), checker: checker)
    }

    func reviewAndViewer(_ context: LoreRequestContext) async throws -> (Review, Viewer) {
        let viewer = try await store.viewer(for: try context.requireUser())
        guard let id = UUID(uuidString: try context.parameters.require("id")), let review = try await store.review(id: id, viewer: viewer) else {
            throw LoreHTTPError.notFound("Review")
        }
        return (review, viewer)
    }
}
