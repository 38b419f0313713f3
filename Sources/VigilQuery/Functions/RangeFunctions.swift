import VigilModel

/// The functions of a range vector, applied to one series' samples in a window. Each returns
/// nil where Prometheus drops the series (too few samples).
enum RangeFunctions {
    /// rate, increase and delta: the change over the window, corrected for counter resets when
    /// `isCounter`, extrapolated toward the window's edges as Prometheus' extrapolatedRate
    /// does, per second of `range` when `isRate`.
    static func extrapolatedRate(
        _ samples: ArraySlice<Sample>, window: RangeWindow, isCounter: Bool, isRate: Bool
    ) -> Double? {
        guard samples.count >= 2, let first = samples.first, let last = samples.last else { return nil }
        var result = last.value - first.value
        if isCounter {
            var previous = first.value
            for sample in samples.dropFirst() {
                if sample.value < previous { result += previous }
                previous = sample.value
            }
        }
        var durationToStart = Double(first.timestamp - window.start) / 1000
        let durationToEnd = Double(window.end - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageInterval = sampledInterval / Double(samples.count - 1)
        if isCounter && result > 0 && first.value >= 0 {
            // A counter cannot go below zero: do not extrapolate past the point it would reach it.
            let durationToZero = sampledInterval * (first.value / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        let threshold = averageInterval * 1.1
        var extrapolateTo = sampledInterval
        extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2
        var factor = extrapolateTo / sampledInterval
        if isRate { factor /= Double(window.range) / 1000 }
        return result * factor
    }

    /// irate and idelta: from the last two samples.
    static func instantValue(_ samples: ArraySlice<Sample>, isRate: Bool) -> Double? {
        guard samples.count >= 2 else { return nil }
        let last = samples[samples.endIndex - 1]
        let previous = samples[samples.endIndex - 2]
        var result = isRate && last.value < previous.value ? last.value : last.value - previous.value
        let interval = last.timestamp - previous.timestamp
        if interval == 0 { return nil }
        if isRate { result /= Double(interval) / 1000 }
        return result
    }

    /// Least-squares slope (per second) and the value at `interceptTime`.
    static func linearRegression(_ samples: ArraySlice<Sample>, interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = KahanSum(), sumY = KahanSum(), sumXY = KahanSum(), sumX2 = KahanSum()
        let initialY = samples[samples.startIndex].value
        var constantY = true
        for sample in samples {
            if constantY && n > 0 && sample.value != initialY { constantY = false }
            n += 1
            let x = Double(sample.timestamp - interceptTime) / 1000
            sumX.add(x)
            sumY.add(sample.value)
            sumXY.add(x * sample.value)
            sumX2.add(x * x)
        }
        if constantY {
            if initialY.isInfinite { return (.nan, .nan) }
            return (0, initialY)
        }
        let x = sumX.total, y = sumY.total
        let covariance = sumXY.total - x * y / n
        let variance = sumX2.total - x * x / n
        let slope = covariance / variance
        return (slope, y / n - slope * x / n)
    }

    static func deriv(_ samples: ArraySlice<Sample>) -> Double? {
        guard samples.count >= 2 else { return nil }
        return linearRegression(samples, interceptTime: samples[samples.startIndex].timestamp).slope
    }

    static func predictLinear(_ samples: ArraySlice<Sample>, at time: Int64, seconds: Double) -> Double? {
        guard samples.count >= 2 else { return nil }
        let (slope, intercept) = linearRegression(samples, interceptTime: time)
        return slope * seconds + intercept
    }

    /// Double exponential smoothing with smoothing factor `sf` and trend factor `tf`.
    static func holtWinters(_ samples: ArraySlice<Sample>, sf: Double, tf: Double) -> Double? {
        guard samples.count >= 2 else { return nil }
        let values = Array(samples.map(\.value))
        var s0 = 0.0
        var s1 = values[0]
        var b = values[1] - values[0]
        for i in 1..<values.count {
            let x = sf * values[i]
            if i - 1 > 0 { b = tf * (s1 - s0) + (1 - tf) * b }
            let y = (1 - sf) * (s1 + b)
            s0 = s1
            s1 = x + y
        }
        return s1
    }

    static func resets(_ samples: ArraySlice<Sample>) -> Double {
        var count = 0
        var previous = samples[samples.startIndex].value
        for sample in samples.dropFirst() {
            if sample.value < previous { count += 1 }
            previous = sample.value
        }
        return Double(count)
    }

    static func changes(_ samples: ArraySlice<Sample>) -> Double {
        var count = 0
        var previous = samples[samples.startIndex].value
        for sample in samples.dropFirst() {
            if sample.value != previous && !(sample.value.isNaN && previous.isNaN) { count += 1 }
            previous = sample.value
        }
        return Double(count)
    }

    static func avgOverTime(_ samples: ArraySlice<Sample>) -> Double {
        var mean = 0.0, compensation = 0.0, count = 0.0
        for sample in samples {
            count += 1
            if mean.isInfinite {
                if sample.value.isInfinite && (mean > 0) == (sample.value > 0) { continue }
                if !sample.value.isInfinite && !sample.value.isNaN { continue }
            }
            (mean, compensation) = KahanSum.increment(sample.value / count - mean / count, mean, compensation)
        }
        return mean.isInfinite ? mean : mean + compensation
    }

    static func sumOverTime(_ samples: ArraySlice<Sample>) -> Double {
        var sum = KahanSum()
        for sample in samples { sum.add(sample.value) }
        return sum.sum.isInfinite ? sum.sum : sum.total
    }

    static func minOverTime(_ samples: ArraySlice<Sample>) -> Double {
        var minimum = samples[samples.startIndex].value
        for sample in samples where sample.value < minimum || minimum.isNaN { minimum = sample.value }
        return minimum
    }

    static func maxOverTime(_ samples: ArraySlice<Sample>) -> Double {
        var maximum = samples[samples.startIndex].value
        for sample in samples where sample.value > maximum || maximum.isNaN { maximum = sample.value }
        return maximum
    }

    /// Population variance, with compensated sums as Prometheus computes it.
    static func stdvarOverTime(_ samples: ArraySlice<Sample>) -> Double {
        var count = 0.0
        var mean = 0.0, meanCompensation = 0.0
        var aux = 0.0, auxCompensation = 0.0
        for sample in samples {
            count += 1
            let delta = sample.value - (mean + meanCompensation)
            (mean, meanCompensation) = KahanSum.increment(delta / count, mean, meanCompensation)
            (aux, auxCompensation) = KahanSum.increment(delta * (sample.value - (mean + meanCompensation)), aux, auxCompensation)
        }
        return (aux + auxCompensation) / count
    }
}

/// Kahan-Babuška-Neumaier summation, as Prometheus' kahanSumInc.
struct KahanSum {
    var sum = 0.0
    var compensation = 0.0

    var total: Double { sum + compensation }

    mutating func add(_ value: Double) {
        (sum, compensation) = Self.increment(value, sum, compensation)
    }

    static func increment(_ increment: Double, _ sum: Double, _ compensation: Double) -> (Double, Double) {
        let t = sum + increment
        var c = compensation
        if abs(sum) >= abs(increment) {
            c += (sum - t) + increment
        } else {
            c += (increment - t) + sum
        }
        return (t, c)
    }
}
