package dev.spindle.testing;

import java.lang.management.ManagementFactory;

/**
 * Heap bytes allocated so far by every thread of the JVM (HotSpot's count, exact and unaffected by when the
 * collector runs): a test reads it before and after an operation to bound what the operation allocated,
 * which says "it never read the files" where timing or heap usage would only hint at it.
 */
public final class Allocation {
    private Allocation() {}

    public static long ofAllThreads() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getTotalThreadAllocatedBytes();
    }
}
