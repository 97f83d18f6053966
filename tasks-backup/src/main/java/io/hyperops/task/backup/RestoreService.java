package io.hyperops.task.backup;

import io.hyperops.spi.LibvirtConnection;
import io.hyperops.task.backup.archive.ArchiveReader;
import io.hyperops.task.backup.archive.ArchiveWriter;
import io.hyperops.task.backup.archive.BackupManifest;
import io.hyperops.task.backup.archive.ChunkedSha256;
import io.hyperops.task.backup.archive.IoPriority;
import io.hyperops.task.backup.archive.Throttle;
import io.hyperops.task.backup.crypto.DecryptionKeys;
import jakarta.inject.Inject;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Restores a backup in one pass over its archive: each disk is written to a sparse file beside its
 * target and checked against the manifest's SHA-256; only when every disk matches are they moved into
 * place (the original guest's old disks are kept as {@code .pre-restore} until then) and the guest defined.
 * The UEFI variable store ({@code nvram/<file>}) is checked against the archive's {@code SHA256SUMS} and
 * swapped in the same way: back to the guest's own NVRAM path, or for a new guest to {@code <name>_VARS.fd}
 * beside it, which the new guest's XML then names.
 */
public final class RestoreService
{
    private static final String PRE_RESTORE = ".pre-restore";
    // virDomainXMLFlags' VIR_DOMAIN_XML_INACTIVE: the persistent definition, not the running one
    private static final int XML_INACTIVE = 2;
    private static final String NVRAM_FOLDER = "nvram/";

    private final LibvirtConnection libvirt;

    @Inject
    public RestoreService(LibvirtConnection libvirt)
    {
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
    }

    /**
     * @param priority for reading the archive, writing the disks and the {@code qemu-img convert} this thread starts (a child inherits it)
     * @return the name of the guest restored
     */
    @SuppressWarnings("try") // the lock and the priority are held by the try blocks, not used in them
    public String restore(BackupStore store, RestoreRequest request, Optional<DecryptionKeys> keys, IoPriority priority, Throttle throttle, Progress progress, Logger log)
            throws IOException, LibvirtException, InterruptedException
    {
        StoredBackup backup = store.find(request.vmName(), request.id());
        BackupManifest manifest = backup.manifest();
        String name = request.newName().orElse(request.vmName());
        try (GuestLock lock = GuestLock.acquire(store.root(), name)) {
            checkTarget(name, request.newName().isPresent());
            Map<String, Path> targets = new LinkedHashMap<>();
            for (BackupManifest.Disk disk : manifest.disks()) {
                Path original = Path.of(disk.source());
                Path folder = request.targetDir().orElse(original.getParent());
                Path target = request.newName().isPresent()
                        ? folder.resolve(name + "-" + disk.target() + (disk.format().equals("qcow2") ? ".qcow2" : ".img"))
                        : folder.resolve(original.getFileName());
                if (request.newName().isPresent() && Files.exists(target)) {
                    throw new IllegalArgumentException(target + " exists; choose another name or --to folder");
                }
                // in place, only the guest's own disk is replaced: a file of that name in another folder may be anyone's
                if (request.newName().isEmpty() && !target.equals(original) && Files.exists(target)) {
                    throw new IllegalArgumentException(target + " exists and is not " + name + "'s disk; choose another --to folder or move it away");
                }
                targets.put(disk.entry(), target);
            }
            List<Path> written = new ArrayList<>();
            try {
                ArchiveContent content;
                Optional<Path> nvram;
                try (IoPriority.Restore restore = priority.applyToCurrentThread()) {
                    content = readArchive(backup, manifest, targets, keys, throttle, written, progress);
                    nvram = placeNvram(backup, content, request, name, written);
                    // a guest started during a long restore must not have its open disks moved away under it
                    checkTarget(name, request.newName().isPresent());
                    install(manifest, targets, nvram, written, log);
                }
                String xml = request.newName().isPresent()
                        ? DomainXml.asNewGuest(content.domainXml(), name, byTarget(manifest, targets), nvram)
                        : DomainXml.withDisks(content.domainXml(), byTarget(manifest, targets));
                if (request.newName().isPresent() || request.targetDir().isPresent() || !guestExists(name)) {
                    libvirt.call(connect -> connect.domainDefineXML(xml));
                }
                else {
                    pointAtRestoredDisks(name, byTarget(manifest, targets), log);
                }
                log.info("Restored {} from backup {} of {}", name, backup.id(), request.vmName());
                return name;
            }
            finally {
                for (Path path : written) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** What a restore needs from an archive besides the disks, which go straight to their files. */
    private record ArchiveContent(String domainXml, Optional<byte[]> nvram)
    {
    }

    private ArchiveContent readArchive(StoredBackup backup, BackupManifest manifest, Map<String, Path> targets, Optional<DecryptionKeys> keys, Throttle throttle, List<Path> written,
            Progress progress)
            throws IOException, InterruptedException
    {
        StringBuilder domainXml = new StringBuilder();
        Map<String, String> hashes = new LinkedHashMap<>();
        Map<String, byte[]> nvram = new LinkedHashMap<>();
        Map<String, String> listed = new LinkedHashMap<>();
        ArchiveReader.read(backup.archive(), keys, (entry, size, content) -> {
            if (entry.equals("domain.xml")) {
                domainXml.append(new String(content.readAllBytes(), StandardCharsets.UTF_8));
            }
            else if (entry.startsWith(NVRAM_FOLDER)) {
                nvram.put(entry, content.readAllBytes());
            }
            else if (entry.equals(ArchiveWriter.SUMS_ENTRY)) {
                for (String line : new String(content.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (line.contains("  ")) {
                        listed.put(line.substring(line.indexOf("  ") + 2), line.substring(0, line.indexOf("  ")));
                    }
                }
            }
            else if (targets.containsKey(entry)) {
                Path raw = targets.get(entry).resolveSibling(targets.get(entry).getFileName() + ".restore.raw");
                written.add(raw);
                progress.report("restore " + entry, 0, size);
                hashes.put(entry, DiskFileWriter.writeSparse(content, size, raw, manifest.formatVersion(), throttle));
                progress.report("restore " + entry, size, size);
            }
            else if (!entry.equals("manifest.json") && !entry.endsWith(ChunkedSha256.LIST_SUFFIX)) {
                throw new IOException("unexpected entry " + entry + " in " + backup.archive());
            }
        });
        for (BackupManifest.Disk disk : manifest.disks()) {
            if (!disk.sha256().equals(hashes.get(disk.entry()))) {
                throw new IOException("disk " + disk.target() + " in " + backup.archive() + " does not match its manifest (SHA-256 " + hashes.get(disk.entry())
                        + ", expected " + disk.sha256() + "); nothing was changed");
            }
        }
        if (domainXml.isEmpty()) {
            throw new IOException(backup.archive() + " holds no domain.xml");
        }
        if (nvram.size() > 1) {
            throw new IOException(backup.archive() + " holds " + nvram.size() + " NVRAM files " + nvram.keySet() + "; a guest has one");
        }
        for (Map.Entry<String, byte[]> file : nvram.entrySet()) {
            String sha256 = HexFormat.of().formatHex(sha256(file.getValue()));
            if (!sha256.equals(listed.get(file.getKey()))) {
                throw new IOException(file.getKey() + " in " + backup.archive() + " does not match its " + ArchiveWriter.SUMS_ENTRY + " (SHA-256 " + sha256
                        + ", listed " + listed.get(file.getKey()) + "); nothing was changed");
            }
        }
        return new ArchiveContent(domainXml.toString(), nvram.values().stream().findFirst());
    }

    /**
     * Writes the saved UEFI variables beside where they go, as {@code <file>.restore}, for {@link #install}
     * to swap in: the guest's own NVRAM path in place, {@code <name>_VARS.fd} (libvirt's naming) beside it
     * for a new guest.
     */
    private static Optional<Path> placeNvram(StoredBackup backup, ArchiveContent content, RestoreRequest request, String name, List<Path> written)
            throws IOException
    {
        if (content.nvram().isEmpty()) {
            return Optional.empty();
        }
        Path original = DomainXml.nvram(content.domainXml())
                .orElseThrow(() -> new IOException(backup.archive() + " holds an NVRAM file but its domain.xml names none"));
        Path target = request.newName().isPresent() ? original.resolveSibling(name + "_VARS.fd") : original;
        if (request.newName().isPresent() && Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists; choose another name with --as");
        }
        Files.createDirectories(target.getParent());
        Path ready = target.resolveSibling(target.getFileName() + ".restore");
        written.add(ready);
        // only its owner reads it, like the files libvirt makes; libvirt hands it to QEMU's user when the guest starts
        Files.deleteIfExists(ready);
        Files.createFile(ready, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (FileChannel channel = FileChannel.open(ready, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(content.nvram().get()));
            channel.force(true);
        }
        return Optional.of(target);
    }

    private static byte[] sha256(byte[] content)
    {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java runtime offers no SHA-256", e);
        }
    }

    // Every disk is complete and checked; old disks (and the old NVRAM) step aside only now, and go only once all new ones are in.
    private static void install(BackupManifest manifest, Map<String, Path> targets, Optional<Path> nvram, List<Path> written, Logger log)
            throws IOException, InterruptedException
    {
        List<Path> keptAside = new ArrayList<>();
        for (BackupManifest.Disk disk : manifest.disks()) {
            Path target = targets.get(disk.entry());
            Path raw = target.resolveSibling(target.getFileName() + ".restore.raw");
            Path ready = target.resolveSibling(target.getFileName() + ".restore");
            if (disk.format().equals("qcow2")) {
                DiskFileWriter.toQcow2(raw, ready);
                written.add(ready);
            }
            else {
                Files.move(raw, ready, StandardCopyOption.ATOMIC_MOVE);
                written.add(ready);
            }
        }
        List<Path> swaps = new ArrayList<>();
        for (BackupManifest.Disk disk : manifest.disks()) {
            swaps.add(targets.get(disk.entry()));
        }
        nvram.ifPresent(swaps::add);
        try {
            for (Path target : swaps) {
                if (Files.exists(target)) {
                    Path aside = target.resolveSibling(target.getFileName() + PRE_RESTORE);
                    Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    keptAside.add(aside);
                }
                Files.move(target.resolveSibling(target.getFileName() + ".restore"), target, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        catch (IOException e) {
            // put the old disks back: a half-swapped guest is worse than the old one
            for (Path aside : keptAside) {
                try {
                    Files.move(aside, aside.resolveSibling(aside.getFileName().toString().replace(PRE_RESTORE, "")), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                }
                catch (IOException moveBack) {
                    e.addSuppressed(moveBack);
                }
            }
            throw e;
        }
        for (Path aside : keptAside) {
            Files.deleteIfExists(aside);
            log.info("Replaced {}", aside.getFileName().toString().replace(PRE_RESTORE, ""));
        }
    }

    /**
     * The guest keeps its current definition, but its disks must be the restored files: a guest left on a
     * backup overlay by a killed run would otherwise boot that overlay on top of the restored disk.
     */
    private void pointAtRestoredDisks(String name, Map<String, Path> disks, Logger log)
            throws LibvirtException
    {
        libvirt.call(connect -> {
            Domain domain = connect.domainLookupByName(name);
            String current = domain.getXMLDesc(XML_INACTIVE);
            boolean differs = DomainXml.disks(current).stream().anyMatch(disk -> disks.containsKey(disk.target()) && !disk.source().equals(disks.get(disk.target())));
            if (differs) {
                connect.domainDefineXML(DomainXml.withDisks(current, disks));
                log.info("{} pointed at its restored disks again (its definition named other files, such as a backup overlay)", name);
            }
            return null;
        });
    }

    private void checkTarget(String name, boolean asNew)
            throws LibvirtException
    {
        Optional<Integer> active = libvirt.call(connect -> lookup(connect, name).map(RestoreService::isActive));
        if (asNew && active.isPresent()) {
            throw new IllegalArgumentException("a guest named " + name + " exists already; choose another name with --as");
        }
        if (!asNew && active.orElse(0) == 1) {
            throw new IllegalStateException(name + " is running; shut it down first ('virsh shutdown " + name + "'), then restore");
        }
    }

    private boolean guestExists(String name)
            throws LibvirtException
    {
        return libvirt.call(connect -> lookup(connect, name).isPresent());
    }

    private static int isActive(Domain domain)
    {
        try {
            return domain.isActive();
        }
        catch (LibvirtException e) {
            throw new IllegalStateException("cannot read the state of " + e.getMessage(), e);
        }
    }

    // by the lists first: a failed lookup would make libvirt print its error on stderr
    private static Optional<Domain> lookup(Connect connect, String name)
            throws LibvirtException
    {
        boolean defined = List.of(connect.listDefinedDomains()).contains(name);
        for (int id : connect.listDomains()) {
            defined |= connect.domainLookupByID(id).getName().equals(name);
        }
        return defined ? Optional.of(connect.domainLookupByName(name)) : Optional.empty();
    }

    private static Map<String, Path> byTarget(BackupManifest manifest, Map<String, Path> targets)
    {
        Map<String, Path> files = new LinkedHashMap<>();
        for (BackupManifest.Disk disk : manifest.disks()) {
            files.put(disk.target(), targets.get(disk.entry()));
        }
        return files;
    }
}
