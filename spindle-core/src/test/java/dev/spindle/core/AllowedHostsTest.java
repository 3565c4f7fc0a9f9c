package dev.spindle.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Outbound HTTP grants: Spin's patterns, and non-public addresses only where an entry names them. No request is sent. */
class AllowedHostsTest {
    private static boolean allows(List<String> patterns, String url) {
        return AllowedHosts.of(patterns, "grant it").allows(URI.create(url));
    }

    @Test
    void hostPatternsFollowSpin() {
        List<String> granted = List.of("https://*.example.com", "http://localhost:8080", "*://10.0.0.1:*");
        assertThat(allows(granted, "https://api.example.com/v1")).isTrue();
        assertThat(allows(granted, "https://api.example.com:8443/v1")).isFalse();
        assertThat(allows(granted, "https://deep.api.example.com/")).isFalse();
        assertThat(allows(granted, "http://localhost:8080/x")).isTrue();
        assertThat(allows(granted, "http://localhost/x")).isFalse();
        assertThat(allows(granted, "http://10.0.0.1:9/x")).isTrue();
        assertThatThrownBy(() -> AllowedHosts.validate("api.example.com")).hasMessageContaining("scheme://host:port");
        assertThat(allows(List.of(), "https://api.example.com/")).isFalse();
    }

    @Test
    void aWildcardHostGrantsPublicAddressesButNoPrivateLoopbackOrLinkLocalOne() {
        List<String> anyHost = List.of("*://*:*");
        assertThat(allows(anyHost, "https://93.184.215.14/")).isTrue();
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.1.2.3:8080/", "http://192.168.1.1/",
                "http://172.16.0.1/", "http://127.0.0.1:3001/mcp", "http://[::1]:3001/mcp", "http://[fd00::1]/", "http://[fe80::1]/",
                "http://0.0.0.0:80/", "http://100.64.0.1/", "http://[::ffff:169.254.169.254]/")) {
            assertThat(allows(anyHost, url)).as(url).isFalse();
        }
        assertThat(allows(anyHost, "http://localhost:3001/")).as("a name is resolved before the check").isFalse();
    }

    @Test
    void anEntryNamingTheHostGrantsIt() {
        List<String> granted = List.of("*://*:*", "http://127.0.0.1:*", "http://10.1.2.3:8080", "http://[::1]:*");
        assertThat(allows(granted, "http://127.0.0.1:3001/mcp")).isTrue();
        assertThat(allows(granted, "http://10.1.2.3:8080/")).isTrue();
        assertThat(allows(granted, "http://[::1]:3001/")).isTrue();
        assertThat(allows(granted, "http://10.1.2.3:8081/")).as("only on the port it names").isFalse();
        assertThat(allows(granted, "https://127.0.0.1/")).as("only with the scheme it names").isFalse();
        assertThat(allows(List.of("http://127.0.0.1:*"), "http://[::1]:3001/")).as("IPv4 loopback does not grant ::1").isFalse();
    }

    @Test
    void aRefusalNamesTheOriginWhyAndHowToAllowIt() {
        AllowedHosts hosts = AllowedHosts.of(List.of("*://*:*"), "add it with serve --mock-outbound");
        assertThatThrownBy(() -> hosts.check(URI.create("http://169.254.169.254/latest")))
                .isInstanceOfSatisfying(SpindleException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.NotAllowed))
                .hasMessage("Outbound request to http://169.254.169.254:80 is not allowed: 169.254.169.254 is a link-local address, "
                        + "which '*' does not grant; name it (e.g. http://169.254.169.254:*) to allow it: add it with serve --mock-outbound");
        assertThatThrownBy(() -> AllowedHosts.NONE.check(URI.create("https://api.example.com/")))
                .hasMessage("Outbound request to https://api.example.com:443 is not allowed: this component was granted no outbound HTTP");
        assertThatThrownBy(() -> AllowedHosts.of(List.of("https://a.example.com"), "see spindle.toml").check(URI.create("https://b.example.com/")))
                .hasMessage("Outbound request to https://b.example.com:443 is not allowed: see spindle.toml (allowed: https://a.example.com)");
    }

    @Test
    void addressKinds() throws Exception {
        assertThat(AllowedHosts.kind(InetAddress.getByName("10.0.0.1"))).isEqualTo("private");
        assertThat(AllowedHosts.kind(InetAddress.getByName("192.168.0.1"))).isEqualTo("private");
        assertThat(AllowedHosts.kind(InetAddress.getByName("169.254.169.254"))).isEqualTo("link-local");
        assertThat(AllowedHosts.kind(InetAddress.getByName("::1"))).isEqualTo("loopback");
        assertThat(AllowedHosts.kind(InetAddress.getByName("::127.0.0.1"))).isEqualTo("loopback");
        assertThat(AllowedHosts.kind(InetAddress.getByName("::169.254.169.254"))).isEqualTo("link-local");
        assertThat(AllowedHosts.kind(InetAddress.getByName("::10.0.0.1"))).isEqualTo("private");
        assertThat(AllowedHosts.kind(InetAddress.getByName("0.0.0.0"))).isEqualTo("special-purpose");
        assertThat(AllowedHosts.kind(InetAddress.getByName("8.8.8.8"))).isNull();
        assertThat(AllowedHosts.kind(InetAddress.getByName("2606:4700::1111"))).isNull();
    }
}
