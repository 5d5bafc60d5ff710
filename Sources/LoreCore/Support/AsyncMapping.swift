/// Small async conveniences used by the store and the server, kept in one
/// place so that there is one way to do them.
extension Optional {
    /// `map` with an async transform.
    public func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await f(self)
    }
}

extension Sequence {
    /// `map` with an async transform, in order, one at a time.
    public func asyncMapAll<T>(_ f: (Element) async throws -> T) async rethrows -> [T] {
        var out: [T] = []
        for e in self { out.append(try await f(e)) }
        return out
    }
}
