package io.hyperops.engine.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.function.Consumer;

/** Writes one connection's answer lines: events while a request runs, then exactly one result. */
final class Responder
{
    private final Writer writer;
    private final ObjectMapper mapper;
    private final Reader reader;
    private volatile boolean answered;
    private Consumer<String> beforeResult = outcome -> {};

    /** @param reader the connection's reading side, past the request line: nothing more comes on it but its end */
    Responder(Writer writer, ObjectMapper mapper, Reader reader)
    {
        this.writer = java.util.Objects.requireNonNull(writer, "writer is null");
        this.mapper = java.util.Objects.requireNonNull(mapper, "mapper is null");
        this.reader = java.util.Objects.requireNonNull(reader, "reader is null");
    }

    /**
     * Runs {@code action} if the caller closes its end (Ctrl-C) before the answer: a thread waits for
     * the end of the connection's input, which a caller sends nothing more on.
     */
    void whenCallerLeaves(Runnable action)
    {
        Thread watch = new Thread(() -> {
            try {
                while (reader.read() >= 0) {
                    // a caller sends nothing after its request; whatever comes is ignored
                }
            }
            catch (IOException e) {
                // the connection was closed, by the caller or after the answer
            }
            if (!answered) {
                action.run();
            }
        }, "control-caller-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /**
     * Runs with the request's outcome just before the result line goes out: a client that reads the
     * audit log once answered must find its request there.
     */
    void beforeResult(Consumer<String> hook)
    {
        this.beforeResult = java.util.Objects.requireNonNull(hook, "hook is null");
    }

    /** Throws when the client has gone away, which ends a follow. */
    void event(String event, Object data)
            throws IOException
    {
        ObjectNode line = header("event");
        line.put("event", event);
        line.set("data", mapper.valueToTree(data));
        write(line);
    }

    void result(int exitCode, Object data)
            throws IOException
    {
        ObjectNode line = header("result");
        line.put("ok", true);
        line.put("exit_code", exitCode);
        line.set("data", mapper.valueToTree(data));
        answer(exitCode == 0 ? "ok" : "exit " + exitCode);
        write(line);
    }

    void error(int exitCode, String message)
            throws IOException
    {
        ObjectNode line = header("result");
        line.put("ok", false);
        line.put("exit_code", exitCode);
        line.put("error", message);
        answer("failed: " + message);
        write(line);
    }

    private void answer(String outcome)
    {
        answered = true;
        beforeResult.accept(outcome);
    }

    boolean answered()
    {
        return answered;
    }

    private ObjectNode header(String type)
    {
        ObjectNode line = mapper.createObjectNode();
        line.put("v", ControlProtocol.VERSION);
        line.put("type", type);
        return line;
    }

    private void write(ObjectNode line)
            throws IOException
    {
        writer.write(mapper.writeValueAsString(line));
        writer.write('\n');
        writer.flush();
    }
}
