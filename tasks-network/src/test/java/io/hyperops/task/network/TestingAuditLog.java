package io.hyperops.task.network;

import io.hyperops.spi.AuditEvent;
import io.hyperops.spi.AuditLog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AuditLog} that keeps the events in memory for the test to read. */
final class TestingAuditLog
        implements AuditLog
{
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event)
    {
        events.add(event);
    }

    List<String> outcomes()
    {
        return events.stream().map(AuditEvent::outcome).toList();
    }

    List<AuditEvent> events()
    {
        return List.copyOf(events);
    }
}
