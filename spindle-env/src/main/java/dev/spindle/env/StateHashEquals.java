package dev.spindle.env;

/**
 * {@code state_hash: reference}: the session's state digest (files and every component's state, not the
 * trace nor times) equals the one the task's reference solution produces on a fresh session seeded the
 * same way; or {@code state_hash: HEX}, a digest given literally.
 */
record StateHashEquals(String expected) implements Assertion {
    static final String REFERENCE = "reference";

    public String kind() {
        return "state_hash";
    }

    public String target() {
        return expected;
    }

    public Finding check(Evidence evidence) {
        String want = expected;
        if (expected.equals(REFERENCE)) {
            Evidence.Reference reference = evidence.reference().get();
            if (reference.failure() != null) {
                return Finding.of(false, null, null, "the reference solution did not run: " + reference.failure());
            }
            want = reference.digest();
        }
        String actual = evidence.digest().get();
        boolean same = actual.equals(want);
        return Finding.of(same, want, actual, same ? null : "the session's state differs from the " + (expected.equals(REFERENCE) ? "reference solution's" : "expected state"));
    }
}
