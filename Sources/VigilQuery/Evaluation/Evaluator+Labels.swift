import VigilModel

extension Evaluator {
    /// label_replace(v, dst, replacement, src, regex): where the fully anchored regex matches
    /// the value of `src`, `dst` becomes the replacement with `$1`, `${name}` expanded (an
    /// empty result removes `dst`); other series pass unchanged. The metric name is kept.
    func labelReplace(_ call: FunctionCall, at ts: Int64) throws(PromQLError) -> [VectorElement] {
        let destination = try string(call.args[1])
        let replacement = try string(call.args[2])
        let source = try string(call.args[3])
        let pattern = try string(call.args[4])
        let regex: Regex<AnyRegexOutput>
        if let cached = regexCache[pattern] {
            regex = cached
        } else {
            do {
                regex = try Regex("^(?:" + pattern + ")$")
            } catch {
                throw PromQLError.execution("invalid regular expression in label_replace(): \(pattern)")
            }
            regexCache[pattern] = regex
        }
        guard Labels.isValidName(destination) else {
            throw PromQLError.execution("invalid destination label name in label_replace(): \(destination)")
        }
        var changed: [Labels: Labels] = [:]
        return try vector(call.args[0], at: ts).map { element in
            if let known = changed[element.labels] { return VectorElement(labels: known, value: element.value) }
            let value = element.labels[source] ?? ""
            var labels = element.labels
            if let match = try? regex.wholeMatch(in: value) {
                let expanded = RegexTemplate.expand(replacement, match: match.output, in: value)
                labels = element.labels.setting(destination, to: expanded)
            }
            changed[element.labels] = labels
            return VectorElement(labels: labels, value: element.value)
        }
    }

    /// label_join(v, dst, separator, src...): `dst` becomes the values of the sources joined by
    /// the separator (missing ones as empty); an empty result removes it.
    func labelJoin(_ call: FunctionCall, at ts: Int64) throws(PromQLError) -> [VectorElement] {
        let elements = try vector(call.args[0], at: ts)
        let destination = try string(call.args[1])
        let separator = try string(call.args[2])
        var sources: [String] = []
        for arg in call.args.dropFirst(3) {
            let source = try string(arg)
            guard Labels.isValidName(source) else {
                throw PromQLError.execution("invalid source label name in label_join(): \(source)")
            }
            sources.append(source)
        }
        guard Labels.isValidName(destination) else {
            throw PromQLError.execution("invalid destination label name in label_join(): \(destination)")
        }
        return elements.map { element in
            let joined = sources.map { element.labels[$0] ?? "" }.joined(separator: separator)
            return VectorElement(labels: element.labels.setting(destination, to: joined), value: element.value)
        }
    }

    /// The value of a string argument (a literal, possibly in parentheses).
    private func string(_ arg: Expr) throws(PromQLError) -> String {
        guard case .string(let text) = arg.unwrapped.kind else {
            throw PromQLError.internalError("expected a string literal argument")
        }
        return text
    }
}
