import Foundation

/// Test signals and measurements.
enum Signals {
    static func sine(frequency: Double, amplitude: Double, rate: Int, seconds: Double) -> [Int16] {
        let n = Int(Double(rate) * seconds)
        return (0..<n).map { Int16((amplitude * sin(2 * .pi * frequency * Double($0) / Double(rate))).rounded()) }
    }

    /// Amplitude of the `frequency` component (single-bin DFT over the whole signal, skipping `edge` samples each side).
    static func amplitude(of samples: [Int16], frequency: Double, rate: Int, edge: Int = 200) -> Double {
        var re = 0.0, im = 0.0
        let range = edge..<(samples.count - edge)
        for i in range {
            let phase = 2 * .pi * frequency * Double(i) / Double(rate)
            re += Double(samples[i]) * cos(phase)
            im -= Double(samples[i]) * sin(phase)
        }
        return 2 * (re * re + im * im).squareRoot() / Double(range.count)
    }

    static func rms(_ samples: [Int16]) -> Double {
        guard !samples.isEmpty else { return 0 }
        return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
    }

    /// Signal-to-noise ratio in dB of `decoded` against `source`.
    static func snr(source: [Int16], decoded: [Int16]) -> Double {
        var signal = 0.0, noise = 0.0
        for (s, d) in zip(source, decoded) {
            signal += Double(s) * Double(s)
            noise += (Double(s) - Double(d)) * (Double(s) - Double(d))
        }
        return 10 * log10(signal / max(noise, 1e-9))
    }
}
