import Foundation

/// CRC-32 (the zip checksum), eight bytes at a time ("slicing-by-8").
///
/// ZIPFoundation checks each entry's CRC itself, but on Linux it does so a
/// byte at a time in Swift (its zlib shortcut is only taken where a module
/// named `zlib` exists), which took a fifth of the time of reading a zipped
/// export. The reader asks it to skip the check and does the same check
/// here, several times faster.
enum SlackCRC32 {
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var c = UInt32(i)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[i] = c
        }
        for i in 0..<256 {
            for k in 1..<8 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    static func checksum(_ data: Data) -> UInt32 {
        tables.withUnsafeBufferPointer { t in
            data.withUnsafeBytes { raw -> UInt32 in
                var crc: UInt32 = 0xFFFF_FFFF
                guard var p = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
                var n = raw.count
                while n >= 8 {
                    let v = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self).littleEndian
                    let lo = UInt32(truncatingIfNeeded: v) ^ crc
                    let hi = UInt32(truncatingIfNeeded: v >> 32)
                    crc = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                        ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                        ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                        ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                    p += 8
                    n -= 8
                }
                while n > 0 {
                    crc = (crc >> 8) ^ t[Int((crc ^ UInt32(p.pointee)) & 0xFF)]
                    p += 1
                    n -= 1
                }
                return crc ^ 0xFFFF_FFFF
            }
        }
    }
}
