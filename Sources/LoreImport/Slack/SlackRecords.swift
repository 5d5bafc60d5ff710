import Foundation

// users.json and the channel lists: read once, with JSONDecoder, keeping
// only the fields the reader uses. (Day files, which are most of an export,
// are read by SlackDayFileScanner instead.)

/// A person (or bot user) in `users.json`.
struct SlackUserRecord: Decodable {
    struct Profile: Decodable {
        var real_name: String?
        var display_name: String?
        var name: String?
    }

    var id: String
    var name: String?
    var real_name: String?
    var profile: Profile?

    /// `profile.real_name`, then `real_name`, then `profile.display_name`,
    /// then `name`, then the id: the full name is what colleagues recognise in
    /// a review; handles are for typing.
    var shownName: String {
        SlackUserRecord.firstNonBlank([profile?.real_name, real_name, profile?.display_name, name]) ?? id
    }

    /// The first candidate that is not empty or blank, trimmed.
    static func firstNonBlank(_ candidates: [String?]) -> String? {
        for c in candidates {
            if let t = c?.nonBlank { return t }
        }
        return nil
    }
}

/// A conversation in `channels.json`, `groups.json`, `mpims.json` or `dms.json`.
struct SlackChannelRecord: Decodable {
    var id: String
    var name: String?
    var is_archived: Bool?
}

// MARK: - JSON errors

/// Decodes one file of the export, turning Foundation's errors into a
/// `SlackExportError` that names the file, and for broken JSON the line and
/// column.
struct SlackJSON {
    let decoder = JSONDecoder()
    /// The export as named to the user (`export.zip`, `slack-export`).
    let exportName: String

