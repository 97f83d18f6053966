package io.hyperops.testing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays systemd's part for a daemon under test: a {@code NOTIFY_SOCKET} datagram socket that collects
 * every notification (READY=1, WATCHDOG=1, STATUS=..., STOPPING=1) the daemon sends.
 */
public final class TestingSystemd
        implements AutoCloseable
{
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    private final Path socket;
    private final int fd;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    private TestingSystemd(Path socket, int fd)
    {
        this.socket = socket;
        this.fd = fd;
        this.reader = new Thread(this::read, "testing-systemd-notify");
        reader.setDaemon(true);
        reader.start();
    }

    /** Binds a notify socket at {@code socket}; pass its path to the daemon as NOTIFY_SOCKET. */
    public static TestingSystemd listen(Path socket)
    {
        Libc libc = Libc.INSTANCE;
        int fd = libc.socket(AF_UNIX, SOCK_DGRAM, 0);
        // A receive timeout lets the reader notice close() instead of blocking forever.
        Timeval timeout = new Timeval();
        timeout.seconds = 0;
        timeout.microseconds = 200_000;
        timeout.write();
        libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout.getPointer(), timeout.size());
        Address address = new Address(socket.toString());
        libc.bind(fd, address, Short.BYTES + socket.toString().getBytes(StandardCharsets.UTF_8).length + 1);
        return new TestingSystemd(socket, fd);
    }

    public Path socket()
    {
        return socket;
    }

    /** Every assignment received so far, one per entry ({@code READY=1}, {@code WATCHDOG=1}, ...). */
    public List<String> assignments()
    {
        return List.copyOf(messages);
    }

    public long count(String assignment)
    {
        return messages.stream().filter(assignment::equals).count();
    }

    /** Waits until {@code assignment} has arrived {@code times} times. */
    public void await(String assignment, int times, Duration limit)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + limit.toNanos();
        while (count(assignment) < times) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + times + "x " + assignment + " within " + limit.toSeconds() + " s; received: " + messages);
            }
            Thread.sleep(50);
        }
    }

    private void read()
    {
        byte[] buffer = new byte[4096];
        while (!closed) {
            long received;
            try {
                received = Libc.INSTANCE.recv(fd, buffer, buffer.length, 0);
            }
            catch (LastErrorException e) {
                continue;
            }
            if (received > 0) {
                for (String assignment : new String(buffer, 0, (int) received, StandardCharsets.UTF_8).split("\n")) {
                    if (!assignment.isBlank()) {
                        messages.add(assignment);
                    }
                }
            }
        }
    }

    @Override
    public void close()
            throws IOException
    {
        closed = true;
        try {
            reader.join(2000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Libc.INSTANCE.close(fd);
        Files.deleteIfExists(socket);
    }

    interface Libc
            extends Library
    {
        Libc INSTANCE = Native.load("c", Libc.class);

        int socket(int domain, int type, int protocol)
                throws LastErrorException;

        int bind(int fd, Address address, int length)
                throws LastErrorException;

        int setsockopt(int fd, int level, int name, com.sun.jna.Pointer value, int length)
                throws LastErrorException;

        long recv(int fd, byte[] buffer, long length, int flags)
                throws LastErrorException;

        int close(int fd)
                throws LastErrorException;
    }

    /** {@code struct sockaddr_un}. */
    @Structure.FieldOrder({"family", "path"})
    public static final class Address
            extends Structure
    {
        public short family = AF_UNIX;
        public byte[] path = new byte[108];

        Address(String name)
        {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(bytes, 0, path, 0, bytes.length);
        }
    }

    /** {@code struct timeval}. */
    @Structure.FieldOrder({"seconds", "microseconds"})
    public static final class Timeval
            extends Structure
    {
        public long seconds;
        public long microseconds;
    }
}
