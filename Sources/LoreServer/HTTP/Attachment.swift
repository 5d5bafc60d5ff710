import Hummingbird

extension Response {
    /// A file to download: the text, its type, and the name the browser
    /// saves it under (built by Lore from keys and ids, never from user text).
    static func attachment(_ text: String, contentType: String, fileName: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.contentDisposition] = "attachment; filename=\"\(fileName)\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
