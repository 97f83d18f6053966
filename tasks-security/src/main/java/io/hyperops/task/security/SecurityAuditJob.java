package io.hyperops.task.security;

import io.hyperops.spi.JobResult;
import io.hyperops.spi.RunContext;
import io.hyperops.spi.TaskJob;
import jakarta.inject.Inject;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/** The {@code security-audit} job: the host's posture in {@code security-status.json}, daily. */
public final class SecurityAuditJob
        implements TaskJob
{
    private final SecurityAuditService service;

    @Inject
    SecurityAuditJob(SecurityAuditService service)
    {
        this.service = requireNonNull(service, "service is null");
    }

    @Override
    public JobResult run(RunContext context)
            throws IOException, InterruptedException
    {
        return service.audit(context.settings(SecurityAuditSettings.class), context);
    }
}
