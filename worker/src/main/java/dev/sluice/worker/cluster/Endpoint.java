package dev.sluice.worker.cluster;

import java.util.Objects;

/**
 * Where the leader's artifact endpoints are, and the bearer token they want; both come with each
 * registration reply (a new leader may give new ones).
 */
record Endpoint(String engineUrl, String uploadToken) {
    Endpoint {
        Objects.requireNonNull(engineUrl, "engineUrl");
        engineUrl = engineUrl.endsWith("/") ? engineUrl.substring(0, engineUrl.length() - 1) : engineUrl;
    }

    @Override
    public String toString() {
        return "Endpoint[" + engineUrl + "]";
    }
}
