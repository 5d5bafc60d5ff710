// libFuzzer target: catalog files (`lore catalog import`)
// (CatalogFile.parse in Sources/LoreImport/Catalog/CatalogFile.swift, on Yams).
// Errors are fine; crashes, hangs, leaks and runaway memory are not. Checked:
// - a rejected file has at least one problem, each on a line of the file;
// - an accepted file passes LoreCore's own rules (TeamInput.validated,
//   ServiceInput.validated) with the teams of the file and the known teams,
//   as the parser promises, and its entries are on lines of the file.
// Bit 0 of the input's length picks whether "sre" is a known team.
import Foundation

private let known: [Set<String>] = [["sre", "payments"], []]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let knownTeams = known[size & 1]
    do {
        let file = try CatalogFile.parse(text, fileName: "catalog.yaml", knownTeams: knownTeams)
        let lines = lastLine(text)
        var slugs = knownTeams
        for team in file.teams {
            guard (1...lines).contains(team.line) else { fatalError("team on line \(team.line) of a \(lines)-line file: \(text.debugDescription)") }
            do throws(ValidationError) {
                slugs.insert(try team.input.validated().slug)
            } catch {
                fatalError("accepted team fails TeamInput.validated: \(error.issues) in \(text.debugDescription)")
            }
            for member in team.members where member.email != member.email.lowercased() {
                fatalError("member email not lowercased: \(member.email.debugDescription)")
            }
        }
        for service in file.services {
            guard (1...lines).contains(service.line) else { fatalError("service on line \(service.line) of a \(lines)-line file: \(text.debugDescription)") }
            do throws(ValidationError) {
                _ = try service.input.validated(knownTeams: slugs)
            } catch {
                fatalError("accepted service fails ServiceInput.validated: \(error.issues) in \(text.debugDescription)")
            }
        }
    } catch {
        checkProblemLines(error.problems.map { ($0.line, $0.message) }, in: text)
        _ = error.description
    }
    return 0
}
