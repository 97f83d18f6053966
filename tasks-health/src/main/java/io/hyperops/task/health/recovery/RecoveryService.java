package io.hyperops.task.health.recovery;

import io.hyperops.spi.AuditEvent;
import io.hyperops.spi.AuditLog;
import io.hyperops.spi.LibvirtConnection;
import io.hyperops.spi.StateStore;
import io.hyperops.task.health.DomainStates;
import io.hyperops.task.health.GuestState;
import io.hyperops.task.health.recovery.RecoveryAction.Kind;
import io.hyperops.task.health.recovery.RecoveryLedger.GuestRecord;
import jakarta.inject.Inject;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventDetail;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;
import org.libvirt.event.StoppedDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Brings crashed guests back. Long-lived (one per engine): it holds the libvirt event subscription,
 * which reacts to a crash within seconds, and the crash-loop ledger's lock. The {@code vm-recovery}
 * job calls {@link #sweep} every minute: the sweep catches what events missed (a crash while libvirtd
 * restarted) and, idempotently, keeps the subscription registered with the job's latest settings.
 *
 * <p>Only a crash is recovered: {@code shut off (crashed)} or {@code crashed}. A guest an operator shut
 * down or destroyed has another reason and stays down. All actions run on one worker thread or under
 * one lock, so an event and a sweep never restart the same guest twice.
 */
