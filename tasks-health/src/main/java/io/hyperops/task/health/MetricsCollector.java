package io.hyperops.task.health;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.LibvirtUnavailableException;
import io.hyperops.task.health.MetricsSnapshot.Cpu;
import io.hyperops.task.health.MetricsSnapshot.Disk;
import io.hyperops.task.health.MetricsSnapshot.Memory;
import io.hyperops.task.health.MetricsSnapshot.Vms;
import jakarta.inject.Inject;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Reads the host: {@code /proc}, the file system of the data folder, and libvirt's domains. */
final class MetricsCollector
{
    private static final Logger LOG = LoggerFactory.getLogger(MetricsCollector.class);

    private final ProcFiles proc;
    private final HostPaths paths;
    private final LibvirtConnection libvirt;

    @Inject
    MetricsCollector(ProcFiles proc, HostPaths paths, LibvirtConnection libvirt)
    {
        this.proc = requireNonNull(proc, "proc is null");
        this.paths = requireNonNull(paths, "paths is null");
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
    }

    /**
     * Host figures are required: a host whose {@code /proc} cannot be read fails the run. VM counts are
     * not: without libvirt the reading has {@code vms} null and says why.
     */
    Reading collect(OffsetDateTime timestamp)
            throws IOException
    {
        Cpu cpu = new Cpu(proc.processorCount(), proc.loadAverage());
        Memory memory = Memory.fromKilobytes(proc.meminfoKilobytes("MemTotal"), proc.meminfoKilobytes("MemAvailable"));
        FileStore store = Files.getFileStore(paths.dataDir());
        Disk disk = Disk.fromBytes(store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace());

        Vms vms = null;
        Optional<String> vmProblem = Optional.empty();
        try {
            vms = countVms();
        }
        catch (LibvirtUnavailableException e) {
            // the message says what to do; a trace every hour while libvirtd is down would only bury it
            LOG.debug("libvirt is unavailable", e);
            vmProblem = Optional.of(e.getMessage());
        }
        catch (LibvirtException e) {
            LOG.warn("Listing the domains of {} failed", libvirt.uri(), e);
            vmProblem = Optional.of("listing the domains of " + libvirt.uri() + " failed: " + e.getMessage());
        }

        MetricsSnapshot snapshot = new MetricsSnapshot(
                timestamp.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                proc.hostname(),
                cpu,
                memory,
                disk,
                vms);
        return new Reading(snapshot, vmProblem);
    }

    private Vms countVms()
            throws LibvirtException
    {
        return libvirt.call(connect -> {
            Domain[] domains = connect.listAllDomains(0);
            try {
                int running = 0;
                for (Domain domain : domains) {
                    if (domain.isActive() == 1) {
                        running++;
                    }
                }
                return new Vms(domains.length, running, domains.length - running);
            }
            finally {
                for (Domain domain : domains) {
                    domain.free();
                }
            }
        });
    }

    /** @param vmProblem why {@code snapshot.vms()} is null, in words an operator can act on */
    record Reading(MetricsSnapshot snapshot, Optional<String> vmProblem)
    {
        Reading
        {
            requireNonNull(snapshot, "snapshot is null");
            requireNonNull(vmProblem, "vmProblem is null");
        }
    }
}
