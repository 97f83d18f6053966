package io.hyperops.engine.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperops.engine.config.EngineConfig;
import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.engine.json.JsonMapper;
import io.hyperops.engine.run.RunHistory;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The daemon's {@code logs} answered from the files when no daemon runs: the log files are there all
 * the same (after {@code run-job --local}, or with the daemon stopped), and the selection and the
 * tail are the daemon's own.
 */
public final class LocalLogs
{
    private LocalLogs() {}

    /** @param args as the control request's: job, run, since, lines, follow */
    public static void print(EngineConfig config, Map<String, Object> args, PrintWriter out)
            throws IOException, InterruptedException
    {
        ObjectMapper mapper = JsonMapper.create();
        ControlRequest request = new ControlRequest(ControlProtocol.VERSION, "logs", mapper.valueToTree(args));
        RunHistory history = new RunHistory(config.engine().paths(), new JsonFileStore(mapper));
        LogSelection selection = LogSelection.of(request, config.engine().logDir(), history, config.engine().timeZone());
        LogTail tail = new LogTail(selection.file());
        tail.startAtLast(request.number("lines", 100), selection::accepts);
        tail.pump(line -> {
            if (selection.accepts(line)) {
                out.println(line);
                out.flush();
            }
        }, request.flag("follow"), () -> true);
        out.flush();
    }
}
