package dev.spindle.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a component may send HTTP requests: Spin's {@code allowed_outbound_hosts} patterns
 * ({@code scheme://host:port}, {@code *} for any scheme, host label or port). Private, loopback and
 * link-local addresses (cloud metadata at 169.254.169.254 among them) are refused unless an entry names
 * the host itself: {@code http://127.0.0.1:*} grants loopback, {@code *://*:*} grants only public hosts.
 * A name matched only by {@code *} is resolved and refused if any of its addresses is not public; the
 * connection resolves it again, so a name re-pointed in between (DNS rebinding) is not caught.
 * Every check happens before any connection is made.
 */
public final class AllowedHosts {
    /** Grants nothing: what a component that did not declare outbound HTTP gets. */
    public static final AllowedHosts NONE = new AllowedHosts(List.of(), "this component was granted no outbound HTTP");

    private static final Pattern SYNTAX = Pattern.compile("(\\*|https?)://(\\[[0-9A-Fa-f:.]+]|[^/:\\[\\]]+)(?::(\\*|\\d{1,5}))?");

    private final List<String> patterns;
    private final List<Entry> entries;
    private final String howToAllow;

    /** One pattern: its compiled form, and whether it names its host (rather than any host). */
    private record Entry(Pattern origin, boolean namesHost) {}

    private AllowedHosts(List<String> patterns, String howToAllow) {
        this.patterns = List.copyOf(patterns);
        this.entries = patterns.stream().map(AllowedHosts::compile).toList();
        this.howToAllow = howToAllow;
    }

    /**
     * @param patterns Spin-style patterns; a bad one is an {@link IllegalArgumentException} saying why
     * @param howToAllow where the operator grants more, for refusal messages (e.g. "allowed_outbound_hosts in spindle.toml")
     */
    public static AllowedHosts of(List<String> patterns, String howToAllow) {
        return new AllowedHosts(patterns, howToAllow);
    }

    /** Checks one pattern as configuration gives it; a bad one is an {@link IllegalArgumentException} saying why. */
    public static void validate(String pattern) {
        compile(pattern);
    }

    private static Entry compile(String pattern) {
        var m = SYNTAX.matcher(pattern);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + pattern + "' is not scheme://host:port (e.g. https://api.example.com:443, http://127.0.0.1:*, https://*.example.com)");
        }
        String scheme = m.group(1).equals("*") ? "https?" : Pattern.quote(m.group(1));
        String host = m.group(2).equals("*") ? "[^/]+" : Pattern.quote(m.group(2).toLowerCase()).replace("*", "\\E[^.:/]+\\Q").replace("\\Q\\E", "");
        String port = m.group(3) == null ? (m.group(1).equals("http") ? "80" : m.group(1).equals("https") ? "443" : "\\d+")
                : m.group(3).equals("*") ? "\\d+" : m.group(3);
        return new Entry(Pattern.compile(scheme + "://" + host + ":" + port), !m.group(2).equals("*"));
    }

    /** The patterns as configured. */
    public List<String> patterns() {
        return patterns;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** True when {@link #check} would let a request to {@code uri} go. */
    public boolean allows(URI uri) {
        try {
            check(uri);
            return true;
        } catch (SpindleException refused) {
            return false;
        }
    }

    /** {@link #check(URI)} for a URL as a client gives it; one that is not a URL is {@code InvalidRequest}. */
    public void check(String url) {
        try {
            check(new URI(url));
        } catch (URISyntaxException e) {
            throw new SpindleException(ErrorType.InvalidRequest, "Not a URL: " + e.getMessage());
        }
    }

    /**
     * Refuses ({@code NotAllowed}, naming the origin and how to allow it) a request to {@code uri} that no
     * pattern grants, or that reaches a non-public address no pattern names. Resolves the host only then.
     */
    public void check(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null || !uri.getScheme().matches("https?")) {
            throw new SpindleException(ErrorType.InvalidRequest, "Only http and https URLs can be fetched, got " + uri);
        }
        String origin = origin(uri);
        List<Entry> matching = entries.stream().filter(e -> e.origin.matcher(origin).matches()).toList();
        if (matching.isEmpty()) {
            throw new SpindleException(ErrorType.NotAllowed, "Outbound request to " + origin + " is not allowed: " + howToAllow
                    + (patterns.isEmpty() ? "" : " (allowed: " + String.join(", ", patterns) + ")"));
        }
        if (matching.stream().noneMatch(Entry::namesHost)) {
            String kind = nonPublic(uri.getHost());
            if (kind != null) {
                throw new SpindleException(ErrorType.NotAllowed, "Outbound request to " + origin + " is not allowed: " + uri.getHost()
                        + " is a " + kind + " address, which '*' does not grant; name it (e.g. " + uri.getScheme() + "://" + uri.getHost()
                        + ":*) to allow it: " + howToAllow);
            }
        }
    }

    private static String origin(URI uri) {
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        return uri.getScheme() + "://" + uri.getHost().toLowerCase() + ":" + port;
    }

    /** What kind of non-public address the host is or resolves to, or null when all its addresses are public (or it does not resolve). */
    private static String nonPublic(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host); // a literal address is parsed, not looked up
        } catch (UnknownHostException e) {
            return null; // the request itself then fails as an unknown host
        }
        for (InetAddress address : addresses) {
            String kind = kind(address);
            if (kind != null) {
                return kind;
            }
        }
        return null;
    }

    /** The kind of a non-public address ("loopback", "link-local", "private", "special-purpose"), or null for a public one. */
    static String kind(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return "loopback";
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return "special-purpose";
        }
        if (address.isLinkLocalAddress()) {
            return "link-local";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress()) {
            try {
                return kind(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16))); // ::a.b.c.d reaches a.b.c.d
            } catch (UnknownHostException impossible) { // four bytes are always an address
                throw new IllegalStateException(impossible);
            }
        }
        boolean privateV4 = address instanceof Inet4Address && (address.isSiteLocalAddress()
                || (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 // 100.64.0.0/10, carrier-grade NAT
                || b[0] == 0 || (b[0] & 0xff) >= 240); // 0.0.0.0/8, 240.0.0.0/4 and broadcast
        boolean privateV6 = address instanceof Inet6Address && (address.isSiteLocalAddress() || (b[0] & 0xfe) == 0xfc); // fc00::/7
        return privateV4 || privateV6 ? "private" : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AllowedHosts other && patterns.equals(other.patterns);
    }

    @Override
    public int hashCode() {
        return patterns.hashCode();
    }

    @Override
    public String toString() {
        return String.join(", ", patterns);
    }
}
