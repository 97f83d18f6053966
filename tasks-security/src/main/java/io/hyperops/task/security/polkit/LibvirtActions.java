package io.hyperops.task.security.polkit;

import io.hyperops.spi.Permission;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.hyperops.spi.Permission.HOST_CHANGE;
import static io.hyperops.spi.Permission.READ;
import static io.hyperops.spi.Permission.STORAGE_DELETE;
import static io.hyperops.spi.Permission.VM_CONSOLE;
import static io.hyperops.spi.Permission.VM_CREATE;
import static io.hyperops.spi.Permission.VM_DELETE;
import static io.hyperops.spi.Permission.VM_START;
import static io.hyperops.spi.Permission.VM_STOP;

/**
 * Every polkit action libvirt asks about, with the {@link Permission} of the role model it needs: the
 * one place where libvirt's access control meets hyperops's roles.
 *
 * <p>The {@code org.libvirt.api.*} ids are libvirt's object and permission names (libvirt 9.0,
 * {@code src/access/viraccessperm.c}), underscores turned into dashes as libvirt's polkit driver does.
 * {@code org.libvirt.unix.monitor} is the read-only connection; {@code org.libvirt.unix.manage}, the
 * read-write one, is not listed: {@link PolkitRules} grants it to whoever may do more than read. Whatever the model does not give operators stays with admins
 * under {@link Permission#HOST_CHANGE}: reading guest memory or disks, migration, snapshots, secrets.
 */
public final class LibvirtActions
{
    /** The read-write connection itself: asked once per connection, before any action that changes something. */
    public static final String MANAGE = "org.libvirt.unix.manage";
    public static final String MONITOR = "org.libvirt.unix.monitor";
    public static final String API_PREFIX = "org.libvirt.api.";

    private static final Map<String, Permission> ACTIONS = build();

    private LibvirtActions() {}

    /** Action id to the permission it needs, in a stable order. */
    public static Map<String, Permission> all()
    {
        return ACTIONS;
    }

    private static Map<String, Permission> build()
    {
        Map<String, Permission> actions = new LinkedHashMap<>();
        actions.put(MONITOR, READ);

        object(actions, "connect", READ, "getattr", "read", "search-domains", "search-networks", "search-storage-pools",
                "search-node-devices", "search-interfaces", "search-secrets", "search-nwfilters", "search-nwfilter-bindings");
        object(actions, "connect", HOST_CHANGE, "write", "detect-storage-pools", "pm-control", "interface-transaction");

        object(actions, "domain", READ, "getattr", "read");
        object(actions, "domain", VM_START, "start");
        // init-control is a clean shutdown or reboot; suspend pauses and resumes; pm-control is guest S3/S4
        object(actions, "domain", VM_STOP, "stop", "reset", "init-control", "suspend", "pm-control");
        // virsh console opens a device; send-input is the keyboard of the graphical console
        object(actions, "domain", VM_CONSOLE, "open-graphics", "open-device", "screenshot", "send-input");
        // virDomainDefineXML checks write and save: a new guest's persistent definition
        object(actions, "domain", VM_CREATE, "write", "save");
        object(actions, "domain", VM_DELETE, "delete");
        object(actions, "domain", HOST_CHANGE, "read-secure", "migrate", "checkpoint", "snapshot", "hibernate", "core-dump",
                "inject-nmi", "send-signal", "fs-trim", "fs-freeze", "block-read", "block-write", "mem-read", "open-namespace",
                "set-time", "set-password");

        object(actions, "storage-pool", READ, "getattr", "read", "search-storage-vols");
        // a pool is refreshed to see the disk just made for a new guest
        object(actions, "storage-pool", VM_CREATE, "refresh");
        object(actions, "storage-pool", STORAGE_DELETE, "delete", "format");
        object(actions, "storage-pool", HOST_CHANGE, "write", "save", "start", "stop");

        object(actions, "storage-vol", READ, "getattr", "read");
        object(actions, "storage-vol", VM_CREATE, "create");
        // format wipes, data-write overwrites, resize may shrink: each can destroy a disk's data
        object(actions, "storage-vol", STORAGE_DELETE, "delete", "format", "resize", "data-write");
        object(actions, "storage-vol", HOST_CHANGE, "data-read");

        object(actions, "network", READ, "getattr", "read", "search-ports");
        object(actions, "network", HOST_CHANGE, "write", "save", "delete", "start", "stop");
        object(actions, "network-port", READ, "getattr", "read");
        object(actions, "network-port", HOST_CHANGE, "write", "create", "delete");
        object(actions, "interface", READ, "getattr", "read");
        object(actions, "interface", HOST_CHANGE, "write", "save", "delete", "start", "stop");
        object(actions, "node-device", READ, "getattr", "read");
        object(actions, "node-device", HOST_CHANGE, "write", "start", "stop", "detach", "delete");
        object(actions, "nwfilter", READ, "getattr", "read");
        object(actions, "nwfilter", HOST_CHANGE, "write", "save", "delete");
        object(actions, "nwfilter-binding", READ, "getattr", "read");
        object(actions, "nwfilter-binding", HOST_CHANGE, "create", "delete");
        object(actions, "secret", READ, "getattr", "read");
        object(actions, "secret", HOST_CHANGE, "write", "read-secure", "save", "delete");
        return Collections.unmodifiableMap(actions);
    }

    private static void object(Map<String, Permission> actions, String object, Permission permission, String... names)
    {
        for (String name : List.of(names)) {
            Permission previous = actions.put(API_PREFIX + object + "." + name, permission);
            if (previous != null) {
                throw new IllegalStateException("libvirt action " + object + "." + name + " listed twice");
            }
        }
    }
}
