/// Go's `regexp.Expand` template syntax, which label_replace's replacement uses: `$1`,
/// `${1}`, `$name`, `${name}`, `$$` for a dollar. A name is the longest run of letters, digits
/// and underscores (so `$1x` names group "1x"); an unknown group expands to nothing, and a
/// malformed reference leaves the `$` as text.
enum RegexTemplate {
    static func expand(_ template: String, match: AnyRegexOutput, in subject: String) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            guard let (name, remainder) = extractName(rest) else {
                out += "$"
                continue
            }
            rest = remainder
            out += group(name, in: match)
        }
        out += rest
        return out
    }

    private static func extractName(_ text: Substring) -> (String, Substring)? {
        var rest = text
        let braced = rest.first == "{"
        if braced { rest = rest.dropFirst() }
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        guard !name.isEmpty else { return nil }
        rest = rest[name.endIndex...]
        if braced {
            guard rest.first == "}" else { return nil }
            rest = rest.dropFirst()
        }
        return (String(name), rest)
    }

    private static func group(_ name: String, in match: AnyRegexOutput) -> String {
        let isNumber = name.allSatisfy { $0.isASCII && $0.isNumber } && !(name.hasPrefix("0") && name.count > 1)
        if isNumber, name.count <= 8, let number = Int(name) {
            guard number < match.count, let substring = match[number].substring else { return "" }
            return String(substring)
        }
        guard let element = match[name], let substring = element.substring else { return "" }
        return String(substring)
    }
}
