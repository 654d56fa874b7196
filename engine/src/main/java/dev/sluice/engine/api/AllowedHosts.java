package dev.sluice.engine.api;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names a browser may use to reach this server: what {@code Host} and {@code Origin} must say.
 * A page whose own name was rebound to this machine's address (DNS rebinding) sends its own name in
 * {@code Host}, so it is refused. Allowed by default: {@code localhost}, every IP literal (a page
 * can only be same-origin with an address by being served from it, so an address is never a
 * rebinding), and the names given ({@code --bind}'s and {@code --allowed-hosts}). {@code *} allows
 * any name (behind a proxy that checks it). Ports are not compared. Pure.
 *
 * @param names lower-case host names without port or brackets
 * @param any   whether every name is allowed
 */
public record AllowedHosts(Set<String> names, boolean any) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]*:[0-9a-f:.]*(%[0-9a-z]+)?");

    public AllowedHosts {
        names = Set.copyOf(names);
    }

    /** localhost and IP literals only. */
    public static AllowedHosts loopback() {
        return of(List.of());
    }

    /**
     * @param extra names to allow besides localhost and IP literals (a bind address, {@code --allowed-hosts});
     *              {@code *} allows any; blank entries are ignored
     * @throws IllegalArgumentException for a name that cannot be a host name
     */
    public static AllowedHosts of(Collection<String> extra) {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        boolean any = false;
        for (String e : extra) {
            if (e == null || e.isBlank()) continue;
            String name = e.strip();
            if (name.equals("*")) {
                any = true;
                continue;
            }
            String host = hostOf(name);
            if (host == null || host.isEmpty() || !host.matches("[a-z0-9._:%-]+")) {
                throw new IllegalArgumentException("--allowed-hosts: '" + e + "' is not a host name (e.g. sluice.example.com)");
            }
            names.add(host);
        }
        return new AllowedHosts(names, any);
    }

    /** Whether a {@code Host} header value ({@code name[:port]}, {@code [v6][:port]}) names this server. */
    public boolean allowsHost(String header) {
        if (any) return true;
        String host = hostOf(header);
        if (host == null || host.isEmpty()) return false;
        return names.contains(host) || isIpLiteral(host) || host.endsWith(".localhost");
    }

    /**
     * Whether an {@code Origin} header ({@code scheme://host[:port]}) is a page of this server;
     * {@code null} (sandboxed frames, files) never is.
     */
    public boolean allowsOrigin(String origin) {
        if (origin == null) return true;
        String o = origin.strip().toLowerCase(Locale.ROOT);
        int scheme = o.indexOf("://");
        if (scheme < 0) return false;
        String s = o.substring(0, scheme);
        if (!s.equals("http") && !s.equals("https")) return false;
        String rest = o.substring(scheme + 3);
        if (rest.isEmpty() || rest.contains("/") || rest.contains("@")) return false;
        return allowsHost(rest);
    }

    /** The host of {@code name[:port]} or {@code [v6][:port]}, lower case, without brackets and trailing dot; null when malformed. */
    static String hostOf(String header) {
        if (header == null) return null;
        String h = header.strip().toLowerCase(Locale.ROOT);
        String host;
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            if (end < 0) return null;
            String after = h.substring(end + 1);
            if (!after.isEmpty() && !after.matches(":\\d{1,5}")) return null;
            host = h.substring(1, end);
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0 && h.indexOf(':', colon + 1) >= 0) {
                host = h; // a bare IPv6 address (not valid in Host, but it is what --allowed-hosts may say)
            } else if (colon >= 0) {
                if (!h.substring(colon + 1).matches("\\d{1,5}")) return null;
                host = h.substring(0, colon);
            } else {
                host = h;
            }
        }
        if (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        return host;
    }

    static boolean isIpLiteral(String host) {
        if (IPV4.matcher(host).matches()) {
            for (String part : host.split("\\.")) if (Integer.parseInt(part) > 255) return false;
            return true;
        }
        return host.contains(":") && IPV6.matcher(host).matches();
    }
}