    /// - Parameters:
    ///   - expected: what the file should hold, for messages: "a list of messages".
    ///   - item: what one element is called in messages: "message".
    func decode<T: Decodable>(_ type: T.Type, from data: Data, path: String, expected: String, item: String) throws(SlackExportError) -> T {
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw describe(error, data: data, path: path, expected: expected, item: item)
        } catch {
            throw SlackExportError(fileName: exportName, innerPath: path, message: "could not be read as JSON (\(error))")
        }
    }

    private func describe(_ error: DecodingError, data: Data, path: String, expected: String, item: String) -> SlackExportError {
        func fail(_ message: String, line: Int? = nil, column: Int? = nil) -> SlackExportError {
            SlackExportError(fileName: exportName, innerPath: path, line: line, column: column, message: message)
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            if data.allSatisfy(JSONText.isWhitespace) {
                return fail("the file is empty; expected \(expected)")
            }
            let (reason, offset, line, column) = SlackJSON.syntaxProblem(in: data, context: context)
            if let line, let column { return fail("not valid JSON (\(reason))", line: line, column: column) }
            if let offset {
                let (l, c) = JSONText.position(of: offset, in: data)
                return fail("not valid JSON (\(reason))", line: l, column: c)
            }
            return fail("not valid JSON (\(reason))")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return fail("expected \(expected), found \(SlackJSON.topLevelKind(of: data))")
        case .typeMismatch(let type, let context):
            return fail("\(place(context.codingPath, item: item)): expected \(SlackJSON.kindName(type)), found \(SlackJSON.found(in: context.debugDescription))")
        case .valueNotFound(let type, let context):
            return fail("\(place(context.codingPath, item: item)): expected \(SlackJSON.kindName(type)), found null")
        case .keyNotFound(let key, let context):
            let at = context.codingPath.isEmpty ? "the file" : place(context.codingPath, item: item)
            return fail("\(at) has no “\(key.stringValue)”")
        case .dataCorrupted(let context):
            return fail("\(place(context.codingPath, item: item)): \(context.debugDescription)")
        @unknown default:
            return fail("could not be read (\(error))")
        }
    }

    /// `message 4 (“files”[0].“name”)`: 1-based, as a person counts.
    private func place(_ path: [any CodingKey], item: String) -> String {
        guard let first = path.first else { return "the file" }
        var text = first.intValue.map { "\(item) \($0 + 1)" } ?? "“\(first.stringValue)”"
        let rest = path.dropFirst().map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        if !rest.isEmpty {
            text += ", field “" + (rest.hasPrefix(".") ? String(rest.dropFirst()) : rest) + "”"
        }
        return text
    }

    /// The reason and where, from Foundation's own message. Foundation on
    /// Linux says "around character N" (a byte offset) in JSONSerialization's
    /// error but nothing in JSONDecoder's; on Apple platforms the decoder's
    /// underlying error says "around line L, column C". So the decoder's
    /// error is read first, then JSONSerialization is asked (only on this
    /// error path, so it costs nothing when the file is fine).
    static func syntaxProblem(in data: Data, context: DecodingError.Context) -> (reason: String, offset: Int?, line: Int?, column: Int?) {
        var descriptions: [String] = []
        if let underlying = context.underlyingError as NSError? {
            if let d = underlying.userInfo[NSDebugDescriptionErrorKey] as? String { descriptions.append(d) }
            descriptions.append(underlying.localizedDescription)
        }
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let e = error as NSError
            if let d = e.userInfo[NSDebugDescriptionErrorKey] as? String { descriptions.append(d) }
        }
        for d in descriptions {
            if let (line, column) = lineColumn(in: d) { return (reason(d), nil, line, column) }
            if let offset = characterOffset(in: d) { return (reason(d), offset, nil, nil) }
            if d.lowercased().contains("end of file") || d.lowercased().contains("unexpected end") {
                return (reason(d), data.count, nil, nil)
            }
        }
        return (descriptions.first.map(reason) ?? "the data is not in the correct format", nil, nil, nil)
    }

    /// "Invalid value around character 43." → "invalid value".
    private static func reason(_ description: String) -> String {
        var d = description
        for marker in [" around line", " around character", " at line", " at character"] {
            if let r = d.range(of: marker) { d = String(d[..<r.lowerBound]) }
        }
        d = d.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        guard let first = d.first else { return "the data is not in the correct format" }
        return first.lowercased() + d.dropFirst()
    }

    private static func lineColumn(in text: String) -> (Int, Int)? {
        guard let l = text.range(of: "line ") else { return nil }
        let afterLine = text[l.upperBound...]
        let line = Int(afterLine.prefix(while: \.isNumber))
        guard let line, let c = afterLine.range(of: "column ") else { return nil }
        guard let column = Int(afterLine[c.upperBound...].prefix(while: \.isNumber)) else { return nil }
        return (line, column)
    }

    private static func characterOffset(in text: String) -> Int? {
        guard let r = text.range(of: "character ") else { return nil }
        return Int(text[r.upperBound...].prefix(while: \.isNumber))
    }

    private static func topLevelKind(of data: Data) -> String {
        guard let first = data.first(where: { !(JSONText.isWhitespace($0) || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF) }) else { return "nothing" }
        switch first {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "a list"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "true/false"
        case UInt8(ascii: "n"): return "null"
        default: return "a number"
        }
    }

    static func kindName(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if name == "String" || name == "Substring" { return "a string" }
        if name == "Bool" { return "true or false" }
        if ["Int", "Double", "Int64", "UInt64", "Float"].contains(name) { return "a number" }
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
        return "an object"
    }

    /// "Expected to decode String but found number instead." → "a number".
    static func found(in debugDescription: String) -> String {
        guard let r = debugDescription.range(of: "found ") else { return "something else" }
        var what = String(debugDescription[r.upperBound...])
        if let e = what.range(of: " instead") { what = String(what[..<e.lowerBound]) }
        what = what.trimmingCharacters(in: CharacterSet(charactersIn: " ."))
        switch what.lowercased() {
        case "a string", "string": return "a string"
        case "number", "a number": return "a number"
        case "a dictionary", "dictionary", "an object", "object": return "an object"
        case "an array", "array", "a list": return "a list"
        case "bool", "a bool", "boolean": return "true/false"
        case "null", "a null value": return "null"
        default: return what
        }
    }
}
