package io.hyperops.task.update;

import io.hyperops.spi.AuditEvent;
import io.hyperops.spi.AuditLog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AuditLog} that keeps the events in memory for the test to read. */
public final class TestingAuditLog
        implements AuditLog
{
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event)
    {
        events.add(event);
    }

    public List<AuditEvent> events()
    {
        return List.copyOf(events);
    }

    public List<AuditEvent> events(String target)
    {
        return events.stream().filter(event -> event.target().equals(target)).toList();
    }
}
