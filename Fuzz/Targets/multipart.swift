// libFuzzer target: multipart/form-data bodies
// (MultipartBody in Sources/LoreServer/HTTP/MultipartBody.swift).
// Input layout: the Content-Type header value, a NUL byte, then the body. If
// there is no NUL the whole input is the body with a fixed boundary.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let buffer = UnsafeBufferPointer(start: data, count: size)
    let boundary: String?
    let body: Data
    if let nul = buffer.firstIndex(of: 0) {
        let contentType = String(decoding: UnsafeBufferPointer(rebasing: buffer[..<nul]), as: UTF8.self)
        boundary = MultipartBody.boundary(contentType: contentType)
        body = Data(UnsafeBufferPointer(rebasing: buffer[(nul + 1)...]))
    } else {
        boundary = "XyZ"
        body = Data(buffer)
    }
    guard let boundary else { return 0 }
    if let form = MultipartBody.parse(body, boundary: boundary) {
        for (name, values) in form.fields { _ = name.count + values.count + (form[name]?.count ?? 0) }
        for (name, file) in form.files { _ = name.count + file.fileName.count + (file.contentType?.count ?? 0) + file.data.count }
    }
    return 0
}
