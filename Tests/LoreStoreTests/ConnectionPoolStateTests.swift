import Foundation
@testable import LoreStore
import LoreTestSupport
import NIOConcurrencyHelpers
import Testing

/// `/metrics` reports this server's connection pool: what is checked out,
/// idle, and queued. Read as an operator would during a burst: more
/// transactions than the pool has connections, each held open until told to
/// finish.
@Suite("Connection pool state")
struct ConnectionPoolStateTests {
    @Test(arguments: Backend.available)
    func aBurstShowsConnectionsInUseAndRequestsWaiting(backend: Backend) async throws {
        try await withTestDatabase(backend) { database, store in
            let before = try #require(await database.poolState(), "the pool's counts could not be read (did AsyncKit rename its fields?)")
            #expect(before.inUse == 0 && before.waiting == 0)
            #expect(before.size == (backend == .sqlite ? 1 : 4))

            let release = NIOLockedValueBox(false)
            let burst = before.size + 2
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<burst {
                    group.addTask {
                        try await store.transaction { tx in
                            _ = try await tx.settings()
                            while !release.withLockedValue({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
                        }
                    }
                }
                // Every connection the pool may open is taken, and the rest queue.
                let busy = await poll(database) { $0.inUse == before.size && $0.waiting == 2 }
                #expect(busy?.inUse == before.size)
                #expect(busy?.waiting == 2)
                release.withLockedValue { $0 = true }
                try await group.waitForAll()
            }
            let after = await poll(database) { $0.inUse == 0 && $0.waiting == 0 }
            #expect(after?.inUse == 0)
            #expect(after?.waiting == 0)
            #expect(after?.idle == before.size, "connections go back to the pool, open")
        }
    }

    /// The first state that satisfies `done`, or the last read after ten seconds.
    private func poll(_ database: LoreDatabase, until done: (ConnectionPoolState) -> Bool) async -> ConnectionPoolState? {
        var last: ConnectionPoolState?
        for _ in 0..<1000 {
            last = await database.poolState()
            if let last, done(last) { return last }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return last
    }
}
