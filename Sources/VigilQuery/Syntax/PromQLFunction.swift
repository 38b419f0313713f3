/// Every function of Prometheus 2.42's PromQL with its signature.
enum PromQLFunction: String, CaseIterable, Sendable {
    case abs, absent
    case absentOverTime = "absent_over_time"
    case acos, acosh, asin, asinh, atan, atanh
    case avgOverTime = "avg_over_time"
    case ceil, changes, clamp
    case clampMax = "clamp_max"
    case clampMin = "clamp_min"
    case cos, cosh
    case countOverTime = "count_over_time"
    case daysInMonth = "days_in_month"
    case dayOfMonth = "day_of_month"
    case dayOfWeek = "day_of_week"
    case dayOfYear = "day_of_year"
    case deg, delta, deriv, exp, floor
    case histogramCount = "histogram_count"
    case histogramFraction = "histogram_fraction"
    case histogramQuantile = "histogram_quantile"
    case histogramSum = "histogram_sum"
    case holtWinters = "holt_winters"
    case hour, idelta, increase, irate
    case labelReplace = "label_replace"
    case labelJoin = "label_join"
    case lastOverTime = "last_over_time"
    case ln, log10, log2
    case maxOverTime = "max_over_time"
    case minOverTime = "min_over_time"
    case minute, month, pi
    case predictLinear = "predict_linear"
    case presentOverTime = "present_over_time"
    case quantileOverTime = "quantile_over_time"
    case rad, rate, resets, round, scalar, sgn, sin, sinh, sort
    case sortDesc = "sort_desc"
    case sqrt
    case stddevOverTime = "stddev_over_time"
    case stdvarOverTime = "stdvar_over_time"
    case sumOverTime = "sum_over_time"
    case tan, tanh, time, timestamp, vector, year

    var name: String { rawValue }

    /// Argument types; with `variadic` the last one may repeat (or be left out).
    var argTypes: [ValueType] {
        switch self {
        case .time, .pi: return []
        case .vector: return [.scalar]
        case .scalar: return [.vector]
        case .absentOverTime, .avgOverTime, .changes, .countOverTime, .delta, .deriv, .idelta, .increase,
             .irate, .lastOverTime, .maxOverTime, .minOverTime, .presentOverTime, .rate, .resets,
             .stddevOverTime, .stdvarOverTime, .sumOverTime:
            return [.matrix]
        case .clamp: return [.vector, .scalar, .scalar]
        case .clampMax, .clampMin, .round: return [.vector, .scalar]
        case .histogramFraction: return [.scalar, .scalar, .vector]
        case .histogramQuantile: return [.scalar, .vector]
        case .holtWinters: return [.matrix, .scalar, .scalar]
        case .labelReplace: return [.vector, .string, .string, .string, .string]
        case .labelJoin: return [.vector, .string, .string, .string]
        case .predictLinear: return [.matrix, .scalar]
        case .quantileOverTime: return [.scalar, .matrix]
        default: return [.vector]
        }
    }

    /// 0: exactly `argTypes`; 1: the last argument is optional; -1: the last repeats freely.
    var variadic: Int {
        switch self {
        case .daysInMonth, .dayOfMonth, .dayOfWeek, .dayOfYear, .hour, .minute, .month, .year, .round: return 1
        case .labelJoin: return -1
        default: return 0
        }
    }

    var returnType: ValueType {
        switch self {
        case .time, .pi, .scalar: return .scalar
        default: return .vector
        }
    }

    /// The argument that is a range vector, if the function takes one.
    var matrixArgumentIndex: Int? {
        argTypes.firstIndex(of: .matrix)
    }
}
