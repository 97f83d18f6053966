package io.hyperops.engine.control;

/**
 * The control socket's protocol, version 1: JSON lines. The client sends one request
 * {@code {"v":1,"command":"run-job","args":{...}}}; the daemon answers with zero or more event lines
 * ({@code {"v":1,"type":"event",...}}: submitted, log lines) and one final
 * {@code {"v":1,"type":"result","ok":...,"exit_code":...,"data":...,"error":...}}. A client that sees
 * another {@code v} than its own stops with a message to use matching versions.
 */
public final class ControlProtocol
{
    public static final int VERSION = 1;

    private ControlProtocol() {}
}
