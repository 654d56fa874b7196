package dev.sluice.worker.artifact;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach an S3-compatible store. Everything has the AWS SDK's usual sources; what this adds:
 *
 * <ul>
 *   <li>{@code endpoint}: {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL} (a MinIO or other
 *       S3-compatible server); none: AWS itself, or what the profile file's {@code endpoint_url} says.</li>
 *   <li>{@code region}: {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else the SDK's chain (the
 *       {@code aws.region} property, the profile file, the instance metadata); none found:
 *       {@code us-east-1}, which MinIO accepts.</li>
 *   <li>{@code pathStyle}: {@code SLUICE_S3_PATH_STYLE=true|false}; unset: path-style requests
 *       ({@code http://host/bucket/key}) whenever an endpoint is given, since self-hosted servers
 *       rarely have a DNS name per bucket, else virtual-hosted ones as AWS wants.</li>
 *   <li>credentials: the SDK's default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY},
 *       {@code AWS_PROFILE} and the profile files, web identity, container and instance roles),
 *       unless given.</li>
 * </ul>
 * Checksums are computed and validated only where the service requires them: several
 * S3-compatible servers refuse the SDK's newer default trailing checksums, and the store verifies
 * every content's sha256 itself.
 */
public record S3Settings(Optional<URI> endpoint, Optional<String> region, Optional<Boolean> pathStyle,
                         Optional<AwsCredentialsProvider> credentials) {

    public S3Settings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(pathStyle, "pathStyle");
        Objects.requireNonNull(credentials, "credentials");
    }

    /** Reads the variables named above from {@code env}. */
    public static S3Settings fromEnvironment(Map<String, String> env) {
        Optional<URI> endpoint = first(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL").map(S3Settings::uri);
        Optional<String> region = first(env, "AWS_REGION", "AWS_DEFAULT_REGION");
        Optional<Boolean> pathStyle = first(env, "SLUICE_S3_PATH_STYLE").map(v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("SLUICE_S3_PATH_STYLE must be true or false, not '" + v + "'");
        });
        return new S3Settings(endpoint, region, pathStyle, Optional.empty());
    }

    /** A client for these settings, over the JDK's HTTP connection (no Netty or Apache client). */
    public S3Client client() {
        S3ClientBuilder b = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofMinutes(2)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .region(Region.of(region.orElseGet(S3Settings::defaultRegion)))
                .forcePathStyle(pathStyle.orElse(endpoint.isPresent()))
                .credentialsProvider(credentials.orElseGet(() -> DefaultCredentialsProvider.builder().build()));
        endpoint.ifPresent(b::endpointOverride);
        return b.build();
    }

    private static String defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            return "us-east-1";
        }
    }

    private static Optional<String> first(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = env.get(n);
            if (v != null && !v.isBlank()) return Optional.of(v.strip());
        }
        return Optional.empty();
    }

    private static URI uri(String text) {
        try {
            URI u = URI.create(text);
            if (u.getScheme() == null || u.getHost() == null) throw new IllegalArgumentException("no scheme or host");
            return u;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AWS_ENDPOINT_URL(_S3) is not a URL: '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint.map(URI::toString).orElse("default") + ", region=" + region.orElse("default")
                + ", pathStyle=" + pathStyle.map(String::valueOf).orElse("auto") + "]";
    }
}
