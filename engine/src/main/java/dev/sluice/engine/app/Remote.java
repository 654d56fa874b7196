package dev.sluice.engine.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Small rules shared by the commands that work locally or against a server. */
final class Remote {
    private Remote() {}

    /**
     * Whether a command with a server URL should use it: always with an explicit --server (and then
     * no local store options), but a $SLUICE_SERVER gives way to an explicit --data-dir or --db.
     */
    static boolean wanted(ServerOptions server, StoreOptions store) {
        boolean local = store.dataDir != null || store.db != null;
        if (server.server != null && local) {
            throw new IllegalArgumentException("--server asks a server, --data-dir and --db a local store: give one or the other");
        }
        return server.server != null || !local;
    }

    /** An ISO-8601 instant field of a JSON object, or null. */
    static Instant instant(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (!v.isTextual()) return null;
        try {
            return Instant.parse(v.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
