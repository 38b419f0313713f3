/// Strings, whole numbers and booleans.
extension ConfigSection {
    /// The string at `key`, or `default` when unset or not a string.
    public func string(_ key: String, default defaultValue: String) -> String {
        guard let value = take(key) else { return defaultValue }
        guard case .string(let text) = value.content else {
            wrongType(key, value, expected: "a string", hint: "put the value in double quotes")
            return defaultValue
        }
        return text
    }

    /// The integer at `key` when it lies within `min...max` (either bound optional); else
    /// `default`, recording why.
    public func int(_ key: String, default defaultValue: Int, min: Int? = nil, max: Int? = nil) -> Int {
        guard let value = take(key) else { return defaultValue }
        guard case .integer(let number) = value.content else {
            wrongType(key, value, expected: "a whole number", hint: "write \(key) = \(defaultValue), without quotes")
            return defaultValue
        }
        let integer = Int(number)
        guard checkRange(key, value, integer, min: min, max: max, format: { "\($0)" }) else { return defaultValue }
        return integer
    }

    /// The boolean at `key`, or `default` when unset or not `true`/`false`.
    public func bool(_ key: String, default defaultValue: Bool) -> Bool {
        guard let value = take(key) else { return defaultValue }
        guard case .boolean(let flag) = value.content else {
            wrongType(
                key, value, expected: "true or false", hint: "write \(key) = true or \(key) = false, without quotes")
            return defaultValue
        }
        return flag
    }

    /// Records an `.outOfRange` problem and returns false when `number` is outside `min...max`.
    func checkRange<Number: Comparable>(
        _ key: String, _ value: ConfigValue, _ number: Number, min: Number?, max: Number?,
        format: (Number) -> String
    ) -> Bool {
        let message: String
        if let min, number < min {
            message = "\(render(key)) is \(format(number)), below the minimum of \(format(min))"
        } else if let max, number > max {
            message = "\(render(key)) is \(format(number)), above the maximum of \(format(max))"
        } else {
            return true
        }
        let hint = switch (min, max) {
        case (let min?, let max?): "use a value from \(format(min)) to \(format(max))"
        case (let min?, nil): "use a value of at least \(format(min))"
        case (nil, let max?): "use a value of at most \(format(max))"
        case (nil, nil): "use a value in range"
        }
        record(.outOfRange, key, at: value.position, message, hint: hint)
        return false
    }
}
