package dev.spindle.env;

/**
 * One kind of check over a session's final state: the file assertions ({@link FileAssertion}), the
 * assertions over the calls it made ({@link CallAssertion}), {@link StateHashEquals}, and a command's
 * outcome over the files ({@link CommandAssertion}).
 */
sealed interface Assertion permits FileAssertion, CallAssertion, StateHashEquals, CommandAssertion {
    /** The key naming the kind in a task file: {@code exists}, {@code called}... */
    String kind();

    /** What it is about: a path, a tool, {@code reference}. */
    String target();

    Finding check(Evidence evidence);
}
