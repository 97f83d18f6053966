package io.hyperops.task.backup;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.task.backup.archive.ArchiveWriter;
import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.Compression;
import io.hyperops.task.backup.archive.DiskImage;
import io.hyperops.task.backup.archive.ManifestJson;
import io.hyperops.task.backup.crypto.RecipientKeys;
import jakarta.inject.Inject;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Backs up one guest into one archive. A running or paused guest is frozen by an external snapshot
 * and its base images are read while it goes on writing to the overlays; a shut-off guest is read
 * directly. A live disk is never read without one of the two. Whatever fails, the overlays are
 * committed and the partial archive deleted before the error leaves here.
 */
public final class BackupService
{
    // VIR_DOMAIN_XML_INACTIVE: the persistent definition, which is what a restore defines again
    private static final int XML_INACTIVE = 2;

    private final LibvirtConnection libvirt;
    private final HostPaths paths;
    private final Clock clock;

    @Inject
    public BackupService(LibvirtConnection libvirt, HostPaths paths, Clock clock)
    {
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public BackupStore store(BackupSettings settings)
    {
        return new BackupStore(paths.dataDir().resolve(settings.backupDir()));
    }

    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    public BackupOutcome backup(String vmName, BackupSettings settings, Progress progress, Logger log)
            throws IOException, LibvirtException, InterruptedException
    {
        Instant start = clock.instant();
        // before anything is touched: a missing or unusable key refuses the backup, it never writes plaintext instead
        Optional<RecipientKeys> recipients = settings.recipients(start);
        BackupStore store = store(settings);
        Files.createDirectories(store.root());
        try (GuestLock lock = GuestLock.acquire(store.root(), vmName)) {
            List<Path> leftovers = store.removeLeftovers(vmName);
            leftovers.forEach(path -> log.info("Removed {} left by an earlier run that did not finish", path));
            List<Path> committed = libvirt.call(connect -> commitLeftOvers(connect.domainLookupByName(vmName), log));
            GuestFacts facts = libvirt.call(connect -> facts(connect.domainLookupByName(vmName)));
            String id = BackupStore.newId(start, clock.getZone());
            Files.createDirectories(store.folder(vmName, id).getParent());
            // two runs in one second get -2, -3, ...: a backup folder is never shared
            for (int attempt = 2; Files.exists(store.folder(vmName, id)); attempt++) {
                id = BackupStore.newId(start, clock.getZone()) + "-" + attempt;
            }
            Path folder = Files.createDirectory(store.folder(vmName, id));
            Compression compression = settings.compressionKind();
            String archiveName = vmName + "-" + id + compression.extension() + (recipients.isPresent() ? ".gpg" : "");
            // SHUTDOWN is a guest still running its shutdown: live disks, so it gets the snapshot like a running one
            boolean snapshot = facts.state() != DomainState.VIR_DOMAIN_SHUTOFF && facts.state() != DomainState.VIR_DOMAIN_CRASHED;
            try {
                String consistency = "stopped";
                if (snapshot) {
                    boolean quiesced = libvirt.call(connect -> ExternalSnapshot.create(connect.domainLookupByName(vmName), facts.disks(), log));
                    consistency = quiesced ? "external-snapshot, file systems frozen by the guest agent" : "external-snapshot";
                }
                BackupManifest manifest = writeArchive(folder.resolve(archiveName), facts, settings, recipients, start, consistency, progress);
                if (!snapshot && libvirt.call(connect -> connect.domainLookupByName(vmName).isActive()) == 1) {
                    // nothing stopped it from starting while its disks were read: the copy may mix old and new blocks
                    throw new IOException(vmName + " was started while its disks were copied, so the copy may be inconsistent; it was removed. "
                            + "Run the backup again: a running guest is backed up through a snapshot");
                }
                ManifestJson.write(folder.resolve(ManifestJson.FILE_NAME), manifest);
                return new BackupOutcome(folder.getFileName().toString(), folder, manifest, leftovers, committed);
            }
            catch (IOException e) {
                deleteQuietly(folder, e);
                if (String.valueOf(e.getMessage()).contains("No space left on device")) {
                    throw new IOException("the backup folder " + store.root() + " is full (No space left on device); the partial archive was removed, "
                            + "earlier backups are untouched" + (snapshot ? " and the guest goes back to its own disks" : "")
                            + ". Free space there (hyperops backup prune, or a larger backup_dir) and run the backup again", e);
                }
                throw e;
            }
            catch (LibvirtException | InterruptedException | RuntimeException e) {
                deleteQuietly(folder, e);
                throw e;
            }
            finally {
                if (snapshot) {
                    // runs on success and failure alike, also after an interrupt: the guest must not stay on the overlays
                    boolean interrupted = Thread.interrupted();
                    try {
                        libvirt.call(connect -> commitLeftOvers(connect.domainLookupByName(vmName), log));
                    }
                    finally {
                        if (interrupted) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            }
        }
    }

    private BackupManifest writeArchive(Path archive, GuestFacts facts, BackupSettings settings, Optional<RecipientKeys> recipients,
            Instant start, String consistency, Progress progress)
            throws IOException, InterruptedException
    {
        List<DiskImage> images = new ArrayList<>();
        List<BackupManifest.Disk> disks = new ArrayList<>();
        long total = 0;
        for (DomainXml.Disk disk : facts.disks()) {
            // under the snapshot, the XML's source is the frozen base: the overlay name is only in the live XML
            DiskImage image = DiskImage.inspect(disk.source());
            images.add(image);
            disks.add(new BackupManifest.Disk(disk.target(), disk.source().toString(), image.format(), image.virtualSize(), image.allocatedBytes(),
                    "disks/" + disk.target() + ".raw", ""));
            total += image.virtualSize();
        }
        Compression compression = settings.compressionKind();
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT_VERSION, facts.name(), facts.uuid(), start.toString(), stateName(facts.state()),
                disks.size(), compression != Compression.NONE, recipients.isPresent(), 0, compression.configName(),
                compression == Compression.NONE ? 0 : settings.compressionLevel(), recipients.map(RecipientKeys::keyIds).orElse(List.of()),
                consistency, 0, archive.getFileName().toString(), Version.current(), disks);
        try (ArchiveWriter writer = ArchiveWriter.create(archive, compression, settings.compressionLevel(), settings.compressionWorkers(), recipients,
                settings.threadIoPriority(), settings.throttle())) {
            writer.addBytes("manifest.json", ManifestJson.bytes(manifest));
            writer.addBytes("domain.xml", facts.xml().getBytes(StandardCharsets.UTF_8));
            if (facts.nvram().isPresent() && Files.isRegularFile(facts.nvram().get())) {
                writer.addBytes("nvram/" + facts.nvram().get().getFileName(), Files.readAllBytes(facts.nvram().get()));
            }
            List<BackupManifest.Disk> hashed = new ArrayList<>();
            long before = 0;
            for (int i = 0; i < images.size(); i++) {
                BackupManifest.Disk disk = disks.get(i);
                long offset = before;
                long all = total;
                String sha256 = writer.addDisk(disk.entry(), images.get(i), done -> progress.report("backup " + facts.name() + " " + disk.target(), offset + done, all));
                hashed.add(disk.withSha256(sha256));
                before += disk.virtualSize();
            }
            long size = writer.commit();
            return manifest.completed(hashed, size, clock.millis() - start.toEpochMilli());
        }
    }

    private static List<Path> commitLeftOvers(Domain domain, Logger log)
            throws LibvirtException
    {
        try {
            if (domain.isActive() == 0) {
                return ExternalSnapshot.commitOffline(domain, log);
            }
            return ExternalSnapshot.commitLeftOvers(domain, log);
        }
        catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while committing the backup overlay of " + domain.getName() + "; the next backup commits it", e);
        }
    }

    private static GuestFacts facts(Domain domain)
            throws LibvirtException
    {
        String xml = domain.getXMLDesc(XML_INACTIVE);
        Optional<Path> nvram = DomainXml.nvram(xml);
        return new GuestFacts(domain.getName(), domain.getUUIDString(), domain.getInfo().state, xml, DomainXml.disks(domain.getXMLDesc(0)), nvram);
    }

    static String stateName(DomainState state)
    {
        return switch (state) {
            case VIR_DOMAIN_RUNNING -> "running";
            case VIR_DOMAIN_PAUSED -> "paused";
            case VIR_DOMAIN_SHUTOFF -> "shut off";
            case VIR_DOMAIN_SHUTDOWN -> "shutting down";
            case VIR_DOMAIN_CRASHED -> "crashed";
            case VIR_DOMAIN_PMSUSPENDED -> "suspended";
            default -> "unknown";
        };
    }

    private static void deleteQuietly(Path folder, Exception failure)
    {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private record GuestFacts(String name, String uuid, DomainState state, String xml, List<DomainXml.Disk> disks, Optional<Path> nvram)
    {
    }
}
