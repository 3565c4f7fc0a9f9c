package dev.spindle.generator.llm;

/** Nothing answers at the LLM's address (connection refused, unknown host): the run cannot make any sample. */
public final class LlmUnreachableException extends RuntimeException {
    LlmUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
