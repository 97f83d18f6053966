package io.hyperops.engine.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A user's uid and groups, asked of {@code id(1)} so that every name service the host uses (files,
 * LDAP, sssd) is honoured, and cached briefly so a burst of requests costs one lookup.
 */
final class UnixUsers
{
    private static final Duration CACHE = Duration.ofMinutes(1);

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    Identity lookup(String user)
    {
        Cached cached = cache.get(user);
        if (cached != null && cached.until().isAfter(Instant.now())) {
            return cached.identity();
        }
        Identity identity = new Identity(user, Long.parseLong(run("id", "-u", user).trim()), Set.copyOf(Arrays.asList(run("id", "-Gn", user).trim().split("\\s+"))));
        cache.put(user, new Cached(identity, Instant.now().plus(CACHE)));
        return identity;
    }

    private static String run(String... command)
    {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
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

    record Identity(String user, long uid, Set<String> groups) {}

    private record Cached(Identity identity, Instant until) {}
}
