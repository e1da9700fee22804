import Dispatch

/// Thread-safe slots for per-thread results.
final class ResultSlots: @unchecked Sendable {
    private var slots: [SolveReport?]
    private let lock = DispatchQueue(label: "routing.results")

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: SolveReport) { lock.sync { slots[i] = r } }
    func get(_ i: Int) -> SolveReport? { lock.sync { slots[i] } }
}

/// Runs `body(0..<count)` on parallel threads and waits for all.
func runParallel(_ count: Int, _ body: @Sendable (Int) -> Void) {
    DispatchQueue.concurrentPerform(iterations: count, execute: body)
}
