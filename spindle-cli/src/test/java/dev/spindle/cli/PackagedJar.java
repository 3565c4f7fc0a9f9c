package dev.spindle.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs the packaged jar as {@code ./spindle} does ({@code spindle.java} and
 * {@code spindle.jar} come from the failsafe configuration), but with C1 only: each of these JVMs lives
 * seconds, and C2 would spend most of the test's CPU compiling for a peak it never reaches.
 */
public final class PackagedJar {
    private PackagedJar() {}

    public static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(System.getProperty("spindle.java"), "-XX:TieredStopAtLevel=1",
                "-XX:-DontCompileHugeMethods", "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("spindle.jar")));
        command.addAll(List.of(args));
        return command;
    }
}
