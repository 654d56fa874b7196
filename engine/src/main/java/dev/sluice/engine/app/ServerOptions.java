package dev.sluice.engine.app;

import dev.sluice.engine.client.ServerClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which server a client command talks to, and the token it sends; shared by trigger, runs and logs. */
final class ServerOptions {

    static final String SERVER_ENV = "SLUICE_SERVER";
    static final String TOKEN_ENV = "SLUICE_TOKEN";

    @Option(names = "--server", paramLabel = "URL",
            description = "The server to ask, such as http://127.0.0.1:8080 (default: $SLUICE_SERVER).")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "A file holding the server's API token, sent as 'Authorization: Bearer' (default: $SLUICE_TOKEN).")
    Path tokenFile;

    /** The server's URL from --server, else $SLUICE_SERVER; null when neither is set. */
    String url(Map<String, String> env) {
        if (server != null) return server;
        String fromEnv = env.get(SERVER_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
    }

    /** The token from --token-file, else $SLUICE_TOKEN; null when neither is set. */
    String token(Map<String, String> env) {
        if (tokenFile != null) {
            String text;
            try {
                text = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --token-file " + tokenFile + ": " + e.getMessage());
            }
            if (text.isEmpty()) throw new IllegalArgumentException("--token-file " + tokenFile + " is empty");
            return text;
        }
        String fromEnv = env.get(TOKEN_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : fromEnv.strip();
    }

    /** A client of the given URL (as {@link #url} resolved it, or a command's own default). */
    ServerClient client(String url, Map<String, String> env) {
        return new ServerClient(url, token(env), ServerClient.DEFAULT_RECONNECT_FOR);
    }
}
