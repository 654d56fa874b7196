package dev.sluice.engine.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.store.AlertRecord;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks side of a delivery (pure): the JSON body, the signature over
 * {@code "{id}.{timestamp}.{body}"}, the retry schedule and {@code Retry-After}.
 */
public final class Webhook {

    /** After the first try (at once): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h. */
    public static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(14), Duration.ofHours(20),
            Duration.ofHours(24));
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Webhook() {}

    /** The body: a {@code text} for Slack- and Mattermost-style receivers, and the alert's fields. */
    public static String body(AlertRecord a) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("id", a.id());
        alert.put("pipeline", a.pipeline());
        alert.put("run_id", a.runId());
        alert.put("severity", a.severity());
        alert.put("message", a.message());
        alert.put("fired_at", a.firedAt().toString());
        alert.put("triggered_run_id", a.triggeredRunId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "alert.fired");
        body.put("text", "[" + a.severity() + "] " + a.pipeline() + ": " + a.message());
        body.put("alert", alert);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">}. */
    public static String signature(byte[] secret, String id, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] sig = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(sig);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }

    /** When to try again after {@code attempts} failed tries; null when the schedule is over. */
    public static Duration nextDelay(int attempts, List<Duration> schedule) {
        return attempts - 1 < schedule.size() ? schedule.get(attempts - 1) : null;
    }

    /** A {@code Retry-After} of seconds or an HTTP date, at most a day; null when absent or unreadable. */
    public static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) return null;
        String v = header.strip();
        Duration d;
        try {
            d = Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        if (d.isNegative()) d = Duration.ZERO;
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }
}
