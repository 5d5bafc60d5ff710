import Foundation

/// A participant's decision to keep a flagged phrase as written — a quotation,
/// say — with a short note. Kept phrases stop counting as open findings; the
/// checker advises, it never overrules the writer.
public struct LanguageMark: Equatable, Sendable, Codable {
    public var reviewID: UUID
    /// The review section the phrase is in (`ReviewSection.rawValue`).
    public var section: String
    public var ruleID: String
    /// The flagged words, as matched (compared without regard to case).
    public var matchedText: String
    public var note: String
    public var markedBy: UUID?
    public var markedAt: Date

    public init(reviewID: UUID, section: String, ruleID: String, matchedText: String, note: String, markedBy: UUID?, markedAt: Date) {
        self.reviewID = reviewID
        self.section = section
        self.ruleID = ruleID
        self.matchedText = matchedText
        self.note = note
        self.markedBy = markedBy
        self.markedAt = markedAt
    }

    /// True when this mark covers a finding of `ruleID` on `text` in `section`.
    public func covers(section: String, ruleID: String, matchedText text: String) -> Bool {
        self.section == section && self.ruleID == ruleID && matchedText.lowercased() == text.lowercased()
    }

    /// Checks the writer's input.
    public static func validatedNote(_ note: String?) throws(ValidationError) -> String {
        var v = Validator()
        let n = v.requireText(note, field: "note", label: "A short note on why it stays", max: Limits.shortText)
        try v.check()
        return n
    }
}
