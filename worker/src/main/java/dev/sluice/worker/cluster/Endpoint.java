package dev.sluice.worker.cluster;

import java.util.Objects;

/**
 * Where the leader's artifact endpoints are, and the bearer token they want; both come with each
 * registration reply (a new leader may give new ones).
 *
 * @param artifacts the location of the engine's shared object store ({@code s3://bucket/prefix}),
 *                  or null when outputs must be uploaded to the engine
 */
record Endpoint(String engineUrl, String uploadToken, String artifacts) {
    Endpoint(String engineUrl, String uploadToken) {
        this(engineUrl, uploadToken, null);
    }

    Endpoint {
        Objects.requireNonNull(engineUrl, "engineUrl");
        engineUrl = engineUrl.endsWith("/") ? engineUrl.substring(0, engineUrl.length() - 1) : engineUrl;
    }

    @Override
    public String toString() {
        return "Endpoint[" + engineUrl + (artifacts == null ? "" : ", " + artifacts) + "]";
    }
}
