package io.hyperops.task.health.check;

import io.hyperops.spi.HostPaths;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.LibvirtUnavailableException;
import io.hyperops.task.health.HealthSettings;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo.StoragePoolState;
import org.libvirt.StoragePoolInfo;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The data folder's layout and libvirt's storage pools: the named pool running, every pool's fill level. */
public final class StorageChecks
{
    private final HostPaths paths;
    private final LibvirtConnection libvirt;
    private final HealthSettings settings;

    public StorageChecks(HostPaths paths, LibvirtConnection libvirt, HealthSettings settings)
    {
        this.paths = requireNonNull(paths, "paths is null");
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    public List<HealthCheck> checks()
    {
        return List.of(
                new HealthCheck("required_dirs", this::requiredDirs),
                new HealthCheck("storage_pool", this::storagePool),
                new HealthCheck("storage_pool_capacity", this::poolCapacity));
    }

    CheckResult requiredDirs()
    {
        List<String> missing = new ArrayList<>();
        if (!Files.isDirectory(paths.dataDir())) {
            missing.add(paths.dataDir().toString());
        }
        for (String name : settings.requiredDirs()) {
            if (!Files.isDirectory(paths.dataDir().resolve(name))) {
                missing.add(paths.dataDir().resolve(name).toString());
            }
        }
        if (missing.isEmpty()) {
            return CheckResult.ok(paths.dataDir() + " and " + String.join(", ", settings.requiredDirs()) + " exist");
        }
        return CheckResult.warn("missing: " + String.join(", ", missing), "mkdir -p " + String.join(" ", missing));
    }

    CheckResult storagePool()
            throws LibvirtException
    {
        String name = settings.storagePool();
        try {
            Optional<StoragePoolState> state = libvirt.call(connect -> {
                try {
                    StoragePool pool = connect.storagePoolLookupByName(name);
                    try {
                        return Optional.of(pool.getInfo().state);
                    }
                    finally {
                        pool.free();
                    }
                }
                catch (LibvirtException e) {
                    if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_STORAGE_POOL) {
                        return Optional.empty();
                    }
                    throw e;
                }
            });
            if (state.isEmpty()) {
                return CheckResult.info("no storage pool '" + name + "'; guest disks are plain files", "virsh pool-define-as " + name + " dir --target " + paths.dataDir().resolve("disks") + " && virsh pool-start " + name);
            }
            if (state.get() == StoragePoolState.VIR_STORAGE_POOL_RUNNING) {
                return CheckResult.ok("storage pool '" + name + "' is running");
            }
            return CheckResult.warn("storage pool '" + name + "' is " + state.get().name().substring("VIR_STORAGE_POOL_".length()).toLowerCase(Locale.ROOT), "virsh pool-start " + name + " && virsh pool-autostart " + name);
        }
        catch (LibvirtUnavailableException e) {
            return CheckResult.error("cannot ask libvirt: " + e.getMessage(), "start libvirtd");
        }
    }

    CheckResult poolCapacity()
            throws LibvirtException
    {
        List<PoolFill> pools;
        try {
            pools = libvirt.call(connect -> {
                List<PoolFill> result = new ArrayList<>();
                for (String name : connect.listStoragePools()) {
                    StoragePool pool = connect.storagePoolLookupByName(name);
                    try {
                        StoragePoolInfo info = pool.getInfo();
                        result.add(new PoolFill(name, info.capacity, info.allocation, info.available));
                    }
                    finally {
                        pool.free();
                    }
                }
                return result;
            });
        }
        catch (LibvirtUnavailableException e) {
            return CheckResult.error("cannot ask libvirt: " + e.getMessage(), "start libvirtd");
        }
        if (pools.isEmpty()) {
            return CheckResult.info("no active storage pools");
        }
        List<String> full = new ArrayList<>();
        List<String> filling = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (PoolFill pool : pools) {
            int percent = pool.percent();
            String text = String.format(Locale.ROOT, "%s %d%% used (%.1f GB free)", pool.name(), percent, pool.available() / 1024.0 / 1024 / 1024);
            all.add(text);
            if (percent >= settings.poolErrorPercent()) {
                full.add(text);
            }
            else if (percent >= settings.poolWarnPercent()) {
                filling.add(text);
            }
        }
        String hint = "free space in the pool: virsh vol-list <pool>, delete unused volumes, or hyperops run-job storage-cleanup";
        if (!full.isEmpty()) {
            return CheckResult.error(String.join("; ", full), hint);
        }
        if (!filling.isEmpty()) {
            return CheckResult.warn(String.join("; ", filling), hint);
        }
        return CheckResult.ok(String.join("; ", all));
    }

    private record PoolFill(String name, long capacity, long allocation, long available)
    {
        int percent()
        {
            return capacity <= 0 ? 0 : (int) (100 * allocation / capacity);
        }
    }
}
