package dev.sluice.worker.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.util.Collections;
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

    /**
     * Opens both stores as the event bus will, so that a wrong path or password is told before
     * this process joins the cluster, naming the file: Vert.x itself says only "keystore password
     * was incorrect", for the truststore too.
     *
     * @throws IllegalArgumentException saying which store, which file and what is wrong
     */
    public void check() {
        KeyStore keys = load("keystore", keystore, keystorePassword);
        KeyStore trusted = load("truststore", truststore, truststorePassword);
        try {
            if (Collections.list(keys.aliases()).stream().noneMatch(a -> isKey(keys, a))) {
                throw new IllegalArgumentException("cluster TLS: the keystore " + keystore + " holds no private key");
            }
            if (Collections.list(trusted.aliases()).stream().noneMatch(a -> isCertificate(trusted, a))) {
                throw new IllegalArgumentException("cluster TLS: the truststore " + truststore + " holds no certificate");
            }
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("cluster TLS: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String what, Path path, String password) {
        String type = storeType(path);
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password.toCharArray());
            return store;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cluster TLS: the " + what + " " + path + " does not exist", e);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("cluster TLS: wrong password for the " + what + " " + path, e);
            }
            throw new IllegalArgumentException("cluster TLS: cannot read the " + what + " " + path + " as " + type + ": "
                    + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cluster TLS: cannot read the " + what + " " + path + " as " + type + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (KeyStoreException e) {
            return false;
        }
    }

    private static boolean isCertificate(KeyStore store, String alias) {
        try {
            return store.isCertificateEntry(alias);
        } catch (KeyStoreException e) {
            return false;
        }
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
