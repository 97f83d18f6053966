package io.hyperops.engine.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Structure;

import java.nio.charset.StandardCharsets;

/**
 * One datagram to a Unix socket: what sd_notify and syslog's {@code /dev/log} take. Java has no Unix
 * datagram sockets, so the three libc calls go through JNA.
 */
public final class UnixDatagram
{
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int MSG_NOSIGNAL = 0x4000;

    private UnixDatagram() {}

    /** Sends {@code message} to the socket at {@code path}; a name starting with '@' is abstract. */
    public static void send(String path, byte[] message)
    {
        SocketAddress address = new SocketAddress(path);
        CLibrary libc = CLibrary.INSTANCE;
        int fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try {
            libc.sendto(fd, message, message.length, MSG_NOSIGNAL, address, address.length());
        }
        finally {
            libc.close(fd);
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

    /** {@code struct sockaddr_un}. */
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
                throw new IllegalArgumentException("Unix socket path too long: " + name);
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
