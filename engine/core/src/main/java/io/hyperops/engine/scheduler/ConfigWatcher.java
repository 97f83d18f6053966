package io.hyperops.engine.scheduler;

import io.hyperops.engine.config.AcceptedConfig;
import io.hyperops.engine.config.ConfigException;
import io.hyperops.engine.config.ConfigLoader;
import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineConfig;
import jakarta.inject.Inject;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Hot reload: watches the config file's folder (editors replace files by rename, so watching the file
 * itself would miss edits) and applies each valid edit; an invalid edit is refused with its problems
 * logged and the config in force stays as it was.
 */
public final class ConfigWatcher
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
    private static final long SETTLE_MILLIS = 300;

    private final CurrentConfig config;
    private final ConfigLoader loader;
    private final JobScheduler scheduler;
    private final Clock clock;
    private WatchService watcher;
    private Thread thread;
    private byte[] lastDigest;
    private byte[] startedFrom;
    private boolean toldStart;
    private boolean lastAccepted = true;
    private boolean closed;

    @Inject
    public ConfigWatcher(CurrentConfig config, ConfigLoader loader, JobScheduler scheduler, Clock clock)
    {
        this.config = requireNonNull(config, "config is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * The file's bytes the daemon judged at its start, accepted or not; null when it could not read them.
     * Before {@link #start}.
     */
    public synchronized void startedFrom(byte[] bytes)
    {
        this.startedFrom = bytes == null ? null : bytes.clone();
        this.toldStart = true;
    }

    /**
     * Keeps the bytes the daemon started from as the accepted copy, once it runs (one that could not
     * start, another daemon running, must not replace it), unless an edit taken since is newer: what the
     * watcher holds is what it compares.
     */
    public synchronized void keepStartAccepted(Path stateDir)
    {
        if (startedFrom != null && lastAccepted && Arrays.equals(lastDigest, digest(startedFrom))) {
            saveAccepted(config.get().file(), startedFrom, stateDir);
        }
    }

    public synchronized void start()
            throws IOException
    {
        Path file = config.get().file().toAbsolutePath();
        // the bytes the start judged, when the daemon says which: an edit saved while it started is judged below
        byte[] bytes = toldStart ? startedFrom : read(file);
        lastDigest = bytes == null ? null : digest(bytes);
        // a daemon that started on its accepted copy because the file was refused: the same bytes, the same verdict
        lastAccepted = config.lastReload().map(CurrentConfig.ReloadStatus::accepted).orElse(true);
        watcher = FileSystems.getDefault().newWatchService();
        file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
        // also a file that could not be read at the start and can now
        boolean changedSinceStart = toldStart && !Arrays.equals(lastDigest, digestOrNull(read(file)));
        thread = new Thread(() -> {
            if (changedSinceStart) {
                reloadQuietly();
            }
            watch(file);
        }, "hyperops-config-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void watch(Path file)
    {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = key.pollEvents().stream()
                        .map(WatchEvent::context)
                        .anyMatch(name -> file.getFileName().equals(name));
                if (!key.reset()) {
                    // the folder itself went away (replaced by a configuration tool): watch it again once it
                    // is back, and read the file it holds now, written before the watch could see it
                    rewatch(file);
                    ours = true;
                }
                if (ours) {
                    // An editor's save is several events; let it settle, then read once.
                    Thread.sleep(SETTLE_MILLIS);
                    if (!drain()) {
                        // the folder went during the settle (rm -rf of the whole folder): watch it again
                        rewatch(file);
                    }
                    reloadQuietly();
                }
            }
        }
        catch (InterruptedException | ClosedWatchServiceException e) {
            log.debug("Config watcher stopped");
        }
    }

    /** Registers the config's folder again after it was deleted or replaced; hot reload would stop for good otherwise. */
    private void rewatch(Path file)
            throws InterruptedException
    {
        while (true) {
            try {
                file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
                log.warn("{} was replaced; watching it again", file.getParent());
                return;
            }
            catch (IOException e) {
                // not back yet
                Thread.sleep(SETTLE_MILLIS);
            }
        }
    }

    /** Drops the events of the settle time. @return false when the folder's watch ended meanwhile */
    private boolean drain()
    {
        boolean valid = true;
        WatchKey pending;
        while ((pending = watcher.poll()) != null) {
            pending.pollEvents();
            valid &= pending.reset();
        }
        return valid;
    }

    // The watch thread must outlive any one bad reload, or hot reload would stop for good, unseen.
    private void reloadQuietly()
    {
        try {
            reload();
        }
        catch (RuntimeException e) {
            log.error("Reloading {} failed: {}", config.get().file(), e.getMessage(), e);
        }
    }

    /** Reads the file again and applies it if valid; what {@code hyperops config reload} calls too. */
    public synchronized boolean reload()
    {
        if (closed) {
            // the watch thread between its settle and this lock when the daemon stopped: its files stay as they are
            return false;
        }
        EngineConfig previous = config.get();
        Path file = previous.file();
        // read once: what is judged is what is digested and, if accepted, kept as the accepted copy
        byte[] bytes = read(file.toAbsolutePath());
        byte[] digest = bytes == null ? null : digest(bytes);
        if (digest != null && Arrays.equals(digest, lastDigest)) {
            // Same bytes as last time: the same verdict, so a refused file is not reported as reloaded.
            return lastAccepted;
        }
        EngineConfig loaded;
        try {
            // schedules without a zone of their own stay in the one the engine started with
            loaded = bytes == null ? loader.load(file, Optional.of(previous.engine().timeZone()))
                    : loader.parse(file, bytes, Optional.of(previous.engine().timeZone()));
        }
        catch (ConfigException e) {
            lastDigest = digest;
            lastAccepted = false;
            config.refuse(e.problems(), clock.instant());
            log.error("Config edit refused; the previous config stays in force.\n{}", e.getMessage());
            return false;
        }
        lastDigest = digest;
        lastAccepted = true;
        if (!loaded.engine().equals(previous.engine())) {
            log.warn("The engine section of {} changed; engine settings take effect at the next start", file);
        }
        // Engine settings (paths, threads, libvirt URI) are wired at start; only the jobs change live.
        EngineConfig next = new EngineConfig(file, previous.engine(), loaded.jobs());
        config.accept(next, clock.instant());
        // in the running engine's state folder, and in the one the file now names, where commands look for it
        saveAccepted(file, bytes, previous.engine().stateDir(), loaded.engine().stateDir());
        try {
            List<String> changed = scheduler.reschedule(previous, next);
            log.info("Config reloaded from {}; rescheduled: {}", file, changed.isEmpty() ? "none" : String.join(", ", changed));
        }
        catch (SchedulerException | RuntimeException e) {
            log.error("Config accepted but rescheduling failed: {}", e.getMessage(), e);
        }
        return true;
    }

    /** The file's bytes; null when it cannot be read (gone, unreadable), which the loader then reports. */
    private static byte[] read(Path file)
    {
        try {
            return Files.readAllBytes(file);
        }
        catch (IOException e) {
            return null;
        }
    }

    private static byte[] digestOrNull(byte[] bytes)
    {
        return bytes == null ? null : digest(bytes);
    }

    private static byte[] digest(byte[] bytes)
    {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A full disk keeps the copy from being updated, not the reload from taking effect. */
    private void saveAccepted(Path file, byte[] bytes, Path... stateDirs)
    {
        if (bytes == null) {
            return;
        }
        try {
            AcceptedConfig.save(file, bytes, stateDirs);
        }
        catch (RuntimeException e) {
            log.warn("The accepted config could not be kept: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void close()
    {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
        if (watcher != null) {
            try {
                watcher.close();
            }
            catch (IOException e) {
                log.debug("Closing the config watcher: {}", e.getMessage());
            }
        }
    }
}
