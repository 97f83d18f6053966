package io.hyperops.task.health;

import com.sun.jna.Library;
import com.sun.jna.Platform;
import com.sun.jna.ptr.IntByReference;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.jna.DomainPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;

/**
 * A domain's state with its reason, what {@code virsh domstate --reason} prints. The reason is what
 * tells a guest whose QEMU died ({@code shut off (crashed)}) from one an operator shut down
 * ({@code shut off (shutdown)} or {@code (destroyed)}), and libvirt keeps it across daemon restarts.
 *
 * <p>libvirt-java 0.5.4 binds no {@code virDomainGetState}; this class calls it through JNA with the
 * domain's native handle, which libvirt-java keeps in a package-private field. Where that is not
 * possible (another libvirt-java, no JNA) it falls back to {@link Domain#getInfo()}, whose state has no
 * reason: a stopped guest then reads as {@link GuestState#UNKNOWN_REASON}, which recovery never treats
 * as a crash, so an operator's shutdown is never undone.
 */
public final class DomainStates
{
    private static final Logger LOG = LoggerFactory.getLogger(DomainStates.class);

    private DomainStates() {}

    public static GuestState of(Domain domain)
            throws LibvirtException
    {
        if (Binding.AVAILABLE != null) {
            DomainPointer pointer = Binding.pointerOf(domain);
            if (pointer != null) {
                IntByReference state = new IntByReference();
                IntByReference reason = new IntByReference();
                if (Binding.AVAILABLE.virDomainGetState(pointer, state, reason, 0) == 0) {
                    return new GuestState(state.getValue(), reason.getValue());
                }
            }
        }
        // getInfo reports why the domain cannot be read (gone, connection lost) as a LibvirtException
        return new GuestState(domain.getInfo().state.ordinal(), GuestState.UNKNOWN_REASON);
    }

    /** Whether the reason can be read here; false means stopped guests are never taken for crashed ones. */
    public static boolean readsReasons()
    {
        return Binding.AVAILABLE != null && Binding.POINTER != null;
    }

    private static final class Binding
    {
        static final StateCall AVAILABLE = load();
        static final Field POINTER = pointerField();

        private static StateCall load()
        {
            try {
                return com.sun.jna.Native.load(Platform.isWindows() ? "virt-0" : "virt", StateCall.class);
            }
            catch (LinkageError e) {
                LOG.warn("Cannot call virDomainGetState ({}); stopped guests are not told apart by reason, so none is restarted by the sweep", e.getMessage());
                return null;
            }
        }

        private static Field pointerField()
        {
            try {
                Field field = Domain.class.getDeclaredField("vdp");
                field.setAccessible(true);
                return field;
            }
            catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("This libvirt-java keeps no domain handle where 0.5.4 does ({}); stopped guests are not told apart by reason", e.toString());
                return null;
            }
        }

        static DomainPointer pointerOf(Domain domain)
        {
            if (POINTER == null) {
                return null;
            }
            try {
                return (DomainPointer) POINTER.get(domain);
            }
            catch (IllegalAccessException e) {
                return null;
            }
        }
    }

    /** {@code int virDomainGetState(virDomainPtr, int *state, int *reason, unsigned int flags)}. */
    interface StateCall
            extends Library
    {
        int virDomainGetState(DomainPointer domain, IntByReference state, IntByReference reason, int flags);
    }
}
