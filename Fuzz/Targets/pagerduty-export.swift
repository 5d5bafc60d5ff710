// libFuzzer target: PagerDuty REST API v2 exports
// (PagerDutyExport.parse in Sources/LoreImport/PagerDuty/PagerDutyExport.swift).
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    do {
        let contents = try PagerDutyExport.parse(body, fileName: "fuzz.json")
        // Merging a file with itself exercises the de-duplication / filling paths.
        let merged = PagerDutyExportContents.merged([contents, contents])
        _ = String(describing: merged)
    } catch {
        _ = error.description
    }
    return 0
}
