#if canImport(Glibc)
import Glibc
#endif

/// The functions that map each value of an instant vector through a number function.
enum MathFunction {
    case abs, ceil, floor, exp, sqrt, ln, log2, log10, sgn
    case sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh, deg, rad

    init?(_ function: PromQLFunction) {
        switch function {
        case .abs: self = .abs
        case .ceil: self = .ceil
        case .floor: self = .floor
        case .exp: self = .exp
        case .sqrt: self = .sqrt
        case .ln: self = .ln
        case .log2: self = .log2
        case .log10: self = .log10
        case .sgn: self = .sgn
        case .sin: self = .sin
        case .cos: self = .cos
        case .tan: self = .tan
        case .asin: self = .asin
        case .acos: self = .acos
        case .atan: self = .atan
        case .sinh: self = .sinh
        case .cosh: self = .cosh
        case .tanh: self = .tanh
        case .asinh: self = .asinh
        case .acosh: self = .acosh
        case .atanh: self = .atanh
        case .deg: self = .deg
        case .rad: self = .rad
        default: return nil
        }
    }

    func apply(_ value: Double) -> Double {
        switch self {
        case .abs: return Swift.abs(value)
        case .ceil: return value.rounded(.up)
        case .floor: return value.rounded(.down)
        case .exp: return Glibc.exp(value)
        case .sqrt: return value.squareRoot()
        case .ln: return Glibc.log(value)
        case .log2: return Glibc.log2(value)
        case .log10: return Glibc.log10(value)
        case .sgn: return value < 0 ? -1 : (value > 0 ? 1 : value)
        case .sin: return Glibc.sin(value)
        case .cos: return Glibc.cos(value)
        case .tan: return Glibc.tan(value)
        case .asin: return Glibc.asin(value)
        case .acos: return Glibc.acos(value)
        case .atan: return Glibc.atan(value)
        case .sinh: return Glibc.sinh(value)
        case .cosh: return Glibc.cosh(value)
        case .tanh: return Glibc.tanh(value)
        case .asinh: return Glibc.asinh(value)
        case .acosh: return Glibc.acosh(value)
        case .atanh: return Glibc.atanh(value)
        case .deg: return value * 180 / Double.pi
        case .rad: return value * Double.pi / 180
        }
    }

    /// Go's math.Min: NaN if either is NaN, and -0 below +0 (C's fmin returns the other operand).
    static func goMin(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN { return .nan }
        if a == 0 && b == 0 { return a.sign == .minus ? a : b }
        return a < b ? a : b
    }

    /// Go's math.Max: NaN if either is NaN, and +0 above -0.
    static func goMax(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN { return .nan }
        if a == 0 && b == 0 { return a.sign == .minus ? b : a }
        return a > b ? a : b
    }
}
