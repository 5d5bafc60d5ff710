// libFuzzer target: PagerDuty v3 webhook bodies (Sources/LoreImport/PagerDuty/).
// Errors thrown are fine; crashes, hangs and leaks are not.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    do {
        let activity = try PagerDutyWebhookEvent.parse(body)
        _ = String(describing: activity)
    } catch {
        _ = error.description
    }
    do {
        _ = try PagerDutyWebhookEvent.parseIfAboutIncident(body)
    } catch {
        _ = error.description
    }
    return 0
}
