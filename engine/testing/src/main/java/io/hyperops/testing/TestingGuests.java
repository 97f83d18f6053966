package io.hyperops.testing;

import io.hyperops.spi.LibvirtUnavailableException;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Throwaway real QEMU guests on the host's libvirtd, for integration tests that need a domain to back
 * up, kill or watch. A guest has a 1 GiB qcow2 disk and nothing on it: the BIOS finds no OS and the
 * guest simply stays running, which is all these tests need, at 64 MiB of memory each.
 *
 * <p>{@link #close()} destroys and undefines every guest made here and deletes its folder of disks.
 * Each guest also records the JVM that made it, so {@link #removeStale()} can clear what a killed test
 * run left behind without touching the guests of a build running beside it.
 */
public final class TestingGuests
        implements AutoCloseable
{
    public static final String URI = "qemu:///system";
    /** Every test guest's name starts with this, and so does the temporary folder of its disk. */
    public static final String NAME_PREFIX = "hyperops-test-";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    // libvirt's QEMU driver writes each running guest's QEMU pid here.
    private static final Path QEMU_PID_DIRECTORY = Path.of("/run/libvirt/qemu");

    private final Connect connect;
    private final String domainType;
    private final Path directory;
    private final List<Guest> guests = new ArrayList<>();
    private boolean closed;

    /** A guest made by {@link TestingGuests}; look it up again with {@link #domain(Guest)}. */
    public record Guest(String name, String uuid, Path disk)
    {
        public Guest
        {
            requireNonNull(name, "name is null");
            requireNonNull(uuid, "uuid is null");
            requireNonNull(disk, "disk is null");
        }
    }

    private TestingGuests(Connect connect, String domainType, Path directory)
    {
        this.connect = requireNonNull(connect, "connect is null");
        this.domainType = requireNonNull(domainType, "domainType is null");
        this.directory = requireNonNull(directory, "directory is null");
    }

    /**
     * Connects to {@value #URI} and first removes guests that dead test runs left behind.
     *
     * @throws LibvirtUnavailableException when libvirt is not installed or libvirtd does not answer
     */
    public static TestingGuests connect()
            throws LibvirtException, IOException
    {
        Connect connect = open();
        try {
            StaleGuests.remove(connect);
            // libvirt lists the kvm domain type only when it could start QEMU with /dev/kvm.
            String domainType = GuestXml.kvmUsable(connect.getCapabilities()) ? "kvm" : "qemu";
            return new TestingGuests(connect, domainType, Files.createTempDirectory(NAME_PREFIX));
        }
        catch (LibvirtException | IOException | RuntimeException e) {
            closeAfterFailure(connect, e);
            throw e;
        }
    }

    /**
     * Removes every {@code hyperops-test-*} guest whose JVM has exited, with its disks. A test run that
     * was killed never reached {@link #close()}; {@link #connect()} calls this on every start.
     */
    public static void removeStale()
            throws LibvirtException, IOException
    {
        Connect connect = open();
        try {
            StaleGuests.remove(connect);
        }
        finally {
            connect.close();
        }
    }

    /** Defines a guest and starts it; it stays {@code running} until a test stops it. */
    public Guest createRunning(String label)
            throws LibvirtException, IOException
    {
        Guest guest = createStopped(label);
        domain(guest).create();
        return guest;
    }

    /** Defines a guest without starting it: {@code shut off}. */
    public Guest createStopped(String label)
            throws LibvirtException, IOException
    {
        return define(label, Optional.empty(), Optional.empty());
    }

    /**
     * Defines a UEFI guest without starting it: {@code loader} (OVMF's code, e.g. from Debian's {@code ovmf}
     * package) as firmware, and its own variable store at {@code <name>_VARS.fd} in the folder of its disk,
     * which does not exist until the guest starts (libvirt copies {@code varsTemplate}) or a test writes it.
     * {@link #close()} removes that file with the guest.
     */
    public Guest createStoppedUefi(String label, Path loader, Path varsTemplate)
            throws LibvirtException, IOException
    {
        return define(label, Optional.of(loader), Optional.of(varsTemplate));
    }

    private Guest define(String label, Optional<Path> loader, Optional<Path> varsTemplate)
            throws LibvirtException, IOException
    {
        checkOpen();
        if (!LABEL.matcher(label).matches()) {
            throw new IllegalArgumentException("Guest label must be 1 to 32 lower-case letters, digits or '-', "
                    + "starting with a letter or digit: '" + label + "'");
        }
        // The random part keeps names unique across runs, also when a stale guest is still defined.
        String name = NAME_PREFIX + label + "-" + UUID.randomUUID().toString().substring(0, 8);
        Path disk = directory.resolve(name + ".qcow2");
        QemuImg.createQcow2(disk, "1G");
        Optional<GuestXml.Uefi> uefi = loader.map(code -> new GuestXml.Uefi(code, varsTemplate.orElseThrow(), directory.resolve(name + "_VARS.fd")));
        Domain domain = connect.domainDefineXML(GuestXml.domain(name, domainType, disk, GuestOwner.current(), uefi));
        Guest guest = new Guest(name, domain.getUUIDString(), disk);
        guests.add(guest);
        return guest;
    }

    /** The guest's libvirt domain, looked up by UUID, for the calls a test makes on it. */
    public Domain domain(Guest guest)
            throws LibvirtException
    {
        checkOpen();
        return connect.domainLookupByUUIDString(guest.uuid());
    }

    /**
     * The pid of the guest's QEMU process, which libvirt keeps in {@code /run/libvirt/qemu/NAME.pid}
     * while the guest runs; tests kill it to play a crashed guest.
     */
    public long qemuPid(Guest guest)
            throws IOException
    {
        Path pidFile = QEMU_PID_DIRECTORY.resolve(guest.name() + ".pid");
        try {
            return Long.parseLong(Files.readString(pidFile).trim());
        }
        catch (NoSuchFileException e) {
            throw new IllegalStateException("Guest " + guest.name() + " is not running: " + pidFile + " does not exist", e);
        }
    }

    /** {@code kvm} where libvirt can use /dev/kvm, else {@code qemu} (TCG emulation, slower but enough here). */
    public String domainType()
    {
        return domainType;
    }

    /**
     * Destroys and undefines every guest made here, also those a test already stopped or killed, and
     * deletes their disks. Safe to call twice. Tries every guest before it reports the first failure.
     */
    @Override
    public void close()
            throws LibvirtException, IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        Exception failure = null;
        for (Guest guest : guests) {
            try {
                GuestRemoval.remove(connect, guest.uuid());
            }
            catch (LibvirtException | RuntimeException e) {
                failure = addFailure(failure, e);
            }
        }
        try {
            GuestRemoval.deleteFolder(directory);
        }
        catch (IOException | RuntimeException e) {
            failure = addFailure(failure, e);
        }
        try {
            connect.close();
        }
        catch (LibvirtException e) {
            failure = addFailure(failure, e);
        }
        if (failure != null) {
            rethrow(failure);
        }
    }

    private static Connect open()
    {
        try {
            return new Connect(URI);
        }
        catch (LibvirtException e) {
            throw new LibvirtUnavailableException("libvirtd does not answer on " + URI + " (" + e.getMessage()
                    + "); run scripts/setup-testbed.sh as root to install and start it", e);
        }
        catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            // JNA could not load libvirt.so.0: the first attempt throws the former, later ones the latter.
            throw new LibvirtUnavailableException("The libvirt client library (Debian package libvirt0) cannot be loaded ("
                    + e.getMessage() + "); run scripts/setup-testbed.sh as root to install it", e);
        }
    }

    private static void closeAfterFailure(Connect connect, Exception failure)
    {
        try {
            connect.close();
        }
        catch (LibvirtException e) {
            failure.addSuppressed(e);
        }
    }

    private static Exception addFailure(Exception first, Exception next)
    {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static void rethrow(Exception failure)
            throws LibvirtException, IOException
    {
        if (failure instanceof LibvirtException libvirtFailure) {
            throw libvirtFailure;
        }
        if (failure instanceof IOException ioFailure) {
            throw ioFailure;
        }
        throw (RuntimeException) failure;
    }

    private void checkOpen()
    {
        if (closed) {
            throw new IllegalStateException("TestingGuests is closed");
        }
    }
}
