import Foundation
@testable import LoreStore
import Testing

@Suite("Reading rows column by column")
struct StreamedRowTests {
    /// Lore's own UUID reader (Foundation's goes through `sscanf`) reads
    /// exactly what Foundation reads, in either case, and refuses the rest.
    @Test func uuidsReadAsFoundationReadsThem() {
        for _ in 0 ..< 1_000 {
            let id = UUID()
            #expect(StreamedRow.uuid(id.uuidString) == id)
            #expect(StreamedRow.uuid(id.uuidString.lowercased()) == id)
        }
        #expect(StreamedRow.uuid("00000000-0000-0000-0000-000000000000") == UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        #expect(StreamedRow.uuid("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF") == UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"))
        for bad in ["", "not a uuid", "E621E1F8-C36C-495A-93FC-0C247A3E6E5", "E621E1F8-C36C-495A-93FC-0C247A3E6E5FF",
                    "E621E1F8C36C-495A-93FC-0C247A3E6E5F-", "G621E1F8-C36C-495A-93FC-0C247A3E6E5F", "E621E1F8-C36C-495A-93FC-0C247A3E6É5"] {
            #expect(StreamedRow.uuid(bad) == nil, "\(bad)")
            #expect(UUID(uuidString: bad) == nil, "\(bad)")
        }
    }
}
