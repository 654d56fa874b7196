package dev.sluice.engine.cluster;

import java.util.List;

/** What the API tells and checks of the cluster this server is a member of. */
public interface ClusterInfo {

    /** Every engine and worker known now: engines first (the leader first), then workers. */
    List<Member> members();

    /** Whether this server is in a Hazelcast cluster (else remote workers cannot join: {@code --no-cluster}). */
    boolean clustered();

    /** The bearer token workers fetch inputs and upload outputs with. */
    String uploadToken();
}
