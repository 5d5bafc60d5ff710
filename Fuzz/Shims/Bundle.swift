// Stand-in for the `Bundle.module` that SwiftPM generates for LoreImport
// (its resources: Language/default-rules.yaml). RuleFile.swift reads the
// default rules through it; here the bundle is the source directory that
// holds the file, found from this file's path (Fuzz/Shims/ → ../../Sources).
import Foundation

extension Bundle {
    static let module: Bundle = {
        let shims = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let language = shims.appendingPathComponent("../../Sources/LoreImport/Language").standardized
        guard let bundle = Bundle(path: language.path) else {
            fatalError("Fuzz shim: no directory \(language.path) for LoreImport's resources")
        }
        return bundle
    }()
}
