package io.hyperops.task.network;

import io.hyperops.spi.TaskService;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * At daemon start, settles a change left open by a reboot or a crash: the watchdog's {@code sleep} does
 * not survive a reboot, so a change still pending past its deadline is reverted here, and a revert done
 * while no hyperops process ran is audited.
 */
public final class NetworkRecovery
        implements TaskService
{
    private static final Logger LOG = LoggerFactory.getLogger(NetworkRecovery.class);

    private final NetworkChanges changes;

    @Inject
    NetworkRecovery(NetworkChanges changes)
    {
        this.changes = requireNonNull(changes, "changes is null");
    }

    @Override
    public void start()
            throws InterruptedException
    {
        try {
            changes.reconcile();
            changes.describePending().ifPresent(pending -> LOG.warn("A network change is waiting for confirmation: {}", pending));
        }
        catch (IOException e) {
            // A daemon that does not start helps nobody: the next network command or network-check settles it again.
            LOG.error("Could not settle the open network change in {}; see revert.log there", changes.openFolder(), e);
        }
    }

    @Override
    public void stop()
    {
        // Nothing runs between start and stop: the watchdog of an open change lives outside the daemon on purpose.
    }
}
