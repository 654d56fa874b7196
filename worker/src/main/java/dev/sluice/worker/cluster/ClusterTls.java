package dev.sluice.worker.cluster;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Mutual TLS for the Vert.x event bus: this member's key and certificate, and the certificates it
 * trusts. Every member of a TLS cluster needs both; a peer without a certificate the truststore
 * accepts cannot open an event-bus connection (client auth is required).
 *
 * <p>Stores ending in {@code .jks} are read as JKS, any other as PKCS#12 ({@code .p12}, {@code .pfx}).
 *
 * @param keystore           this member's private key and certificate chain
 * @param keystorePassword   the keystore's password (also the key's)
 * @param truststore         the certificates (or CA) of the members this one accepts
 * @param truststorePassword the truststore's password
 */
public record ClusterTls(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {

    public ClusterTls {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
        Objects.requireNonNull(truststore, "truststore");
        Objects.requireNonNull(truststorePassword, "truststorePassword");
    }

    /** {@code JKS} or {@code PKCS12}, from the file's name. */
    static String storeType(Path store) {
        return store.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jks") ? "JKS" : "PKCS12";
    }

    /** Never prints the passwords. */
    @Override
    public String toString() {
        return "ClusterTls[keystore=" + keystore + ", truststore=" + truststore + "]";
    }
}
