import Foundation

/// A small, strict reader for `multipart/form-data` (RFC 7578): the part
/// headers Lore's own forms send (`Content-Disposition` with `name` and
/// `filename`, `Content-Type`), nothing more. Anything malformed is nil,
/// never a guess.
enum MultipartBody {
    static func boundary(contentType: String) -> String? {
        for param in contentType.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, kv[0].lowercased() == "boundary" else { continue }
            let value = kv[1].hasPrefix("\"") && kv[1].hasSuffix("\"") && kv[1].count >= 2 ? String(kv[1].dropFirst().dropLast()) : kv[1]
            return value.isEmpty || value.count > 70 ? nil : value
        }
        return nil
    }

    static func parse(_ body: Data, boundary: String) -> FormData? {
        let bytes = [UInt8](body)
        let delimiter = Array("--\(boundary)".utf8)
        guard var cursor = find(delimiter, in: bytes, from: 0) else { return nil }
        var form = FormData(fields: [:])
        while true {
            cursor += delimiter.count
            // "--" after a delimiter closes the body.
            if cursor + 1 < bytes.count, bytes[cursor] == 0x2D, bytes[cursor + 1] == 0x2D { return form }
            guard cursor + 1 < bytes.count, bytes[cursor] == 0x0D, bytes[cursor + 1] == 0x0A else { return nil }
            cursor += 2
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: cursor) else { return nil }
            let headers = String(decoding: bytes[cursor..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find([0x0D, 0x0A] + delimiter, in: bytes, from: contentStart) else { return nil }
            let content = Data(bytes[contentStart..<next])
            var name: String?, fileName: String?, contentType: String?
            for line in headers.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = parameter("name", in: line)
                    fileName = parameter("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    contentType = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            guard let name else { return nil }
            if let fileName {
                // A file input left empty still sends a part with an empty name.
                if !(fileName.isEmpty && content.isEmpty) {
                    form.files[name] = UploadedFile(fileName: (fileName as NSString).lastPathComponent, contentType: contentType, data: content)
                }
            } else {
                form.fields[name, default: []].append(String(decoding: content, as: UTF8.self))
            }
            cursor = next + 2
        }
    }

    /// `name="value"` in a Content-Disposition line (quoted, as browsers send it).
    static func parameter(_ key: String, in line: String) -> String? {
        for part in line.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, kv[0].lowercased() == key else { continue }
            var v = kv[1]
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        let first = needle[0]
        var i = start
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { h -> Int? in
            needle.withUnsafeBufferPointer { n -> Int? in
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count, h[i + j] == n[j] { j += 1 }
                        if j == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }
}
