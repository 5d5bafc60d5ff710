import Foundation
import LoreCore
import Testing

@Suite("Time-ordered ids")
struct TimeOrderedUUIDTests {
    @Test func isAVersion7UUIDCarryingItsMillisecond() {
        let at = Date(timeIntervalSince1970: 1_780_000_000.123_456)
        let id = UUID.timeOrdered(at: at)
        let b = id.uuid
        #expect(b.6 >> 4 == 7)  // version
        #expect(b.8 >> 6 == 0b10)  // RFC 9562 variant
        let millis = [b.0, b.1, b.2, b.3, b.4, b.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(millis == 1_780_000_000_123)
        #expect(id.uuidString.hasPrefix("019E"))  // 1_780_000_000_123 = 0x019E...
    }

    @Test func idsMadeOneAfterAnotherSortInThatOrderAsStoredText() {
        // As text is how the database keys them.
        let ids = (0 ..< 10_000).map { _ in UUID.timeOrdered().uuidString }
        #expect(Set(ids).count == ids.count)
        let outOfOrder = zip(ids, ids.dropFirst()).filter { $0 > $1 }.count
        // Two ids within the same ~244 ns step are in random order; that is all.
        #expect(outOfOrder < ids.count / 100)
        let millisApart = (0 ..< 200).map { n in UUID.timeOrdered(at: Date(timeIntervalSince1970: 1_780_000_000 + Double(n) / 1000)).uuidString }
        #expect(millisApart == millisApart.sorted())
    }

    @Test func timelineEntriesGetThem() {
        let e = TimelineEntry(incidentID: UUID(), occurredAt: Date(), recordedAt: Date(), author: "Ada", source: .manual, kind: .note, text: "x")
        #expect(e.id.uuid.6 >> 4 == 7)
    }
}
