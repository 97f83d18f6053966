package io.hyperops.engine.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperops.engine.control.ControlProtocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** The CLI's side of the control socket: one request per connection, events streamed, one result. */
final class ControlClient
{
    // Plain Jackson: answers are trees, and the full mapper's modules would cost start-up time.
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private final Path socket;

    private ControlClient(Path socket)
    {
        this.socket = socket;
    }

    /** The daemon's client, or empty when no daemon listens on the socket. */
    static Optional<ControlClient> find(Path socket)
            throws NoPermissionException
    {
        if (Files.notExists(socket)) {
            return Optional.empty();
        }
        if (!Files.exists(socket)) {
            // Neither there nor absent: its folder (0750, operator group) does not let this user look.
            throw new NoPermissionException(socket);
        }
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
            return Optional.of(new ControlClient(socket));
        }
        catch (ConnectException e) {
            return Optional.empty();
        }
        catch (SocketException e) {
            if (String.valueOf(e.getMessage()).contains("Permission denied")) {
                throw new NoPermissionException(socket);
            }
            return Optional.empty();
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    Path socket()
    {
        return socket;
    }

    /** Sends a request; hands each event line to {@code events}; returns the result line. */
    JsonNode call(String command, Map<String, Object> args, EventSink events)
            throws IOException
    {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            Writer writer = Channels.newWriter(channel, StandardCharsets.UTF_8);
            BufferedReader reader = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
            ObjectNode request = MAPPER.createObjectNode();
            request.put("v", ControlProtocol.VERSION);
            request.put("command", command);
            request.set("args", MAPPER.valueToTree(args));
            writer.write(MAPPER.writeValueAsString(request) + "\n");
            writer.flush();
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode node = MAPPER.readTree(line);
                if (node.path("v").asInt() != ControlProtocol.VERSION) {
                    throw new IOException("the daemon speaks control protocol version " + node.path("v").asInt() + ", this command " + ControlProtocol.VERSION + ": use the hyperops command of the daemon's installation");
                }
                if ("result".equals(node.path("type").asText())) {
                    return node;
                }
                events.accept(node.path("event").asText(), node.path("data"));
            }
            throw new IOException("the daemon closed the connection without an answer (did it stop?)");
        }
    }

    static ObjectMapper mapper()
    {
        return MAPPER;
    }

    @FunctionalInterface
    interface EventSink
    {
        void accept(String event, JsonNode data)
                throws IOException;
    }

    /** The socket exists but the caller may not open it: not in the operator group. */
    static final class NoPermissionException
            extends Exception
    {
        NoPermissionException(Path socket)
        {
            super("permission denied on the control socket " + socket + ": operators must be in the group that owns it (default hypervisor-operator), admins root or in the admin group");
        }
    }
}
