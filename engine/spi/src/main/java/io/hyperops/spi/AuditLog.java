package io.hyperops.spi;

/**
 * The host's audit trail of operations: control requests, and what jobs did to guests and the host
 * (a guest restarted after a crash, an update rolled back). Append-only JSON lines, kept by the engine.
 */
public interface AuditLog
{
    void record(AuditEvent event);
}
