package io.hyperops.engine.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hyperops.engine.audit.AuditTrail;
import io.hyperops.engine.cli.ExitCodes;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineSettings;
import io.hyperops.spi.Permission;
import io.hyperops.spi.Role;
import jakarta.inject.Inject;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The daemon's control socket. The kernel tells who is calling ({@code SO_PEERCRED}); the caller's
 * groups give the role; every request, allowed or not, lands in the audit log. File permissions are
 * the first gate (folder 0750, socket 0660, both owned by the operator group), the role check the second.
 */
public final class ControlServer
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_REQUEST_CHARS = 64 * 1024;
    // A client has this long to send its request line; one that connects and says nothing holds no thread.
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    // Connections served at once (each a thread; `logs -f` keeps one); more are told to retry.
    static final int MAX_CONNECTIONS = 64;
    static final int MAX_PER_USER = MAX_CONNECTIONS / 4;

    private final CurrentConfig config;
    private final ControlHandlers handlers;
    private final AuditTrail audit;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final UnixUsers users = new UnixUsers();
    private final AtomicInteger connections = new AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "hyperops-control-" + connections.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "hyperops-control-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    private ServerSocketChannel server;
    private Path socket;

    @Inject
    ControlServer(CurrentConfig config, ControlHandlers handlers, AuditTrail audit, ObjectMapper mapper, Clock clock)
    {
        this.config = requireNonNull(config, "config is null");
        this.handlers = requireNonNull(handlers, "handlers is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.mapper = requireNonNull(mapper, "mapper is null").copy().disable(SerializationFeature.INDENT_OUTPUT);
        this.clock = requireNonNull(clock, "clock is null");
    }

    public synchronized void start()
            throws IOException
    {
        EngineSettings engine = config.get().engine();
        socket = engine.controlSocket().toAbsolutePath();
        // Only a folder of its own is restricted: a socket configured straight into /run or /tmp must not
        // take those shared folders' permissions (and /tmp's sticky bit) away from everyone else.
        boolean own = !Files.isDirectory(socket.getParent()) || socket.getParent().equals(EngineSettings.DEFAULT_CONTROL_SOCKET.getParent());
        if (!own) {
            refuseSharedFolder(socket.getParent());
        }
        Files.createDirectories(socket.getParent());
        if (own) {
            restrict(socket.getParent(), "rwxr-x---", engine.operatorGroup());
        }
        removeStaleSocket(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            publish(server, socket, engine.operatorGroup());
        }
        catch (IOException e) {
            server.close();
            throw e;
        }
        Thread acceptor = new Thread(this::acceptLoop, "hyperops-control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("Control socket listening on {}", socket);
    }

    /**
     * Binds under a name of this process's own, then links the socket to its real name. A bind creates the
     * file before the listen that makes it answer, and a client that came in between was told "the daemon
     * is not running" (seen in CI); a stale-socket check by a second daemon starting at that moment would
     * even have removed it. The link also fails, rather than replaces, when another daemon got there first,
     * and the mode and group are set before anyone can connect.
     */
    private static void publish(ServerSocketChannel server, Path socket, String group)
            throws IOException
    {
        Path staging = socket.resolveSibling("." + socket.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(staging);
        server.bind(UnixDomainSocketAddress.of(staging));
        try {
            restrict(staging, "rw-rw----", group);
            Files.createLink(socket, staging);
        }
        catch (FileAlreadyExistsException e) {
            throw new IOException("another hyperops daemon is starting: " + socket + " appeared meanwhile; stop it first (systemctl stop hyperops)", e);
        }
        finally {
            Files.deleteIfExists(staging);
        }
    }

    /**
     * A socket file left by a daemon that was killed blocks the bind; one that still answers belongs to a
     * daemon that is running, and starting a second one would be wrong.
     */
    private static void removeStaleSocket(Path socket)
            throws IOException
    {
        if (!Files.exists(socket)) {
            return;
        }
        try {
            SocketChannel.open(UnixDomainSocketAddress.of(socket)).close();
        }
        catch (java.net.ConnectException e) {
            log.info("Removing stale control socket {} left by a daemon that stopped without cleaning up", socket);
            Files.delete(socket);
            return;
        }
        throw new IOException("another hyperops daemon is running: " + socket + " answers; stop it first (systemctl stop hyperops)");
    }

    /**
     * The socket's mode and group are set by path after the bind: in a folder others may write to, one of
     * them could swap the socket for a symbolic link in between and have root change the mode and group of
     * any file. Such a folder (/tmp, /dev/shm) is refused.
     */
    private static void refuseSharedFolder(Path folder)
            throws IOException
    {
        PosixFileAttributes attributes = Files.readAttributes(folder, PosixFileAttributes.class);
        String owner = attributes.owner().getName();
        boolean othersWrite = attributes.permissions().contains(PosixFilePermission.GROUP_WRITE) || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE);
        if (othersWrite || !(owner.equals("root") || owner.equals(System.getProperty("user.name")))) {
            throw new IOException("engine.control_socket is in " + folder + ", which " + (othersWrite ? "others may write to" : "belongs to " + owner)
                    + "; put it in a folder of its own (the default is " + EngineSettings.DEFAULT_CONTROL_SOCKET + ")");
        }
    }

    private static void restrict(Path path, String permissions, String group)
            throws IOException
    {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        try {
            GroupPrincipal principal = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class).setGroup(principal);
        }
        catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            log.warn("Group '{}' does not exist: only root can use {} (create it with 'groupadd -r {}')", group, path, group);
        }
    }

    private void acceptLoop()
    {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            }
            catch (ClosedChannelException e) {
                return;
            }
            catch (IOException e) {
                log.warn("Control socket accept failed: {}", e.getMessage());
                continue;
            }
            // one user may hold a quarter of the slots: 64 'logs -f' of one operator must not lock admins out
            String user = peer(channel);
            AtomicInteger held = perUser.computeIfAbsent(user, ignored -> new AtomicInteger());
            if (held.incrementAndGet() > MAX_PER_USER && !user.equals("root")) {
                held.decrementAndGet();
                refuse(channel, user + " has " + MAX_PER_USER + " connections to the daemon open already (log followers count); end one, then try again");
                continue;
            }
            if (!slots.tryAcquire()) {
                held.decrementAndGet();
                refuseBusy(channel);
                continue;
            }
            try {
                threads.execute(() -> {
                    try {
                        serve(channel);
                    }
                    finally {
                        held.decrementAndGet();
                        slots.release();
                    }
                });
            }
            catch (RejectedExecutionException e) {
                // shutting down
                held.decrementAndGet();
                slots.release();
                closeQuietly(channel);
            }
        }
    }

    private void refuseBusy(SocketChannel channel)
    {
        log.warn("Control socket: {} connections are open already; refusing one more", MAX_CONNECTIONS);
        refuse(channel, "the daemon is serving " + MAX_CONNECTIONS + " connections already (log followers count); try again, or end a 'hyperops logs -f'");
    }

    private void refuse(SocketChannel channel, String message)
    {
        try (channel; Writer writer = Channels.newWriter(channel, StandardCharsets.UTF_8)) {
            new Responder(writer, mapper, Reader.nullReader()).error(ExitCodes.UNAVAILABLE, message);
        }
        catch (IOException e) {
            log.debug("Refusing a control connection: {}", e.getMessage());
        }
    }

    /** The caller's user name from the kernel ({@code SO_PEERCRED}); its uid as text when it has no name. */
    private static String peer(SocketChannel channel)
    {
        try {
            return channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
        }
        catch (IOException e) {
            // the peer went away already: counted under one shared name, so still capped
            return "unknown peer";
        }
    }

    private static void closeQuietly(SocketChannel channel)
    {
        try {
            channel.close();
        }
        catch (IOException e) {
            log.debug("Closing a control connection: {}", e.getMessage());
        }
    }

    /**
     * The request line, read within {@link #REQUEST_TIMEOUT} (the channel is closed when it runs out) and
     * at most {@link #MAX_REQUEST_CHARS} long; empty when the client sent nothing.
     */
    private Optional<String> requestLine(SocketChannel channel, BufferedReader reader)
            throws IOException
    {
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            log.info("Control connection closed: no request within {} s", REQUEST_TIMEOUT.toSeconds());
            closeQuietly(channel);
        }, REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            StringBuilder line = new StringBuilder();
            int next;
            while ((next = reader.read()) >= 0 && next != '\n') {
                if (line.length() > MAX_REQUEST_CHARS) {
                    // parse refuses it: too long
                    return Optional.of(line.toString());
                }
                line.append((char) next);
            }
            return next < 0 && line.length() == 0 ? Optional.empty() : Optional.of(line.toString());
        }
        finally {
            deadline.cancel(false);
        }
    }

    private void serve(SocketChannel channel)
    {
        // A task command's caller that left just as its answer went out may have interrupted this pooled
        // thread after the command cleared it: that interrupt was for the last connection, not this one.
        Thread.interrupted();
        try (channel;
                BufferedReader reader = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
                Writer writer = Channels.newWriter(channel, StandardCharsets.UTF_8)) {
            Responder responder = new Responder(writer, mapper, reader);
            Caller caller = identify(channel);
            Optional<String> line = requestLine(channel, reader);
            if (line.isEmpty()) {
                return;
            }
            ControlRequest request = parse(line.get());
            if (request == null || request.v() != ControlProtocol.VERSION) {
                audit(caller, new ControlRequest(request == null ? -1 : request.v(), "unreadable", mapper.createObjectNode()), "refused: unreadable request or protocol version");
                responder.error(ExitCodes.USAGE, "unreadable request or protocol version mismatch (this daemon speaks version " + ControlProtocol.VERSION + "); use the hyperops command of the same installation");
                return;
            }
            dispatch(request, caller, responder);
        }
        catch (IOException e) {
            // The client went away (Ctrl-C on logs -f): nothing left to tell it.
            log.debug("Control connection ended: {}", e.getMessage());
        }
        catch (RuntimeException e) {
            log.error("Control connection failed: {}", e.getMessage(), e);
        }
    }

    private void dispatch(ControlRequest request, Caller caller, Responder responder)
            throws IOException
    {
        Permission needed = handlers.permission(request);
        if (!caller.may(needed)) {
            String message = caller.role() == Role.NONE
                    ? "permission denied: user '" + caller.user() + "' is neither an operator (group " + config.get().engine().operatorGroup() + ") nor an admin (root or group " + config.get().engine().adminGroup() + ")"
                    : "permission denied: to " + needed.description() + " you need the " + needed.least().name().toLowerCase(java.util.Locale.ROOT) + " role; you are " + caller.role().name().toLowerCase(java.util.Locale.ROOT);
            audit(caller, request, "refused");
            responder.error(ExitCodes.NO_PERMISSION, message);
            return;
        }
        responder.beforeResult(outcome -> audit(caller, request, outcome));
        try {
            handlers.handle(request, responder);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!responder.answered()) {
                responder.error(ExitCodes.INTERNAL_ERROR, "the daemon is shutting down");
            }
        }
        catch (IllegalArgumentException e) {
            // a caller's mistake (an unknown job, a bad --since): theirs to fix, answered to them; no stack trace,
            // which would also carry their text, line breaks and all, into the engine log
            log.warn("Control request {} refused: {}", request.command(), e.getMessage());
            if (!responder.answered()) {
                responder.error(ExitCodes.USAGE, e.getMessage());
            }
        }
        catch (RuntimeException e) {
            log.error("Control request {} failed: {}", request.command(), e.getMessage(), e);
            if (!responder.answered()) {
                responder.error(e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.INTERNAL_ERROR, e.getMessage());
            }
        }
        finally {
            if (!responder.answered()) {
                // A follow the client ended, or a handler that never answered: still on record.
                audit(caller, request, "ended without an answer");
            }
        }
    }

    private Caller identify(SocketChannel channel)
            throws IOException
    {
        UnixDomainPrincipal principal = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
        String user = principal.user().getName();
        UnixUsers.Identity identity = users.lookup(user);
        EngineSettings engine = config.get().engine();
        Role role = identity.uid() == 0 || users.gid(engine.adminGroup()).filter(identity.gids()::contains).isPresent() ? Role.ADMIN
                : users.gid(engine.operatorGroup()).filter(identity.gids()::contains).isPresent() ? Role.OPERATOR
                : Role.NONE;
        return new Caller(user, identity.uid(), role);
    }

    private ControlRequest parse(String line)
    {
        if (line.length() > MAX_REQUEST_CHARS) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(line);
            return new ControlRequest(node.path("v").asInt(-1), node.path("command").asText(""), node.path("args").isObject() ? node.get("args") : mapper.createObjectNode());
        }
        catch (JsonProcessingException e) {
            return null;
        }
    }

    private Object argsForAudit(ControlRequest request)
    {
        try {
            String json = mapper.writeValueAsString(request.args());
            return json.length() <= 4096 ? request.args() : Map.of("truncated", clip(json, 4096));
        }
        catch (JsonProcessingException e) {
            return Map.of("unprintable", e.getOriginalMessage());
        }
    }

    private static String clip(String text, int length)
    {
        return text == null || text.length() <= length ? text : text.substring(0, length) + "... (" + text.length() + " characters)";
    }

    private void audit(Caller caller, ControlRequest request, String outcome)
    {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", clock.instant().toString());
        line.put("uid", caller.uid());
        line.put("user", caller.user());
        line.put("role", caller.role().name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Object> asked = new LinkedHashMap<>();
        // bounded: a 64 KiB request echoed whole (twice, in command and outcome) would make audit lines of
        // hundreds of KiB from one caller; what was asked stays recognizable in the first KiB
        asked.put("command", clip(request.command(), 256));
        asked.put("args", argsForAudit(request));
        line.put("request", asked);
        line.put("outcome", clip(outcome, 1024));
        try {
            audit.append(line);
        }
        catch (RuntimeException e) {
            log.error("Request {} by {} was not audited: {}", request.command(), caller.user(), e.getMessage());
        }
    }

    @Override
    public synchronized void close()
    {
        threads.shutdownNow();
        deadlines.shutdownNow();
        if (server != null) {
            try {
                server.close();
                Files.deleteIfExists(socket);
            }
            catch (IOException e) {
                log.warn("Closing the control socket: {}", e.getMessage());
            }
        }
        // A request being served still writes its audit line when it ends; the daemon's files must not
        // change after it says it has stopped.
        try {
            if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("Control requests still being served 5 s after the socket closed");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
