package dev.sluice.engine.store;

import java.time.Instant;

/**
 * A lease as the database holds it now.
 *
 * @param holder    the owner string of the holder, e.g. {@code server:host:1234:1700000000000}
 * @param epoch     its fencing token
 * @param url       the holder's API URL, or null when it gave none
 * @param expiresAt when the lease runs out unless renewed (database clock)
 */
public record LeaseInfo(String holder, long epoch, String url, Instant expiresAt) {}
