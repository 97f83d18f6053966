package io.hyperops.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The operations the seed's {@code preflight_check.sh} knew, with what each needs to know. */
public sealed interface PreflightOperation
{
    /** Short name, as on the command line: {@code vm-create}, {@code backup}, ... */
    String name();

    record VmCreate(String vmName, long diskBytes, long memoryMib, int cpus, Optional<Path> iso)
            implements PreflightOperation
    {
        public VmCreate
        {
            requireNonNull(vmName, "vmName is null");
            requireNonNull(iso, "iso is null");
            // a guest of no disk, no memory or no CPU is a typo, not something to check space for
            if (diskBytes <= 0) {
                throw new IllegalArgumentException("the disk size must be more than 0, was " + diskBytes + " bytes");
            }
            if (memoryMib <= 0) {
                throw new IllegalArgumentException("the memory must be at least 1 MiB, was " + memoryMib);
            }
            if (cpus <= 0) {
                throw new IllegalArgumentException("a guest needs at least 1 vCPU, was " + cpus);
            }
        }

        @Override
        public String name()
        {
            return "vm-create";
        }
    }

    record VmStart(String vmName)
            implements PreflightOperation
    {
        public VmStart
        {
            requireNonNull(vmName, "vmName is null");
        }

        @Override
        public String name()
        {
            return "vm-start";
        }
    }

    record IsoDownload(long bytes, Path target)
            implements PreflightOperation
    {
        public IsoDownload
        {
            requireNonNull(target, "target is null");
        }

        @Override
        public String name()
        {
            return "iso-download";
        }
    }

    /** Space for a backup of these guests into {@code target}; all guests when the list is empty. */
    record Backup(List<String> vmNames, Path target)
            implements PreflightOperation
    {
        public Backup
        {
            vmNames = List.copyOf(requireNonNull(vmNames, "vmNames is null"));
            requireNonNull(target, "target is null");
        }

        @Override
        public String name()
        {
            return "backup";
        }
    }

    record Snapshot(String vmName)
            implements PreflightOperation
    {
        public Snapshot
        {
            requireNonNull(vmName, "vmName is null");
        }

        @Override
        public String name()
        {
            return "snapshot";
        }
    }

    record General()
            implements PreflightOperation
    {
        @Override
        public String name()
        {
            return "general";
        }
    }
}
