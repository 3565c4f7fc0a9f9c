package dev.spindle.code;

import dev.spindle.core.SpindleException;
import dev.spindle.core.files.SessionFiles;
import dev.spindle.core.files.VPath;
import io.roastedroot.quickjs4j.core.Builtins;
import io.roastedroot.quickjs4j.core.HostFunction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The host side of JavaScript's {@code fs}: each call goes through {@link SessionFiles} (path policy,
 * deny-list, quotas) and answers {@code {value}} or {@code {error}}, never an exception: a host function
 * that throws aborts the whole script, where the code should see the error and go on.
 */
final class JavaScriptFiles {
    /** The raw module's global name; the prelude hides it behind {@code fs}. */
    static final String MODULE = "spindle_host";

    private JavaScriptFiles() {}

    static Builtins builtins(SessionFiles files, IntConsumer exit) {
        return Builtins.builder(MODULE)
                .add(function("readFile", 1, args -> files.readText(files.file(args.get(0)))))
                .add(function("writeFile", 2, args -> files.write(files.file(args.get(0)), args.get(1).getBytes(StandardCharsets.UTF_8))))
                .add(function("listDir", 1, args -> list(files, files.directory(args.get(0)))))
                .add(function("exists", 1, args -> {
                    VPath path = files.file(args.get(0));
                    return files.isFile(path) || files.isDirectory(path);
                }))
                .addIntToVoid("failed", exit::accept)
                .build();
    }

    private interface Body {
        Object apply(List<String> args);
    }

    @SuppressWarnings("rawtypes") // HostFunction's own signature
    private static HostFunction function(String name, int arity, Body body) {
        List<Class> types = Collections.nCopies(arity, String.class);
        return new HostFunction(name, types, Map.class, args -> answer(() -> body.apply(args.stream().map(String::valueOf).toList())));
    }

    private static Map<String, Object> answer(Supplier<Object> call) {
        try {
            return Map.of("value", call.get());
        } catch (SpindleException e) {
            return Map.of("error", e.getMessage());
        }
    }

    /** The names directly inside {@code dir}, sub-directories with a trailing slash. */
    private static List<String> list(SessionFiles files, VPath dir) {
        files.requireDirectory(dir);
        String prefix = dir.childPrefix();
        TreeSet<String> names = new TreeSet<>();
        for (String key : files.sizes().keySet()) {
            entryName(key, prefix, names);
        }
        for (String key : files.explicitDirectories().keySet()) {
            entryName(key + "/", prefix, names);
        }
        return List.copyOf(names);
    }

    private static void entryName(String key, String prefix, TreeSet<String> names) {
        if (key.startsWith(prefix) && key.length() > prefix.length()) {
            String rest = key.substring(prefix.length());
            int slash = rest.indexOf('/');
            names.add(slash < 0 ? rest : rest.substring(0, slash + 1));
        }
    }
}
