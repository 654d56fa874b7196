package dev.sluice.engine.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The alert channels of a server ({@code --channels FILE}): a YAML map {@code NAME: {url: URL, secret_file: PATH}}.
 * A channel's URL and secret are never shown: {@link #toString} and every error name the channel only.
 */
public final class Channels {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Set<String> KEYS = Set.of("url", "secret_file");

    /** One channel: where to POST, and the HMAC key (null: deliveries are not signed). */
    public record Channel(String name, URI url, byte[] secret) {
        @Override
        public String toString() {
            return "Channel[" + name + "]";
        }
    }

    private final Map<String, Channel> byName;

    public Channels(Map<String, Channel> byName) {
        this.byName = Map.copyOf(byName);
    }

    public static Channels none() {
        return new Channels(Map.of());
    }

    public Optional<Channel> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }

    @Override
    public String toString() {
        return "Channels" + new java.util.TreeSet<>(byName.keySet());
    }

    /**
     * Reads and checks a channels file: http or https URLs only, none pointing at this server itself
     * ({@code serverPort} on a loopback or local address), secret files readable.
     *
     * @throws IllegalArgumentException with a message naming the channel, never its URL or secret
     */
    public static Channels load(Path file, int serverPort) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read channels file " + file + ": " + e.getClass().getSimpleName());
        }
        if (root == null || root.isNull()) return none();
        if (!root.isObject()) throw new IllegalArgumentException(file + ": channels must be a map of NAME: {url, secret_file}");
        Map<String, Channel> out = new LinkedHashMap<>();
        Path base = file.toAbsolutePath().getParent();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (!NAME.matcher(name).matches()) throw new IllegalArgumentException(file + ": bad channel name '" + name + "'");
            JsonNode c = e.getValue();
            if (c == null || !c.isObject()) throw new IllegalArgumentException(file + ": channel " + name + " must be a map with url");
            c.fieldNames().forEachRemaining(k -> {
                if (!KEYS.contains(k)) throw new IllegalArgumentException(file + ": channel " + name + ": unknown key '" + k + "' (url, secret_file)");
            });
            String url = c.path("url").asText(null);
            if (url == null || url.isBlank()) throw new IllegalArgumentException(file + ": channel " + name + " needs a url");
            URI uri = checkUrl(name, url, serverPort);
            byte[] secret = null;
            String secretFile = c.path("secret_file").asText(null);
            if (secretFile != null) {
                Path p = base.resolve(secretFile);
                try {
                    secret = key(Files.readString(p, StandardCharsets.UTF_8).strip());
                } catch (IOException ex) {
                    throw new IllegalArgumentException(file + ": channel " + name + ": cannot read its secret_file");
                }
                if (secret.length == 0) throw new IllegalArgumentException(file + ": channel " + name + ": its secret_file is empty");
            }
            out.put(name, new Channel(name, uri, secret));
        }
        return new Channels(out);
    }

    /** A Standard Webhooks secret {@code whsec_<base64>} is its decoded bytes; any other text, its UTF-8 bytes. */
    static byte[] key(String secret) {
        if (secret.startsWith("whsec_")) {
            try {
                return Base64.getDecoder().decode(secret.substring("whsec_".length()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("a whsec_ secret must be base64");
            }
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    static URI checkUrl(String name, String url, int serverPort) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("channel " + name + ": its url is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("channel " + name + ": only http and https URLs are allowed");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) throw new IllegalArgumentException("channel " + name + ": its url has no host");
        if (uri.getUserInfo() != null) throw new IllegalArgumentException("channel " + name + ": put no credentials in its url");
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (port == serverPort && isLocal(uri.getHost())) {
            throw new IllegalArgumentException("channel " + name + ": its url points at this server itself");
        }
        return uri;
    }

    private static boolean isLocal(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isAnyLocalAddress() || java.net.NetworkInterface.getByInetAddress(a) != null) return true;
            }
            return false;
        } catch (UnknownHostException | java.net.SocketException e) {
            return false; // not resolvable now: not this server
        }
    }
}
