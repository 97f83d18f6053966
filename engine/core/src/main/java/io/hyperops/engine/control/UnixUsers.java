package io.hyperops.engine.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A user's uid and groups, asked of {@code id(1)} so that every name service the host uses (files,
 * LDAP, sssd) is honoured, and cached briefly so a burst of requests costs one lookup.
 */
final class UnixUsers
{
    private static final Duration CACHE = Duration.ofMinutes(1);

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, CachedGid> groups = new ConcurrentHashMap<>();

    Identity lookup(String user)
    {
        Cached cached = cache.get(user);
        if (cached != null && cached.until().isAfter(Instant.now())) {
            return cached.identity();
        }
        // numeric group ids: a group name may hold spaces (sssd, AD), and "x wheel" split on them would read as wheel
        Set<Long> gids = Arrays.stream(run("id", "-G", "--", user).trim().split("\\s+")).map(Long::parseLong).collect(Collectors.toUnmodifiableSet());
        Identity identity = new Identity(user, Long.parseLong(run("id", "-u", "--", user).trim()), gids);
        cache.put(user, new Cached(identity, Instant.now().plus(CACHE)));
        return identity;
    }

    /** The id of a group by name, or empty when the host has no such group (then nobody is in it). */
    Optional<Long> gid(String group)
    {
        CachedGid cached = groups.get(group);
        if (cached != null && cached.until().isAfter(Instant.now())) {
            return cached.gid();
        }
        Optional<Long> gid;
        try {
            // getent group NAME: name:password:gid:members
            String[] fields = run("getent", "group", "--", group).trim().split(":");
            gid = fields.length >= 3 ? Optional.of(Long.parseLong(fields[2])) : Optional.empty();
        }
        catch (IllegalStateException e) {
            gid = Optional.empty();
        }
        groups.put(group, new CachedGid(gid, Instant.now().plus(CACHE)));
        return gid;
    }

    private static String run(String... command)
    {
        try {
            // stderr apart: a warning there must not become part of the answer
            Process process = new ProcessBuilder(List.of(command)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.trim());
            }
            return output;
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking up a user", e);
        }
    }

    record Identity(String user, long uid, Set<Long> gids) {}

    private record Cached(Identity identity, Instant until) {}

    private record CachedGid(Optional<Long> gid, Instant until) {}
}
