package io.hyperops.engine.run;

import io.hyperops.spi.Overlap;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Overlap policy inside one engine: at most one run per job at a time; a trigger that arrives while
 * one runs is skipped, or queued when the job says {@code queue} (one waiter at most). Also the
 * register of running runs, for status and for shutdown.
 */
public final class RunCoordinator
{
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closing;
    private volatile EngineRunContext.StopReason stopping;

    @Inject
    public RunCoordinator() {}

    /** Admits a trigger per the job's policy; blocks while queued. */
    public Admission admit(String job, Overlap overlap)
            throws InterruptedException
    {
        Admission admission = tryAdmit(job, overlap);
        return admission.state() == Admission.State.QUEUED ? awaitQueued(job) : admission;
    }

    /**
     * Decides at once: admitted (the caller holds the job's permit), skipped, or queued, in which case
     * the caller holds the job's one queue place and must call {@link #awaitQueued}.
     */
    public Admission tryAdmit(String job, Overlap overlap)
    {
        Slot slot = slot(job);
        try {
            // A zero-timeout tryAcquire honours fairness, so a trigger never barges past a queued one.
            if (slot.permit.tryAcquire(0, TimeUnit.SECONDS)) {
                return checkNotClosing(job, Admission.admitted(false));
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Admission.skipped("skipped: interrupted while being admitted");
        }
        String running = slot.describeActive();
        if (overlap == Overlap.SKIP) {
            return Admission.skipped("skipped: " + running + " is still going (overlap: skip)");
        }
        if (!slot.queued.compareAndSet(false, true)) {
            return Admission.skipped("skipped: " + running + " is still going and another run already waits (overlap: queue holds one)");
        }
        return new Admission(Admission.State.QUEUED, false, "queued behind " + running);
    }

    /** Waits for the permit after {@link #tryAdmit} queued the caller. */
    public Admission awaitQueued(String job)
            throws InterruptedException
    {
        Slot slot = slot(job);
        try {
            slot.permit.acquire();
            return checkNotClosing(job, Admission.admitted(true));
        }
        finally {
            slot.queued.set(false);
        }
    }

    /** For runs another job asked for: wait for a running instance, whatever the policy, up to a limit. */
    public Admission admitWaiting(String job, Duration maxWait)
            throws InterruptedException
    {
        Slot slot = slot(job);
        if (slot.permit.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
            return checkNotClosing(job, Admission.admitted(false));
        }
        return Admission.skipped("skipped: " + slot.describeActive() + " did not finish within " + maxWait.toSeconds() + " s");
    }

    /**
     * From now on nothing new starts: at shutdown a queued trigger would otherwise take the permit the
     * moment the running run ends, only to be interrupted at the end of the grace period.
     */
    public void close()
    {
        closing = true;
    }

    private Admission checkNotClosing(String job, Admission admission)
    {
        if (!closing) {
            return admission;
        }
        slot(job).permit.release();
        return Admission.skipped("skipped: hyperops is stopping");
    }

    /**
     * A trigger is being handled, from before its admission until its record is written. Shutdown waits
     * for these, not only for the registered runs: a run admitted a moment before shutdown is not yet
     * registered, yet it is about to write its lock, log and history.
     */
    public void entered()
    {
        inFlight.incrementAndGet();
    }

    public void left()
    {
        inFlight.decrementAndGet();
    }

    public int inFlight()
    {
        return inFlight.get();
    }

    public void started(String job, ActiveRun run)
    {
        slot(job).active = run;
        EngineRunContext.StopReason reason = stopping;
        if (reason != null) {
            // It was admitted before shutdown but registered after the running runs were interrupted.
            run.cancel(reason);
        }
    }

    /** Interrupts every registered run, and every run registered from now on. */
    public void cancelAll(EngineRunContext.StopReason reason)
    {
        stopping = reason;
        active().forEach(run -> run.cancel(reason));
    }

    public void release(String job)
    {
        Slot slot = slot(job);
        slot.active = null;
        slot.permit.release();
    }

    public List<ActiveRun> active()
    {
        return slots.values().stream().map(slot -> slot.active).filter(java.util.Objects::nonNull).toList();
    }

    /** Whether a trigger of the job waits for the running one. */
    public boolean queued(String job)
    {
        return slot(job).queued.get();
    }

    public Optional<ActiveRun> active(String job)
    {
        return Optional.ofNullable(slot(job).active);
    }

    private Slot slot(String job)
    {
        return slots.computeIfAbsent(job, ignored -> new Slot());
    }

    private static final class Slot
    {
        private final Semaphore permit = new Semaphore(1, true);
        private final AtomicBoolean queued = new AtomicBoolean();
        private volatile ActiveRun active;

        String describeActive()
        {
            ActiveRun current = active;
            return current == null ? "the previous run" : "run " + current.runId();
        }
    }

    /** Whether a trigger may run now, must wait, or is dropped, and why. */
    public record Admission(State state, boolean waited, String reason)
    {
        public enum State
        {
            ADMITTED,
            QUEUED,
            SKIPPED
        }

        static Admission admitted(boolean waited)
        {
            return new Admission(State.ADMITTED, waited, "");
        }

        static Admission skipped(String reason)
        {
            return new Admission(State.SKIPPED, false, reason);
        }

        public boolean admitted()
        {
            return state == State.ADMITTED;
        }
    }
}
