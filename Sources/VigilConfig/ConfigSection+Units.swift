import VigilModel

/// Durations and byte sizes, written as strings with units.
extension ConfigSection {
    /// The duration at `key`, written as in `"10s"`, `"1m30s"`, `"500ms"`, `"2h"` (whole
    /// milliseconds; see DurationText), when it lies within `min...max`; else `default`.
    public func duration(
        _ key: String, default defaultValue: Duration, min: Duration? = nil, max: Duration? = nil
    ) -> Duration {
        guard let value = take(key) else { return defaultValue }
        guard case .string(let text) = value.content else {
            let example = if case .integer(let number) = value.content { "\(number)s" } else {
                DurationText.format(defaultValue)
            }
            wrongType(
                key, value, expected: "a duration string",
                hint: "durations are strings with a unit: write \(key) = \"\(example)\"")
            return defaultValue
        }
        guard let duration = DurationText.duration(text) else {
            record(
                .invalidValue, key, at: value.position, "\(render(key)) is not a duration: \(KeyText.quote(text))",
                hint: "write " + DurationText.grammar)
            return defaultValue
        }
        guard checkRange(key, value, duration, min: min, max: max, format: DurationText.format) else {
            return defaultValue
        }
        return duration
    }

    /// The size in bytes at `key`, written as in `"8MiB"`, `"512KiB"`, `"1GB"` or as a plain
    /// integer of bytes, when it lies within `min...max`; else `default`.
    public func bytes(_ key: String, default defaultValue: Int, min: Int = 0, max: Int? = nil) -> Int {
        guard let value = take(key) else { return defaultValue }
        let size: Int
        switch value.content {
        case .integer(let number):
            size = Int(number)
        case .string(let text):
            guard let parsed = ByteSizeText.bytes(text) else {
                record(
                    .invalidValue, key, at: value.position, "\(render(key)) is not a size: \(KeyText.quote(text))",
                    hint: "write " + ByteSizeText.grammar)
                return defaultValue
            }
            size = parsed
        default:
            wrongType(
                key, value, expected: "a size", hint: "write \(key) = \"\(ByteSizeText.format(defaultValue))\"")
            return defaultValue
        }
        guard checkRange(key, value, size, min: min, max: max, format: ByteSizeText.format) else {
            return defaultValue
        }
        return size
    }
}
