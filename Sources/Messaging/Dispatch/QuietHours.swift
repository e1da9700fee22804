import Foundation

/// A time of day in seconds after local midnight, 00:00 to 24:00 inclusive.
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let secondsSinceMidnight: Int

    public init(hour: Int, minute: Int = 0) {
        secondsSinceMidnight = hour * 3600 + minute * 60
    }

    /// Parses `HH:MM` (00:00…24:00).
    public init?(_ text: String) {
        let parts = text.trimmingWhitespace().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...24).contains(hour), (0...59).contains(minute), hour < 24 || minute == 0 else { return nil }
        self.init(hour: hour, minute: minute)
    }

    public var description: String {
        String(format: "%02d:%02d", secondsSinceMidnight / 3600, (secondsSinceMidnight % 3600) / 60)
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.secondsSinceMidnight < b.secondsSinceMidnight }
}

/// A daily window when nothing may be sent, `[start, end)`; it wraps midnight when end ≤ start (21:00-08:00).
public struct QuietWindow: Sendable, Hashable, CustomStringConvertible {
    public let start: TimeOfDay
    public let end: TimeOfDay

    public init(start: TimeOfDay, end: TimeOfDay) throws(MessagingError) {
        guard start != end else {
            throw .invalidQuietWindow("\(start)-\(end)", reason: "starts and ends at the same time")
        }
        guard start.secondsSinceMidnight < 86_400 else {
            throw .invalidQuietWindow("\(start)-\(end)", reason: "cannot start at 24:00")
        }
        self.start = start
        self.end = end
    }

    /// Parses `HH:MM-HH:MM`.
    public init(_ text: String) throws(MessagingError) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = TimeOfDay(String(parts[0])), let end = TimeOfDay(String(parts[1])) else {
            throw .invalidQuietWindow(text, reason: "is not two times")
        }
        try self.init(start: start, end: end)
    }

    var wraps: Bool { end <= start }

    /// Whether a second of the day (0..<86400) falls in the window.
    public func contains(secondOfDay s: Int) -> Bool {
        wraps ? (s >= start.secondsSinceMidnight || s < end.secondsSinceMidnight % 86_400)
              : (s >= start.secondsSinceMidnight && s < end.secondsSinceMidnight)
    }

    /// Seconds from `s` (inside the window) to the window's end.
    func secondsToEnd(from s: Int) -> Int {
        let end = self.end.secondsSinceMidnight
        return wraps && s >= start.secondsSinceMidnight ? 86_400 - s + end % 86_400 : end - s
    }

    public var description: String { "\(start)-\(end)" }
}

/// Whether to send now or hold, and until when.
public enum QuietHoursDecision: Sendable, Equatable {
    case sendNow
    /// Held by quiet hours; the first allowed instant (status shows "held until 08:00").
    case hold(until: Date)
}

/// The quiet windows of one channel (SMS, voice) in one place. Pure: the instant and the time zone
/// are passed in. Local times are counted from the start of the local day, which is exact in zones
/// without daylight saving (all of China); on a DST change day elsewhere a result can be an hour off.
public struct QuietHours: Sendable, Hashable, CustomStringConvertible {
    public let windows: [QuietWindow]

    /// Rejects windows that together cover the whole day.
    public init(_ windows: [QuietWindow]) throws(MessagingError) {
        self.windows = windows
        guard nextAllowedOffset(fromSecondOfDay: 0) != nil else {
            throw .noAllowedTime(windows.map(\.description).joined(separator: ","))
        }
    }

    /// Parses `21:00-08:00` or `12:00-14:00,21:00-09:00`; an empty string means no quiet hours.
    public init(_ text: String) throws(MessagingError) {
        var windows: [QuietWindow] = []
        for part in text.split(separator: ",") where !String(part).trimmingWhitespace().isEmpty {
            windows.append(try QuietWindow(String(part).trimmingWhitespace()))
        }
        try self.init(windows)
    }

    /// Issue 6's default for SMS: nothing from 21:00 to 08:00.
    public static let smsDefault = try! QuietHours("21:00-08:00")
    /// Issue 6's default for voice calls: not 12:00–14:00 (midday rest) nor 21:00–09:00.
    public static let voiceDefault = try! QuietHours("12:00-14:00,21:00-09:00")

    public var description: String { windows.map(\.description).joined(separator: ",") }

    /// Seconds from `secondOfDay` to the first second outside every window (0 when already outside),
    /// or nil when the windows never end.
    func nextAllowedOffset(fromSecondOfDay secondOfDay: Int) -> Int? {
        var offset = 0
        for _ in 0...(2 * windows.count + 2) {
            let s = (secondOfDay + offset) % 86_400
            guard let window = windows.first(where: { $0.contains(secondOfDay: s) }) else { return offset }
            offset += window.secondsToEnd(from: s)
            if offset > 2 * 86_400 { return nil }
        }
        return nil
    }

    /// Send now, or hold until the first allowed instant at or after `instant`, local time in `timeZone`.
    public func decision(at instant: Date, timeZone: TimeZone) -> QuietHoursDecision {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let midnight = calendar.startOfDay(for: instant)
        let elapsed = instant.timeIntervalSince(midnight)
        let whole = Int(elapsed.rounded(.down))
        // The window check is per second; a fraction inside the last quiet second still waits for the next.
        guard let offset = nextAllowedOffset(fromSecondOfDay: min(whole, 86_399)), offset > 0 else { return .sendNow }
        let target = whole + offset
        let days = target / 86_400
        let dayStart = calendar.date(byAdding: .day, value: days, to: midnight) ?? midnight.addingTimeInterval(Double(days) * 86_400)
        return .hold(until: dayStart.addingTimeInterval(TimeInterval(target % 86_400)))
    }

    /// The first instant at or after `instant` when sending is allowed.
    public func nextAllowed(at instant: Date, timeZone: TimeZone) -> Date {
        switch decision(at: instant, timeZone: timeZone) {
        case .sendNow: return instant
        case let .hold(until): return until
        }
    }
}

/// Quiet hours by area: a default and overrides keyed by an area-code prefix (the longest prefix wins).
public struct QuietHoursPolicy: Sendable, Hashable {
    public let standard: QuietHours
    public let overrides: [String: QuietHours]

    public init(standard: QuietHours, overrides: [String: QuietHours] = [:]) {
        self.standard = standard
        self.overrides = overrides
    }

    /// The quiet hours for a resident's area code.
    public func hours(forArea areaCode: String?) -> QuietHours {
        guard let areaCode else { return standard }
        let match = overrides.keys.filter { areaCode.hasPrefix($0) }.max { $0.count < $1.count }
        return match.flatMap { overrides[$0] } ?? standard
    }
}
