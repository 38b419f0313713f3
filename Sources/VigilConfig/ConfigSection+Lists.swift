/// String arrays and names chosen from a fixed set.
extension ConfigSection {
    /// The array of strings at `key`, or `default` when unset or when any element is not a string.
    public func stringArray(_ key: String, default defaultValue: [String]) -> [String] {
        guard let elements = stringElements(key) else { return defaultValue }
        return elements.map(\.text)
    }

    /// The case of `Choice` whose raw value is the string at `key`; else `default`, recording
    /// the problem with the closest name as a hint.
    public func oneOf<Choice: CaseIterable & RawRepresentable>(
        _ key: String, default defaultValue: Choice
    ) -> Choice where Choice.RawValue == String {
        guard let value = take(key) else { return defaultValue }
        guard case .string(let text) = value.content else {
            wrongType(
                key, value, expected: "a string",
                hint: "write \(key) = \(KeyText.quote(defaultValue.rawValue)), one of \(names(Choice.self))")
            return defaultValue
        }
        return choice(Choice.self, named: text, key: key, at: value.position) ?? defaultValue
    }

    /// The cases of `Choice` named by the array of strings at `key`, in the file's order; else
    /// `default` when unset or when any name is unknown, repeated or not a string.
    public func listOf<Choice: CaseIterable & RawRepresentable & Equatable>(
        _ key: String, default defaultValue: [Choice]
    ) -> [Choice] where Choice.RawValue == String {
        guard let elements = stringElements(key) else { return defaultValue }
        var chosen: [Choice] = []
        var valid = true
        for element in elements {
            guard let choice = choice(Choice.self, named: element.text, key: key, at: element.position) else {
                valid = false
                continue
            }
            if chosen.contains(choice) {
                record(
                    .duplicate, key, at: element.position, "\(render(key)) lists \(KeyText.quote(element.text)) twice",
                    hint: "remove the second one")
                valid = false
            }
            chosen.append(choice)
        }
        return valid ? chosen : defaultValue
    }

    /// The strings of the array at `key` with their positions; nil when unset or on a problem
    /// (recorded).
    func stringElements(_ key: String) -> [(text: String, position: SourcePosition)]? {
        guard let value = take(key) else { return nil }
        guard case .array(let elements) = value.content else {
            let hint = if case .string(let text) = value.content {
                "write \(key) = [\(KeyText.quote(text))]"
            } else {
                "write \(key) = [\"first\", \"second\"]"
            }
            wrongType(key, value, expected: "an array of strings", hint: hint)
            return nil
        }
        var texts: [(text: String, position: SourcePosition)] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element.content else {
                record(
                    .wrongType, key, at: element.position,
                    "\(render(key))[\(index)] must be a string, found \(element.kindDescription)",
                    hint: "put the value in double quotes")
                continue
            }
            texts.append((text, element.position))
        }
        return texts.count == elements.count ? texts : nil
    }

    private func choice<Choice: CaseIterable & RawRepresentable>(
        _ type: Choice.Type, named text: String, key: String, at position: SourcePosition
    ) -> Choice? where Choice.RawValue == String {
        if let choice = Choice(rawValue: text) { return choice }
        let all = Choice.allCases.map(\.rawValue)
        let hint = Suggestion.closest(to: text, among: all).map { "did you mean \(KeyText.quote($0))? " } ?? ""
        record(
            .invalidValue, key, at: position, "\(render(key)) has unknown name \(KeyText.quote(text))",
            hint: hint + "use one of \(names(Choice.self))")
        return nil
    }

    private func names<Choice: CaseIterable & RawRepresentable>(_ type: Choice.Type) -> String
    where Choice.RawValue == String {
        Choice.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
