package dev.spindle.generator;

/** A sample that could not be made; {@code cause} is the summary's bucket for it. */
public final class SampleFailure extends RuntimeException {
    /** Why a sample failed, as the closing summary counts it. */
    public enum Cause {
        /** The LLM API failed after its retries (HTTP errors, timeouts, refused keys). */
        llm,
        /** The LLM's answer was unusable: empty, too short, or not the JSON asked for. */
        invalid_answer,
        /** The agent answered without calling any tool. */
        no_tool_calls,
        /** The agent asked for more calls than {@code max_per_query} under {@code strict: true}. */
        over_limit,
        /** The tool service could not be reached or refused the session. */
        tool_service,
        /** The run was stopped while the sample was in flight. */
        interrupted,
        /** Anything else (a full disk, a bug): the message says what. */
        unexpected
    }

    private final Cause cause;
    private Sample.LlmUsage usage = Sample.LlmUsage.NONE;

    public SampleFailure(Cause cause, String message) {
        super(message);
        this.cause = cause;
    }

    /** Records what the failed attempt cost, so the summary counts tokens that were paid for. */
    SampleFailure spent(Sample.LlmUsage spent) {
        usage = spent;
        return this;
    }

    public Sample.LlmUsage usage() {
        return usage;
    }

    public Cause kind() {
        return cause;
    }

    /** Worth another attempt: the LLM may well answer differently next time. */
    public boolean retryable() {
        return cause == Cause.invalid_answer || cause == Cause.no_tool_calls || cause == Cause.over_limit;
    }
}
