package dev.sluice.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AllowedHostsTest {

    private final AllowedHosts hosts = AllowedHosts.of(List.of("0.0.0.0", "sluice.example.com"));

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "localhost:8080", "LOCALHOST", "localhost.", "app.localhost:1", "127.0.0.1:8080",
            "[::1]:8080", "[::1]", "10.0.0.7", "sluice.example.com", "Sluice.Example.Com:443"})
    void allowsTheServersOwnNamesAndEveryAddress(String host) {
        assertThat(hosts.allowsHost(host)).as(host).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io", "sluice.example.com.evil",
            "999.1.1.1", "", "[::1", "localhost:80:80", "localhost:port"})
    void refusesAnyOtherName(String host) {
        assertThat(hosts.allowsHost(host)).as(host).isFalse();
    }

    @Test
    void checksAnOriginsHostAndRefusesNull() {
        assertThat(hosts.allowsOrigin(null)).isTrue();
        assertThat(hosts.allowsOrigin("http://127.0.0.1:8080")).isTrue();
        assertThat(hosts.allowsOrigin("https://sluice.example.com")).isTrue();
        assertThat(hosts.allowsOrigin("null")).isFalse();
        assertThat(hosts.allowsOrigin("http://evil.example")).isFalse();
        assertThat(hosts.allowsOrigin("ftp://localhost")).isFalse();
        assertThat(hosts.allowsOrigin("http://localhost@evil.example")).isFalse();
        assertThat(hosts.allowsOrigin("http://localhost/path")).isFalse();
    }

    @Test
    void allowsAnyNameOnlyWhenToldSo() {
        assertThat(AllowedHosts.of(List.of("*")).allowsHost("anything.example")).isTrue();
        assertThat(AllowedHosts.loopback().allowsHost("sluice.example.com")).isFalse();
        assertThatThrownBy(() -> AllowedHosts.of(List.of("bad host"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--allowed-hosts");
    }
}
