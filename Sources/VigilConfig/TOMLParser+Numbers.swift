/// Booleans, integers (decimal, 0x, 0o, 0b) and floats, and the unquoted words that are
/// mistakes: dates and times (recognised only to reject them clearly) and numbers with units.
extension TOMLParser {
    /// Booleans, integers, floats, and the unquoted words that are mistakes (dates, `10s`).
    mutating func parseBareValue(at start: SourcePosition) throws(ParseFailure) -> ConfigValue {
        let first = offset
        while let byte = peek(), TOMLParser.isBareValueByte(byte) { offset += 1 }
        guard offset > first else {
            throw ParseFailure(
                .syntax, at: start, "expected a value, found \(describe(at: offset))",
                hint: "write a value such as \"text\", 10, true or [\"a\", \"b\"]")
        }
        let token = bytes[first..<offset]
        let text = String(decoding: token, as: UTF8.self)
        switch text {
        case "true": return ConfigValue(.boolean(true), at: start)
        case "false": return ConfigValue(.boolean(false), at: start)
        case "inf", "+inf": return ConfigValue(.float(.infinity), at: start)
        case "-inf": return ConfigValue(.float(-.infinity), at: start)
        case "nan", "+nan", "-nan": return ConfigValue(.float(.nan), at: start)
        default: break
        }
        if TOMLParser.looksLikeDateOrTime(token) {
            throw ParseFailure(
                .unsupported, at: start, "dates and times are not supported: \(text)",
                hint: "write it as a string in double quotes; durations are strings such as \"10s\"")
        }
        if let radix = TOMLParser.radix(of: token) {
            let value = try parseRadixInteger(token.dropFirst(2), radix: radix, text, at: start)
            return ConfigValue(.integer(value), at: start)
        }
        let isFloat = token.contains(UInt8(ascii: "."))
            || token.contains(UInt8(ascii: "e")) || token.contains(UInt8(ascii: "E"))
        if isFloat, TOMLParser.isFloatSyntax(token), let value = Double(text.filter { $0 != "_" }) {
            return ConfigValue(.float(value), at: start)
        }
        if !isFloat, TOMLParser.isIntegerSyntax(token) {
            return ConfigValue(.integer(try parseDecimalInteger(token, text, at: start)), at: start)
        }
        throw invalidNumber(token, text, at: start)
    }

    private static func isBareValueByte(_ byte: UInt8) -> Bool {
        KeyText.isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: ":")
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// `1979-05-27`, `07:32:00` and anything built from them.
    private static func looksLikeDateOrTime(_ token: ArraySlice<UInt8>) -> Bool {
        let digits = token.prefix { isDigit($0) }.count
        guard digits < token.count else { return false }
        let separator = token[token.startIndex + digits]
        return (digits == 4 && separator == UInt8(ascii: "-")) || (digits == 2 && separator == UInt8(ascii: ":"))
    }

    private static func radix(of token: ArraySlice<UInt8>) -> Int? {
        guard token.count >= 2, token.first == UInt8(ascii: "0") else { return nil }
        switch token[token.startIndex + 1] {
        case UInt8(ascii: "x"): return 16
        case UInt8(ascii: "o"): return 8
        case UInt8(ascii: "b"): return 2
        default: return nil
        }
    }

    /// Length of a run of digits with single underscores between them, or nil if there is none
    /// or an underscore is misplaced. Stops at the first byte that is neither.
    private static func digitRun(_ token: ArraySlice<UInt8>, radix: Int = 10) -> Int? {
        var index = token.startIndex
        var previousWasDigit = false
        while index < token.endIndex {
            let byte = token[index]
            if digitValue(byte, radix: radix) != nil {
                previousWasDigit = true
            } else if byte == UInt8(ascii: "_") {
                guard previousWasDigit, index + 1 < token.endIndex,
                    digitValue(token[index + 1], radix: radix) != nil
                else { return nil }
                previousWasDigit = false
            } else {
                break
            }
            index += 1
        }
        return previousWasDigit ? index - token.startIndex : nil
    }

    private static func digitValue(_ byte: UInt8, radix: Int) -> Int? {
        let value: Int
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
        return value < radix ? value : nil
    }

