import Foundation

/// Sample-rate conversion by band-limited interpolation: a Blackman-windowed sinc low-pass filter
/// evaluated in polyphase form, so that going from 22 050 Hz to 8 000 Hz removes everything above
/// the new Nyquist frequency instead of folding it back as aliasing (which dropping samples would do).
public struct Resampler: Sendable {
    public let inputRate: Int
    public let outputRate: Int
    /// Pass-band edge in Hz (the filter's half-amplitude point).
    public let cutoff: Double
    private let step: Int      // input rate / gcd
    private let phases: Int    // output rate / gcd
    private let halfWidth: Int // taps on each side, in input samples
    private let taps: Int      // 2 · halfWidth, rounded up to a multiple of 8 (the extra weights are zero)
    private let weights: [Float] // phases × taps

    public init(from inputRate: Int, to outputRate: Int) {
        precondition(inputRate > 0 && outputRate > 0, "sample rates must be positive")
        self.inputRate = inputRate
        self.outputRate = outputRate
        let g = Self.gcd(inputRate, outputRate)
        step = inputRate / g
        phases = outputRate / g
        cutoff = 0.4375 * Double(min(inputRate, outputRate))
        let ratio = max(1.0, Double(inputRate) / Double(outputRate))
        halfWidth = Int((24.0 * ratio).rounded(.up))
        let fc = cutoff / Double(inputRate) // cycles per input sample
        let used = 2 * halfWidth
        taps = (used + 7) / 8 * 8
        var w = [Float](repeating: 0, count: phases * taps)
        for phase in 0..<phases {
            let frac = Double(phase) / Double(phases)
            var sum = 0.0
            var row = [Double](repeating: 0, count: used)
            for k in 0..<used {
                let x = Double(k - halfWidth + 1) - frac   // input sample position minus output position
                let sincArg = 2 * fc * x
                let sinc = abs(sincArg) < 1e-12 ? 1.0 : sin(Double.pi * sincArg) / (Double.pi * sincArg)
                let n = (x + Double(halfWidth)) / Double(2 * halfWidth)   // 0…1 across the window
                let window = n <= 0 || n >= 1 ? 0 : 0.42 - 0.5 * cos(2 * Double.pi * n) + 0.08 * cos(4 * Double.pi * n)
                row[k] = 2 * fc * sinc * window
                sum += row[k]
            }
            for k in 0..<used { w[phase * taps + k] = Float(row[k] / sum) }   // unity gain at DC
        }
        weights = w
    }

    public func resample(_ input: [Int16]) -> [Int16] {
        if inputRate == outputRate { return input }
        let outCount = input.count * phases / step
        // The input as floats with zeros on both sides, so that every output reads a full row of taps.
        let pad = halfWidth + 8
        var source = [Float](repeating: 0, count: input.count + 2 * pad + taps)
        for (i, s) in input.enumerated() { source[pad + i] = Float(s) }
        var out = [Int16](repeating: 0, count: outCount)
        source.withUnsafeBufferPointer { src in
            weights.withUnsafeBufferPointer { w in
                let srcBase = UnsafeRawPointer(src.baseAddress!)
                let wBase = UnsafeRawPointer(w.baseAddress!)
                let stride = MemoryLayout<Float>.stride
                for n in 0..<outCount {
                    let position = n * step
                    let first = pad + position / phases - halfWidth + 1
                    let row = (position % phases) * taps
                    var acc = SIMD8<Float>()
                    var k = 0
                    while k < taps {
                        let x = srcBase.loadUnaligned(fromByteOffset: (first + k) * stride, as: SIMD8<Float>.self)
                        let c = wBase.loadUnaligned(fromByteOffset: (row + k) * stride, as: SIMD8<Float>.self)
                        acc += x * c
                        k += 8
                    }
                    out[n] = Int16(max(-32768, min(32767, acc.sum().rounded())))
                }
            }
        }
        return out
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
}
