package dev.spindle.core.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reading a file the server did not write: a regular file only, opened without following a link, and
 * never more bytes than a bound. A link (to {@code /etc/passwd}, {@code /dev/zero}) or a FIFO is refused
 * from its metadata before it is opened; the open itself refuses a link swapped in after that check.
 */
public final class RegularFile {
    private RegularFile() {}

    /** The file's bytes; an {@link IOException} naming the problem when it is not a regular file or is over {@code maxBytes}. */
    public static byte[] read(Path file, long maxBytes) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new IOException(file + " is " + kind(attributes) + ", not a regular file; only regular files are read");
        }
        if (attributes.size() > maxBytes) {
            throw new IOException(file + " is " + attributes.size() + " bytes; the limit is " + maxBytes + " bytes");
        }
        return readUpTo(file, attributes.size());
    }

    /**
     * The bytes of a file its metadata said was regular and {@code size} bytes long, never more: one that
     * grew since (or was swapped for something endless) is refused rather than read on.
     */
    static byte[] readUpTo(Path file, long size) throws IOException {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] bytes = in.readNBytes(Math.toIntExact(size));
            if (in.read() >= 0) {
                throw new IOException(file + " grew while it was read (it was " + size + " bytes)");
            }
            return bytes;
        }
    }

    /** What a walk or a read meets instead of a regular file, for messages. */
    static String kind(BasicFileAttributes attributes) {
        if (attributes.isSymbolicLink()) {
            return "a symbolic link";
        }
        return attributes.isDirectory() ? "a directory" : "a special file (a FIFO, socket or device)";
    }
}
