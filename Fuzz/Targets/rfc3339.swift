// libFuzzer target: LoreTime.parseISO / parseLocal
// (Sources/LoreCore/Incidents/LoreTime.swift), plus a round-trip property:
// whatever parseISO accepts, LoreTime.iso writes back in a form parseISO
// reads as the same millisecond.
import Foundation

private let zones: [TimeZone] = [
    TimeZone(identifier: "UTC")!, TimeZone(identifier: "Europe/Berlin")!,
    TimeZone(identifier: "America/New_York")!, TimeZone(identifier: "Pacific/Chatham")!,
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = LoreTime.parseLocal(text, timeZone: zones[size & 3])
    if let d = LoreTime.parseISO(text) {
        let written = LoreTime.iso(d)
        let back = LoreTime.parseISO(written)
        if back != LoreTime.milliseconds(d) {
            fatalError("round trip: \(text.debugDescription) -> \(d.timeIntervalSince1970) -> \(written) -> \(back.map { "\($0.timeIntervalSince1970)" } ?? "nil"), expected \(LoreTime.milliseconds(d).timeIntervalSince1970)")
        }
    }
    return 0
}
