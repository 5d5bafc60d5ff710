import Hummingbird

extension Request {
    /// The whole body, at most `limit` bytes. Every body Lore reads comes
    /// through here, so that an oversized one is always answered 413 with the
    /// JSON error (or the error page) saying what the limit is, never a 500.
    /// A declared `Content-Length` over the limit is refused before reading.
    func collectBody(upTo limit: Int, what: String) async throws -> ByteBuffer {
        let tooLarge = LoreHTTPError(
            .contentTooLarge, code: "too_large",
            message: "\(what) is larger than \(limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit / 1024) KB"), the most Lore accepts here.")
        if let declared = headers[.contentLength].flatMap({ Int($0) }), declared > limit { throw tooLarge }
        do {
            return try await body.collect(upTo: limit)
        } catch {
            throw tooLarge
        }
    }
}
