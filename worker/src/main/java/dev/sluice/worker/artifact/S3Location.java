package dev.sluice.worker.artifact;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A bucket and a key prefix, as written {@code s3://bucket/prefix} (the prefix may be empty).
 *
 * @param prefix empty, or ends with {@code /}
 */
public record S3Location(String bucket, String prefix) {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]");

    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        if (!BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not a bucket name: '" + bucket + "' (3 to 63 lower-case letters, digits, dots and dashes)");
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
    }

    /** Whether {@code text} starts like an S3 location. */
    public static boolean looksLike(String text) {
        return text != null && text.regionMatches(true, 0, "s3://", 0, 5);
    }

    /**
     * Reads {@code s3://bucket} or {@code s3://bucket/some/prefix} (a trailing {@code /} is optional).
     *
     * @throws IllegalArgumentException with a message for people
     */
    public static S3Location parse(String text) {
        if (!looksLike(text)) {
            throw new IllegalArgumentException("not an S3 location: '" + text + "' (s3://bucket/prefix)");
        }
        String rest = text.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        while (prefix.startsWith("/")) prefix = prefix.substring(1);
        if (prefix.contains("//") || prefix.contains("?") || prefix.contains("#") || prefix.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("bad key prefix in '" + text + "'");
        }
        return new S3Location(bucket, prefix);
    }

    /** The key of a content: {@code prefix + ab/abcdef…}, the layout of the local store. */
    public String key(String sha256) {
        return prefix + sha256.substring(0, 2) + "/" + sha256;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
