package dev.spindle.wasm;

import dev.spindle.core.AllowedHosts;
import dev.spindle.core.Capability;
import dev.spindle.core.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * {@code spindle.toml}, shaped like Spin's {@code spin.toml}: {@code [[trigger.http]]} routes
 * {@code "/name/..."} to {@code component = "name"}, and {@code [component.name]} says where the module
 * is and what it may do. Anything unknown or wrong fails at start with the file, the key and what is
 * allowed; nothing is silently ignored.
 */
public final class Manifest {
    private static final Set<String> TOP = Set.of("spin_manifest_version", "application", "trigger", "component", "variables");
    private static final Set<String> COMPONENT = Set.of("source", "description", "allowed_outbound_hosts", "files", "variables",
            "timeout_ms", "max_memory_mb", "max_output_kb");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private Manifest() {}

    /** The components the manifest declares, loaded and compiled, in file order. */
    public static List<WasmComponent> load(Path file, Map<String, String> environment) {
        JsonNode root;
        try {
            root = TomlMapper.builder().build().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read it: " + e.getMessage());
        } catch (JacksonException e) {
            throw new ManifestException(file + ": not valid TOML: " + e.getOriginalMessage());
        }
        unknownKeys(file, "", root, TOP);
        JsonNode components = root.path("component");
        if (!components.isObject() || components.isEmpty()) {
            throw new ManifestException(file + ": no [component.<name>] table; declare at least one component");
        }
        Set<String> routed = routes(file, root.path("trigger").path("http"), components);
        List<WasmComponent> loaded = new ArrayList<>();
        for (Map.Entry<String, JsonNode> entry : components.properties()) {
            String name = entry.getKey();
            if (!routed.contains(name)) {
                throw new ManifestException(file + ": component." + name + " has no [[trigger.http]] route = \"/" + name + "/...\"");
            }
            loaded.add(component(file, name, entry.getValue(), environment));
        }
        return loaded;
    }

    private static Set<String> routes(Path file, JsonNode triggers, JsonNode components) {
        Set<String> routed = new TreeSet<>();
        if (!triggers.isArray()) {
            throw new ManifestException(file + ": no [[trigger.http]] entries; each component needs route = \"/<name>/...\" and component = \"<name>\"");
        }
        for (int i = 0; i < triggers.size(); i++) {
            JsonNode trigger = triggers.get(i);
            String where = file + ": trigger.http[" + i + "]";
            unknownKeys(file, "trigger.http[" + i + "].", trigger, Set.of("route", "component"));
            String component = trigger.path("component").asString("");
            if (!components.has(component)) {
                throw new ManifestException(where + ": component = \"" + component + "\" is not declared as [component." + component + "]");
            }
            if (!trigger.path("route").asString("").equals("/" + component + "/...")) {
                throw new ManifestException(where + ": route must be \"/" + component + "/...\" (the component's name), got \""
                        + trigger.path("route").asString("") + "\"");
            }
            routed.add(component);
        }
        return routed;
    }

    private static WasmComponent component(Path file, String name, JsonNode spec, Map<String, String> environment) {
        String at = "component." + name;
        if (!NAME.matcher(name).matches()) {
            throw new ManifestException(file + ": " + at + ": a name is lower-case letters, digits and '-', starting with a letter");
        }
        unknownKeys(file, at + ".", spec, COMPONENT);
        if (!spec.path("source").isString()) {
            throw new ManifestException(file + ": " + at + ".source is required: the path of the .wasm module, relative to the manifest");
        }
        List<String> hosts = new ArrayList<>();
        JsonNode given = spec.path("allowed_outbound_hosts");
        if (!given.isMissingNode() && !given.isArray()) {
            throw new ManifestException(file + ": " + at + ".allowed_outbound_hosts must be a list of \"scheme://host:port\" strings");
        }
        for (JsonNode host : given) {
            try {
                AllowedHosts.validate(host.asString(""));
            } catch (IllegalArgumentException e) {
                throw new ManifestException(file + ": " + at + ".allowed_outbound_hosts: " + e.getMessage());
            }
            hosts.add(host.asString());
        }
        if (spec.has("files") && !spec.path("files").asString("").equals("session")) {
            throw new ManifestException(file + ": " + at + ".files must be \"session\" (mount the session's files at /workspace) or absent, got "
                    + spec.path("files"));
        }
        Path source = file.toAbsolutePath().getParent().resolve(spec.path("source").asString());
        if (!Files.isRegularFile(source)) {
            throw new ManifestException(file + ": " + at + ".source: no such file " + source);
        }
        WasmComponent.Limits limits = new WasmComponent.Limits(
                Duration.ofMillis(positive(file, at + ".timeout_ms", spec, 5000)),
                positive(file, at + ".max_memory_mb", spec, 64) << 20,
                (int) Math.min(Integer.MAX_VALUE, positive(file, at + ".max_output_kb", spec, 1024) << 10));
        Map<String, String> variables = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> variable : spec.path("variables").properties()) {
            if (!variable.getValue().isString()) {
                throw new ManifestException(file + ": " + at + ".variables." + variable.getKey() + " must be a string");
            }
            String override = environment.get("SPIN_VARIABLE_" + variable.getKey().toUpperCase(Locale.ROOT));
            variables.put(variable.getKey(), override != null ? override : expand(file, at, variable.getValue().asString(), environment));
        }
        Set<Capability> capabilities = new HashSet<>();
        if (spec.has("files")) {
            capabilities.add(Capability.SESSION_FILES);
        }
        if (!hosts.isEmpty()) {
            capabilities.add(Capability.outbound(AllowedHosts.of(hosts, "add it to " + at + ".allowed_outbound_hosts in " + file.getFileName())));
        }
        if (!variables.isEmpty()) {
            capabilities.add(Capability.variables(variables));
        }
        try {
            return new WasmComponent(name, WasmProgram.load(source), limits, capabilities);
        } catch (IllegalArgumentException e) {
            throw new ManifestException(file + ": " + at + ".source: " + e.getMessage());
        }
    }

    private static long positive(Path file, String key, JsonNode spec, long fallback) {
        JsonNode value = spec.path(key.substring(key.lastIndexOf('.') + 1));
        if (value.isMissingNode()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || value.asLong() <= 0) {
            throw new ManifestException(file + ": " + key + " must be a positive whole number, got " + value);
        }
        return value.asLong();
    }

    /** {@code ${NAME}} takes the environment variable NAME; an unset one is an error, not an empty string. */
    private static String expand(Path file, String at, String value, Map<String, String> environment) {
        Matcher m = ENV_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String set = environment.get(m.group(1));
            if (set == null) {
                throw new ManifestException(file + ": " + at + ".variables: environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(set));
        }
        return m.appendTail(out).toString();
    }

    private static void unknownKeys(Path file, String prefix, JsonNode table, Set<String> allowed) {
        for (String key : table.propertyNames()) {
            if (!allowed.contains(key)) {
                throw new ManifestException(file + ": unknown key '" + prefix + key + "'; allowed: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** A manifest mistake: the message names the file, the key and what is allowed. */
    public static final class ManifestException extends ConfigException {
        ManifestException(String message) {
            super(message);
        }
    }
}
