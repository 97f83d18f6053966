package io.hyperops.task.update;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.JsonFiles;
import jakarta.inject.Inject;
import org.slf4j.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Checks every provider and writes {@code <data_dir>/update-status.json}. */
public final class UpdateChecker
{
    private final JsonFiles jsonFiles;
    private final HostPaths paths;

    @Inject
    public UpdateChecker(JsonFiles jsonFiles, HostPaths paths)
    {
        this.jsonFiles = requireNonNull(jsonFiles, "jsonFiles is null");
        this.paths = requireNonNull(paths, "paths is null");
    }

    /** The providers' checks in order; a provider whose check fails is left out and named in the problems. */
    public Checks check(List<UpdateProvider> providers, Logger log)
            throws InterruptedException
    {
        List<ProviderCheck> checks = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> configured = new ArrayList<>();
        for (UpdateProvider provider : providers) {
            Map<String, Object> description = new LinkedHashMap<>();
            description.put("name", provider.name());
            description.putAll(provider.describe());
            configured.add(description);
            try {
                ProviderCheck check = provider.check();
                log.info("{}: {}{}", provider.name(), check.summary(), check.blocked() == null ? "" : " (blocked: " + check.blocked() + ")");
                checks.add(check);
            }
            catch (UpdateException | IOException e) {
                log.warn("{}: check failed: {}", provider.name(), e.getMessage());
                problems.add(provider.name() + ": check failed: " + e.getMessage());
            }
        }
        return new Checks(configured, checks, problems);
    }

    public UpdateStatus write(Checks checks, Optional<UpdateRecord> lastUpdate, Clock clock)
    {
        Optional<ProviderCheck> git = checks.checks().stream().filter(check -> check.type().equals("git")).findFirst();
        UpdateStatus status = new UpdateStatus(
                ZonedDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                checks.updatesAvailable(),
                git.map(check -> (String) check.details().get("local_commit")).orElse(null),
                git.map(check -> (String) check.details().get("remote_commit")).orElse(null),
                checks.configured(),
                checks.checks(),
                checks.problems(),
                lastUpdate.orElse(null));
        try {
            Files.createDirectories(paths.dataDir());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jsonFiles.write(file(), status);
        return status;
    }

    /**
     * Puts {@code lastUpdate} into the status file as it stands, its checks untouched: health then sees an
     * update applying or rolling back, and one a run was stopped in, without waiting for the next check.
     * Nothing when there is no status file yet (the run's end writes one).
     */
    public void recordLastUpdate(Optional<UpdateRecord> lastUpdate)
    {
        read().ifPresent(status -> jsonFiles.write(file(), new UpdateStatus(status.lastCheck(), status.updatesAvailable(), status.localCommit(), status.remoteCommit(),
                status.configured(), status.providers(), status.problems(), lastUpdate.orElse(null))));
    }

    public Optional<UpdateStatus> read()
    {
        return jsonFiles.read(file(), UpdateStatus.class);
    }

    public Path file()
    {
        return paths.dataDir().resolve(UpdateStatus.FILE);
    }

    /**
     * @param configured each provider's name and {@link UpdateProvider#describe()}, in the configured
     *         order, including those whose check failed
     */
    public record Checks(List<Map<String, Object>> configured, List<ProviderCheck> checks, List<String> problems)
    {
        public Checks
        {
            configured = List.copyOf(requireNonNull(configured, "configured is null"));
            checks = List.copyOf(requireNonNull(checks, "checks is null"));
            problems = List.copyOf(requireNonNull(problems, "problems is null"));
        }

        public boolean updatesAvailable()
        {
            return checks.stream().anyMatch(ProviderCheck::updatesAvailable);
        }

        public List<String> blocked()
        {
            return checks.stream().filter(check -> check.blocked() != null).map(check -> check.provider() + ": " + check.blocked()).toList();
        }
    }
}
