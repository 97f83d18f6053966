package io.hyperops.task.health.recovery;

import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import jakarta.inject.Inject;
import org.libvirt.LibvirtException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The {@code vm-recovery} job, every minute: keeps the crash listener registered and sweeps for crashed
 * guests the listener missed. Ends {@code failed} when a restart failed, {@code warning} when it gave up
 * on a guest.
 */
public final class VmRecoveryJob
        implements TaskJob
{
    private final RecoveryService service;

    @Inject
    VmRecoveryJob(RecoveryService service)
    {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws LibvirtException
    {
        VmRecoverySettings settings = context.settings(VmRecoverySettings.class);
        boolean listening = service.ensureListening(settings, context.state(), context.clock());
        List<RecoveryAction> actions = service.sweep(settings, context.state(), context.clock());
        actions.forEach(action -> context.log().info("{}", action.describe()));

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("listening", listening);
        details.put("actions", actions.stream().map(action -> Map.of(
                "time", action.time().toString(),
                "guest", action.guest(),
                "action", action.kind().jsonName(),
                "source", action.source(),
                "detail", action.detail())).toList());
        String summary = (actions.isEmpty() ? "no crashed guests" : String.join("; ", actions.stream().map(RecoveryAction::describe).toList()))
                + (listening ? "" : "; no crash events, sweep only");
        if (actions.stream().anyMatch(action -> action.kind() == RecoveryAction.Kind.RESTART_FAILED)) {
            return JobResult.failed(summary, details);
        }
        if (actions.stream().anyMatch(action -> action.kind() == RecoveryAction.Kind.GIVEN_UP)) {
            return JobResult.warning(summary, details);
        }
        return JobResult.success(summary, details);
    }
}
