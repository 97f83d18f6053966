package io.hyperops.engine.systemd;

import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** sd_notify(3) without libsystemd: one datagram to the socket named in {@code NOTIFY_SOCKET}. */
public final class SystemdNotifier
{
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
        try {
            UnixDatagram.send(socket, state.getBytes(StandardCharsets.UTF_8));
        }
        catch (RuntimeException e) {
            // A lost notification must not kill the watchdog timer or the shutdown hook that sent it.
            LoggerFactory.getLogger(SystemdNotifier.class).warn("Cannot notify systemd on {}: {}", socket, e.getMessage());
        }
    }
}