    /// `[+-] (0 | 1-9 digits)`, with underscores between digits.
    private static func isIntegerSyntax(_ token: ArraySlice<UInt8>) -> Bool {
        let body = token.first == UInt8(ascii: "+") || token.first == UInt8(ascii: "-") ? token.dropFirst() : token
        guard let run = digitRun(body), run == body.count else { return false }
        return body.first != UInt8(ascii: "0") || body.count == 1
    }

    /// `[+-] int ( . digits )? ( [eE] [+-] digits )?` with a fraction, an exponent or both.
    private static func isFloatSyntax(_ token: ArraySlice<UInt8>) -> Bool {
        var rest = token.first == UInt8(ascii: "+") || token.first == UInt8(ascii: "-") ? token.dropFirst() : token
        guard let integerDigits = digitRun(rest) else { return false }
        if rest.first == UInt8(ascii: "0"), integerDigits > 1 { return false }
        rest = rest.dropFirst(integerDigits)
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            guard let fraction = digitRun(rest) else { return false }
            rest = rest.dropFirst(fraction)
        }
        if rest.first == UInt8(ascii: "e") || rest.first == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
            guard let exponent = digitRun(rest) else { return false }
            rest = rest.dropFirst(exponent)
        }
        return rest.isEmpty
    }

    private func parseDecimalInteger(
        _ token: ArraySlice<UInt8>, _ text: String, at start: SourcePosition
    ) throws(ParseFailure) -> Int64 {
        let negative = token.first == UInt8(ascii: "-")
        var magnitude: UInt64 = 0
        for byte in token where TOMLParser.isDigit(byte) {
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw tooLarge(text, at: start) }
            magnitude = sum
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw tooLarge(text, at: start) }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw tooLarge(text, at: start) }
        return Int64(magnitude)
    }

    private func parseRadixInteger(
        _ digits: ArraySlice<UInt8>, radix: Int, _ text: String, at start: SourcePosition
    ) throws(ParseFailure) -> Int64 {
        guard let run = TOMLParser.digitRun(digits, radix: radix), run == digits.count else {
            throw ParseFailure(
                .syntax, at: start, "invalid base-\(radix) integer \(text)",
                hint: "use digits of base \(radix) with single _ between them, as in 0xFF_FF, 0o755 or 0b1010")
        }
        var value: Int64 = 0
        for byte in digits {
            guard let digit = TOMLParser.digitValue(byte, radix: radix) else { continue }
            let (times, overflow1) = value.multipliedReportingOverflow(by: Int64(radix))
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { throw tooLarge(text, at: start) }
            value = sum
        }
        return value
    }

    private func tooLarge(_ text: String, at start: SourcePosition) -> ParseFailure {
        ParseFailure(
            .outOfRange, at: start, "integer \(text) does not fit in 64 bits",
            hint: "use a value from \(Int64.min) to \(Int64.max)")
    }

    /// Explains why a bare word is not a number, naming the common mistakes.
    private func invalidNumber(_ token: ArraySlice<UInt8>, _ text: String, at start: SourcePosition) -> ParseFailure {
        let startsNumeric = token.first.map {
            TOMLParser.isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        } ?? false
        guard startsNumeric else {
            return ParseFailure(
                .syntax, at: start, "expected a value, found \(text)",
                hint: "put strings in double quotes: \(KeyText.quote(text))")
        }
        // Letters other than an exponent's e: a unit, as in 10s or 8MiB.
        let hasUnit = token.contains { byte in
            let lower = byte | 0x20
            return lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z") && lower != UInt8(ascii: "e")
        }
        if hasUnit {
            return ParseFailure(
                .syntax, at: start, "\(text) is not a number",
                hint: "durations and sizes are strings: write \(KeyText.quote(text))")
        }
        let body = token.first == UInt8(ascii: "+") || token.first == UInt8(ascii: "-") ? token.dropFirst() : token
        if body.count > 1, body.first == UInt8(ascii: "0"), body.dropFirst().first.map(TOMLParser.isDigit) == true {
            return ParseFailure(
                .syntax, at: start, "leading zeros are not allowed: \(text)",
                hint: "remove them; octal numbers are written 0o755")
        }
        if token.contains(UInt8(ascii: "_")) {
            return ParseFailure(
                .syntax, at: start, "misplaced _ in \(text)", hint: "put _ only between two digits, as in 1_000")
        }
        return ParseFailure(
            .syntax, at: start, "invalid number \(text)",
            hint: "write integers as 42 or -7 and floats as 0.5 or 1e-3, with digits on both sides of the point")
    }
}
