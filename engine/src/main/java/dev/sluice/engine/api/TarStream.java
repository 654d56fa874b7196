package dev.sluice.engine.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a POSIX tar (ustar, with a PAX header for a path longer than 100 bytes) file by file to a
 * stream: memory stays one copy buffer whatever the folder holds.
 */
final class TarStream {

    private static final int BLOCK = 512;

    private final OutputStream out;
    private final long mtime;
    private final byte[] buffer = new byte[64 * 1024];

    TarStream(OutputStream out, long mtimeSeconds) {
        this.out = out;
        this.mtime = mtimeSeconds;
    }

    /** Adds one regular file read from {@code source}, as {@code path} in the archive. */
    void add(String path, Path source, long size) throws IOException {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length > 100) pax(path);
        out.write(header(name.length > 100 ? truncated(name) : name, size, (byte) '0'));
        long written = 0;
        try (InputStream in = Files.newInputStream(source)) {
            for (int n; written < size && (n = in.read(buffer, 0, (int) Math.min(buffer.length, size - written))) > 0; ) {
                out.write(buffer, 0, n);
                written += n;
            }
        }
        if (written != size) throw new IOException("artifact " + source.getFileName() + " has " + written + " bytes, not " + size);
        pad(size);
    }

    /** The two zero blocks that end an archive. */
    void finish() throws IOException {
        out.write(new byte[BLOCK * 2]);
        out.flush();
    }

    private void pax(String path) throws IOException {
        String record = " path=" + path + "\n";
        int len = record.getBytes(StandardCharsets.UTF_8).length;
        int total = len + Integer.toString(len).length();
        if (Integer.toString(total).length() != Integer.toString(len).length()) total++;
        byte[] data = (total + record).getBytes(StandardCharsets.UTF_8);
        out.write(header("PaxHeader".getBytes(StandardCharsets.US_ASCII), data.length, (byte) 'x'));
        out.write(data);
        pad(data.length);
    }

    private static byte[] truncated(byte[] name) {
        byte[] t = new byte[100];
        System.arraycopy(name, 0, t, 0, 100);
        return t;
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) out.write(new byte[BLOCK - rest]);
    }

    private byte[] header(byte[] name, long size, byte type) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, Math.min(name.length, 100));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) h[i] = ' ';
        h[156] = type;
        byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(magic, 0, h, 257, magic.length);
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String s = Long.toOctalString(value);
        int digits = length - 1;
        if (s.length() > digits) throw new IllegalArgumentException("value too large for a tar header: " + value);
        s = "0".repeat(digits - s.length()) + s;
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, offset, digits);
        h[offset + digits] = 0;
    }
}
