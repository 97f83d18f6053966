package io.hyperops.engine.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * sd_notify(3) without libsystemd: one datagram to the Unix socket named in {@code NOTIFY_SOCKET}.
 * Java has no Unix datagram sockets, so the three libc calls go through JNA.
 */
public final class SystemdNotifier
{
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;

    private final String socket;

    private SystemdNotifier(String socket)
    {
        this.socket = socket;
    }

    /** The notifier when systemd (or a stand-in) asked for notifications; empty otherwise. */
    public static Optional<SystemdNotifier> fromEnvironment()
    {
        String socket = System.getenv("NOTIFY_SOCKET");
        return socket == null || socket.isEmpty() ? Optional.empty() : Optional.of(forSocket(socket));
    }

    static SystemdNotifier forSocket(String socket)
    {
        return new SystemdNotifier(socket);
    }

    /** Sends newline-separated assignments such as {@code READY=1\nSTATUS=...}. */
    public void send(String state)
    {
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        SocketAddress address = new SocketAddress(socket);
        CLibrary libc = CLibrary.INSTANCE;
        try {
            int fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            try {
                libc.sendto(fd, message, message.length, MSG_NOSIGNAL, address, address.length());
            }
            finally {
                libc.close(fd);
            }
        }
        catch (RuntimeException e) {
            // A lost notification must not kill the watchdog timer or the shutdown hook that sent it.
            LoggerFactory.getLogger(SystemdNotifier.class).warn("Cannot notify systemd on {}: {}", socket, e.getMessage());
        }
    }

    interface CLibrary
            extends Library
    {
        CLibrary INSTANCE = Native.load("c", CLibrary.class);

        int socket(int domain, int type, int protocol)
                throws LastErrorException;

        long sendto(int fd, byte[] buffer, long length, int flags, SocketAddress address, int addressLength)
                throws LastErrorException;

        int close(int fd)
                throws LastErrorException;
    }

    /** {@code struct sockaddr_un}; a name starting with '@' is in the abstract namespace. */
    @Structure.FieldOrder({"family", "path"})
    public static final class SocketAddress
            extends Structure
    {
        public short family = AF_UNIX;
        public byte[] path = new byte[108];

        private final int pathLength;

        SocketAddress(String name)
        {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            if (bytes.length >= path.length) {
                throw new IllegalArgumentException("NOTIFY_SOCKET path too long: " + name);
            }
            System.arraycopy(bytes, 0, path, 0, bytes.length);
            boolean isAbstract = bytes.length > 0 && bytes[0] == '@';
            if (isAbstract) {
                path[0] = 0;
            }
            // Abstract names are exactly as long as given; file names carry their terminating NUL.
            pathLength = isAbstract ? bytes.length : bytes.length + 1;
        }

        int length()
        {
            return Short.BYTES + pathLength;
        }
    }
}
