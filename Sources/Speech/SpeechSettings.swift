/// How messages are spoken: rate and pauses for older listeners.
public struct SpeechSettings: Sendable, Equatable {
    /// Words per minute; espeak-ng's own default is 175, too fast for the old.
    public var rate: Int
    /// Silence after each sentence.
    public var sentencePauseMilliseconds: Int
    /// Silence before the closing repeat.
    public var closingPauseMilliseconds: Int

    public init(rate: Int = 130, sentencePauseMilliseconds: Int = 900, closingPauseMilliseconds: Int = 1500) {
        self.rate = rate
        self.sentencePauseMilliseconds = sentencePauseMilliseconds
        self.closingPauseMilliseconds = closingPauseMilliseconds
    }

    public static let `default` = SpeechSettings()

    /// espeak-ng accepts 80–450 words per minute.
    public static let rateRange = 80...450
}
