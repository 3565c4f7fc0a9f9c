package dev.spindle.core.files;

/**
 * A normalised path inside a session's virtual filesystem. {@code key} is the canonical form, relative
 * to the session root with no leading slash ({@code "src/main.py"}; the root is {@code ""}); {@code raw}
 * is the text the caller wrote, kept for messages so that an agent sees its own path echoed back.
 */
public record VPath(String key, String raw) {

    public boolean isRoot() {
        return key.isEmpty();
    }

    /** The parent directory's key; the root's parent is the root. */
    public String parentKey() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    public String name() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** True when {@code otherKey} is this path or lies below it. */
    public boolean contains(String otherKey) {
        return isRoot() || otherKey.equals(key) || otherKey.startsWith(key + "/");
    }

    /** The prefix that every key below this directory starts with. */
    public String childPrefix() {
        return isRoot() ? "" : key + "/";
    }

    @Override
    public String toString() {
        return raw;
    }
}
