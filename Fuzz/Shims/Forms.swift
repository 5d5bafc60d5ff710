// Stand-ins for the two types of Sources/LoreServer/HTTP/Forms.swift (which
// imports Hummingbird) that MultipartBody.swift builds. Same stored
// properties and subscript as the originals; nothing else.
import Foundation

struct UploadedFile: Sendable {
    var fileName: String
    var contentType: String?
    var data: Data
}

struct FormData: Sendable {
    var fields: [String: [String]]
    var files: [String: UploadedFile] = [:]

    subscript(_ name: String) -> String? { fields[name]?.last }
    func all(_ name: String) -> [String] { fields[name] ?? [] }
}