public final class RecoveryService
{
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryService.class);

    private final LibvirtConnection libvirt;
    private final AuditLog audit;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "hyperops-vm-recovery");
        thread.setDaemon(true);
        return thread;
    });
    private final Object lock = new Object();
    private final List<RecoveryAction> eventActions = new ArrayList<>();

    private volatile Policy policy;
    // whether the vm-recovery job is on in the config in force: events are acted on only then
    private volatile BooleanSupplier jobEnabled = () -> true;
    private AutoCloseable subscription;

    @Inject
    public RecoveryService(LibvirtConnection libvirt, AuditLog audit)
    {
        this.libvirt = requireNonNull(libvirt, "libvirt is null");
        this.audit = requireNonNull(audit, "audit is null");
    }

    /** What the listener acts with between runs: the latest run's settings, state store and clock. */
    private record Policy(VmRecoverySettings settings, StateStore state, Clock clock) {}

    /**
     * Registers the crash listener unless it is; updates the settings it acts with.
     *
     * @return whether events are delivered (false when libvirt offers none here, or {@code listen} is off)
     */
    public boolean ensureListening(VmRecoverySettings settings, StateStore state, Clock clock)
    {
        policy = new Policy(settings, state, clock);
        synchronized (lock) {
            if (!settings.listen()) {
                stopListening();
                return false;
            }
            if (subscription != null) {
                return true;
            }
            try {
                subscription = libvirt.addLifecycleListener(this::onEvent);
                LOG.info("vm-recovery listens for crash events on {}", libvirt.uri());
                return true;
            }
            catch (RuntimeException e) {
                LOG.warn("No libvirt events on {} ({}); crashed guests are found by the sweep only", libvirt.uri(), e.getMessage());
                return false;
            }
        }
    }

    /** What the listener asks before acting on an event: a disabled job must not restart guests between runs either. */
    public void actOnlyWhile(BooleanSupplier enabled)
    {
        jobEnabled = requireNonNull(enabled, "enabled is null");
    }

    /** Unregisters the listener; the next {@link #ensureListening} registers it again. */
    public void stopListening()
    {
        synchronized (lock) {
            if (subscription == null) {
                return;
            }
            try {
                subscription.close();
            }
            catch (Exception e) {
                LOG.warn("Removing the crash listener failed: {}", e.getMessage());
            }
            subscription = null;
        }
    }

    private int onEvent(Domain domain, DomainEvent event)
    {
        DomainEventDetail detail = event.getDetail();
        // A killed QEMU arrives as STOPPED/FAILED (libvirt 9) while the state says "shut off (crashed)":
        // any stop that is not an operator's or a migration is a candidate, and the state decides.
        boolean candidate = (event.getType() == DomainEventType.STOPPED
                && (detail == StoppedDetail.CRASHED || detail == StoppedDetail.FAILED || detail == StoppedDetail.UNKNOWN))
                || event.getType() == DomainEventType.CRASHED;
        if (!candidate) {
            return 0;
        }
        if (!jobEnabled.getAsBoolean()) {
            LOG.info("A guest stopped as crashed, but vm-recovery is disabled in the config: left down");
            return 0;
        }
        String name;
        try {
            name = domain.getName();
        }
        catch (LibvirtException e) {
            LOG.warn("A guest crashed but its name cannot be read: {}", e.getMessage());
            return 0;
        }
        LOG.info("libvirt reports guest {} {} ({})", name, event.getType(), detail);
        // libvirt's event thread also runs the keepalive: restarting a guest there would stall it
        worker.execute(() -> {
            Policy current = policy;
            try {
                recover(name, "event", current).ifPresent(action -> {
                    synchronized (eventActions) {
                        eventActions.add(action);
                    }
                });
            }
            catch (LibvirtException | RuntimeException e) {
                LOG.error("Recovering guest {} after a crash event failed: {}", name, e.getMessage(), e);
            }
        });
        return 0;
    }

    /**
     * One pass over every guest: restarts crashed ones that the listener did not (or could not) handle,
     * clears counters of guests that ran stably, and forgets guests that no longer exist.
     *
     * @return what this sweep did, after what the listener did since the previous sweep
     */
    public List<RecoveryAction> sweep(VmRecoverySettings settings, StateStore state, Clock clock)
            throws LibvirtException
    {
        Policy current = new Policy(settings, state, clock);
        List<RecoveryAction> actions = new ArrayList<>(drainEventActions());
        Map<String, GuestState> states = libvirt.call(connect -> {
            Map<String, GuestState> result = new HashMap<>();
            Domain[] domains = connect.listAllDomains(0);
            try {
                for (Domain domain : domains) {
                    try {
                        result.put(domain.getName(), DomainStates.of(domain));
                    }
                    catch (LibvirtException e) {
                        if (!gone(e)) {
                            throw e;
                        }
                    }
                }
            }
            finally {
                for (Domain domain : domains) {
                    domain.free();
                }
            }
            return result;
        });
        actions.addAll(resetStable(states, current));
        for (Map.Entry<String, GuestState> guest : states.entrySet()) {
            if (guest.getValue().crashed() || guest.getValue().failedToStart()) {
                recover(guest.getKey(), "sweep", current).ifPresent(actions::add);
            }
        }
        return actions;
    }

    private List<RecoveryAction> drainEventActions()
    {
        synchronized (eventActions) {
            List<RecoveryAction> drained = List.copyOf(eventActions);
            eventActions.clear();
            return drained;
        }
    }

    private List<RecoveryAction> resetStable(Map<String, GuestState> states, Policy current)
    {
        synchronized (lock) {
            Instant now = current.clock().instant();
            RecoveryLedger ledger = ledger(current.state());
            RecoveryLedger updated = ledger;
            List<RecoveryAction> actions = new ArrayList<>();
            for (Map.Entry<String, GuestRecord> entry : ledger.guests().entrySet()) {
                String name = entry.getKey();
                GuestRecord record = entry.getValue();
                GuestState state = states.get(name);
                if (state == null) {
                    updated = updated.with(name, GuestRecord.NONE);
                    continue;
                }
                // a given-up guest is watched again once it has run the stable period since a sweep first saw
                // it up (an operator started it), not since the give-up: it may have been down for hours
                if (record.givenUpAt().isPresent()) {
                    GuestRecord seen = state.running() ? record.seenUp(now) : record.seenDown();
                    if (!seen.equals(record)) {
                        updated = updated.with(name, seen);
                        record = seen;
                    }
                }
                Instant lastAction = record.givenUpAt().isPresent() ? record.seenUpSince().orElse(now) : record.lastRestart().orElse(Instant.MIN);
                if (state.running() && !Duration.between(lastAction, now).minus(current.settings().stablePeriod()).isNegative()) {
                    updated = updated.with(name, GuestRecord.NONE);
                    RecoveryAction action = new RecoveryAction(now, name, Kind.RESET, "sweep", "ran for " + current.settings().stablePeriod().toMinutes() + " min since the last restart");
                    actions.add(action);
                    record(action, Map.of("was_given_up", record.givenUpAt().isPresent(), "restarts", record.restarts().size()), "success");
                }
                else if (record.givenUpAt().isEmpty()) {
                    updated = updated.with(name, record.within(now.minus(current.settings().countedFor())));
                }
            }
            if (!updated.equals(ledger)) {
                current.state().write(RecoveryLedger.STATE_NAME, updated);
            }
            return actions;
        }
    }

    /** Restarts the guest if it is (still) crashed, covered and not in a crash loop. */
    Optional<RecoveryAction> recover(String name, String source, Policy current)
            throws LibvirtException
    {
        if (current == null) {
            return Optional.empty();
        }
        synchronized (lock) {
            return libvirt.call(connect -> {
                Domain domain;
                try {
                    domain = connect.domainLookupByName(name);
                }
                catch (LibvirtException e) {
                    if (gone(e)) {
                        return Optional.<RecoveryAction>empty();
                    }
                    throw e;
                }
                try {
                    return recover(domain, name, source, current);
                }
                finally {
                    domain.free();
                }
            });
        }
    }

    private Optional<RecoveryAction> recover(Domain domain, String name, String source, Policy current)
            throws LibvirtException
    {
        GuestState state = DomainStates.of(domain);
        Instant now = current.clock().instant();
        RecoveryLedger ledger = ledger(current.state());
        GuestRecord record = ledger.guest(name).within(now.minus(current.settings().countedFor()));
        // a restart of ours that did not come up leaves "shut off (failed)", not "crashed": it is tried again,
        // counted against max_restarts, until it runs or is given up, rather than left down unreported
        boolean ourFailedRestart = state.failedToStart() && !record.restarts().isEmpty();
        if (!(state.crashed() || ourFailedRestart) || !covered(domain, name, current.settings())) {
            return Optional.empty();
        }
        if (record.givenUpAt().isPresent()) {
            return Optional.empty();
        }
        Map<String, Object> details = new HashMap<>();
        details.put("state", state.describe());
        details.put("source", source);
        if (record.restarts().size() >= current.settings().maxRestarts()) {
            current.state().write(RecoveryLedger.STATE_NAME, ledger.with(name, record.givenUp(now)));
            details.put("restarts_in_window", record.restarts().size());
            details.put("window", current.settings().countedFor().toString());
            RecoveryAction action = new RecoveryAction(now, name, Kind.GIVEN_UP, source, state.describe() + " after " + record.restarts().size() + " restarts within " + current.settings().countedFor().toMinutes() + " min");
            LOG.error("Gave up on guest {}: it crashed again after {} restarts within {} min; start it by hand once the cause is fixed", name, record.restarts().size(), current.settings().countedFor().toMinutes());
            record(action, details, "given-up");
            return Optional.of(action);
        }
        // an attempt counts whether or not it works, so a guest that cannot start is given up too
        current.state().write(RecoveryLedger.STATE_NAME, ledger.with(name, record.restartedAt(now)));
        details.put("restart", record.restarts().size() + 1);
        try {
            if (state.state() == GuestState.CRASHED) {
                // a panicked guest kept for inspection (on_crash=preserve) must be stopped before it can start
                domain.destroy();
            }
            domain.create();
        }
        catch (LibvirtException e) {
            details.put("error", String.valueOf(e.getMessage()));
            RecoveryAction action = new RecoveryAction(now, name, Kind.RESTART_FAILED, source, state.describe() + ": " + e.getMessage());
            LOG.error("Restarting crashed guest {} failed: {}", name, e.getMessage());
            record(action, details, "failed");
            return Optional.of(action);
        }
        RecoveryAction action = new RecoveryAction(now, name, Kind.RESTARTED, source, state.describe() + ", restart " + (record.restarts().size() + 1) + " of " + current.settings().maxRestarts());
        LOG.warn("Restarted crashed guest {} ({}, found by {})", name, state.describe(), source);
        record(action, details, "success");
        return Optional.of(action);
    }

    private static boolean covered(Domain domain, String name, VmRecoverySettings settings)
            throws LibvirtException
    {
        return switch (settings.coverage()) {
            case ALL -> true;
            case LIST -> settings.guests().contains(name);
            case AUTOSTART -> domain.getAutostart();
        };
    }

    private void record(RecoveryAction action, Map<String, Object> details, String outcome)
    {
        String name = switch (action.kind()) {
            case RESTARTED, RESTART_FAILED -> "vm.restart";
            case GIVEN_UP -> "vm.recovery.given-up";
            case RESET -> "vm.recovery.reset";
        };
        try {
            audit.record(new AuditEvent(name, action.guest(), outcome, details));
        }
        catch (RuntimeException e) {
            // the audit log says why loudly; the guest's recovery must not be undone for it
            LOG.error("Cannot audit {} of {}: {}", name, action.guest(), e.getMessage());
        }
    }

    private static RecoveryLedger ledger(StateStore state)
    {
        return state.read(RecoveryLedger.STATE_NAME, RecoveryLedger.class).orElse(RecoveryLedger.empty());
    }

    private static boolean gone(LibvirtException e)
    {
        return e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN;
    }
}
