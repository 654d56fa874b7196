package dev.sluice.engine.app;

import dev.sluice.worker.cluster.ClusterOptions;
import dev.sluice.worker.cluster.ClusterTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How {@code sluice server} joins the cluster its workers and other servers are in. */
final class ClusterOptionsMixin {

    @Option(names = "--no-cluster", description = "Join no cluster: no remote workers, no other servers (the embedded worker runs every step).")
    boolean noCluster;

    @Option(names = "--cluster-host", paramLabel = "ADDRESS",
            description = "Address Hazelcast and the event bus bind and advertise (default ${DEFAULT-VALUE}); any other than loopback needs a join token.")
    String host = "127.0.0.1";

    @Option(names = "--cluster-port", paramLabel = "PORT", description = "Hazelcast member port (default ${DEFAULT-VALUE}; the next free one when taken).")
    int port = 5701;

    @Option(names = "--cluster-name", paramLabel = "NAME", description = "Only members with this name form one cluster (default ${DEFAULT-VALUE}).")
    String name = ClusterOptions.DEFAULT_CLUSTER_NAME;

    @Option(names = "--join", paramLabel = "HOST:PORT[,HOST:PORT...]", split = ",",
            description = "Members to join (other servers); without it this server starts a cluster of its own.")
    List<String> join = List.of();

    @Option(names = "--join-token-file", paramLabel = "FILE",
            description = "File holding the token workers must present to take work; default: $SLUICE_JOIN_TOKEN, else none (any worker).")
    Path joinTokenFile;

    @Option(names = "--cluster-tls", description = "Encrypt and mutually authenticate the event bus (needs the four options below).")
    boolean tls;

    @Option(names = "--keystore", paramLabel = "FILE", description = "This member's key and certificate (PKCS#12 or JKS).")
    Path keystore;

    @Option(names = "--keystore-password-file", paramLabel = "FILE")
    Path keystorePassword;

    @Option(names = "--truststore", paramLabel = "FILE", description = "The certificates of the cluster's members or their CA.")
    Path truststore;

    @Option(names = "--truststore-password-file", paramLabel = "FILE")
    Path truststorePassword;

    /** Empty with {@code --no-cluster}. */
    Optional<ClusterOptions> options() {
        if (noCluster) return Optional.empty();
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--cluster-port must be from 0 to 65535");
        requireTokenOffLoopback();
        Optional<ClusterTls> clusterTls = Optional.empty();
        if (tls) {
            if (keystore == null || keystorePassword == null || truststore == null || truststorePassword == null) {
                throw new IllegalArgumentException("--cluster-tls needs --keystore, --keystore-password-file, --truststore and --truststore-password-file");
            }
            clusterTls = Optional.of(new ClusterTls(keystore, firstLine(keystorePassword), truststore, firstLine(truststorePassword)));
        }
        return Optional.of(new ClusterOptions(name, host, port, join, false, clusterTls));
    }

    Optional<String> joinToken() {
        if (joinTokenFile != null) {
            String t = firstLine(joinTokenFile);
            if (t.isBlank()) throw new IllegalArgumentException("--join-token-file " + joinTokenFile + " is empty");
            return Optional.of(t);
        }
        String env = System.getenv("SLUICE_JOIN_TOKEN");
        return env == null || env.isBlank() ? Optional.empty() : Optional.of(env.strip());
    }

    /** Workers on other machines must prove they belong before they get steps (and their secrets). */
    private void requireTokenOffLoopback() {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress() && joinToken().isEmpty()) {
                throw new IllegalArgumentException("--cluster-host " + host + " lets other machines join: give workers a join token "
                        + "(--join-token-file FILE or SLUICE_JOIN_TOKEN), or keep 127.0.0.1");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--cluster-host " + host + ": unknown address");
        }
    }

    private static String firstLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
