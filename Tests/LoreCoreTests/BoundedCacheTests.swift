import Testing
@testable import LoreCore

/// What the page caches (rendered Markdown, timelines) rely on: memory stays
/// within the bound whatever is shown, and a slow reader never puts back an
/// older timeline over a newer one.
@Suite struct BoundedCacheTests {
    @Test func startsOverPastItsCapacityAndNeverKeepsAValueOverAQuarterOfIt() {
        let cache = BoundedCache<Int, String>(capacity: 100)
        for k in 0 ..< 4 { cache.keep("v\(k)", for: k, bytes: 25) }
        #expect((0 ..< 4).allSatisfy { cache.value($0) == "v\($0)" })
        // 125 bytes would be over: everything kept so far goes, the new one stays.
        cache.keep("v4", for: 4, bytes: 25)
        #expect(cache.value(0) == nil && cache.value(3) == nil)
        #expect(cache.value(4) == "v4")
        // Replacing a value counts its bytes once.
        for _ in 0 ..< 10 { cache.keep("again", for: 4, bytes: 25) }
        cache.keep("v5", for: 5, bytes: 25)
        cache.keep("v6", for: 6, bytes: 25)
        #expect(cache.value(4) == "again" && cache.value(6) == "v6")
        // Larger than a quarter: not kept, and nothing else is lost for it.
        cache.keep("huge", for: 7, bytes: 26)
        #expect(cache.value(7) == nil && cache.value(5) == "v5")
    }

    @Test func anOlderRevisionDoesNotReplaceANewerOne() {
        let cache = BoundedCache<String, String>(capacity: 1_000)
        cache.keep("revision 5", for: "INC-1", bytes: 10, revision: 5)
        cache.keep("revision 4", for: "INC-1", bytes: 10, revision: 4)
        #expect(cache.value("INC-1") == "revision 5")
        cache.keep("revision 6", for: "INC-1", bytes: 10, revision: 6)
        #expect(cache.value("INC-1") == "revision 6")
    }
}
