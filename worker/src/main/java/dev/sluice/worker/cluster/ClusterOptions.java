package dev.sluice.worker.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How this process joins the Sluice cluster.
 *
 * @param clusterName only members with the same name form one cluster (a guard against mixing
 *                    clusters, not a secret)
 * @param host        the address this member binds and advertises, for Hazelcast and the event
 *                    bus (e.g. {@code 127.0.0.1}, or the machine's private address); never a
 *                    wildcard
 * @param port        Hazelcast's member port; the next free ports are tried when it is taken
 *                    (several workers on one machine); {@code 0} for any free port
 * @param members     {@code host:port} (or {@code host}, then ports 5701-5703 are tried) of the
 *                    members to join; empty to start a cluster of one
 * @param liteMember  a lite member holds no cluster data (workers): it joins and leaves without
 *                    moving partitions
 * @param tls         mutual TLS for the event bus, when wanted
 */
public record ClusterOptions(
        String clusterName,
        String host,
        int port,
        List<String> members,
        boolean liteMember,
        Optional<ClusterTls> tls) {

    public static final String DEFAULT_CLUSTER_NAME = "sluice";

    public ClusterOptions {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(host, "host");
        if (clusterName.isBlank()) {
            throw new IllegalArgumentException("blank cluster name");
        }
        if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
            throw new IllegalArgumentException("the cluster host must be a concrete address, not '" + host + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("cluster port out of range: " + port);
        }
        members = List.copyOf(members == null ? List.of() : members);
        for (String member : members) {
            if (member.isBlank()) {
                throw new IllegalArgumentException("blank member address");
            }
        }
        tls = tls == null ? Optional.empty() : tls;
    }
}
