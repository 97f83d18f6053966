package io.hyperops.engine.audit;

import io.hyperops.engine.config.CurrentConfig;
import io.hyperops.engine.config.EngineSettings;
import io.hyperops.engine.systemd.UnixDatagram;
import jakarta.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * A copy of each audit line off the audit file, so that whoever edits the file cannot edit the copy:
 * to the journal (its native socket, facility authpriv) or to syslog ({@code /dev/log}, facility authpriv).
 */
public final class AuditForwarding
{
    private static final Logger journal = LoggerFactory.getLogger("hyperops.audit");
    private static final Logger log = LoggerFactory.getLogger(AuditForwarding.class);
    // <authpriv(10) * 8 + info(6)>: where sshd and sudo put who-did-what too.
    private static final String SYSLOG_PREFIX = "<86>hyperops-audit: ";

    private final String mode;
    private final String syslogSocket;
    private final Path journalSocket;

    @Inject
    public AuditForwarding(CurrentConfig config)
    {
        EngineSettings engine = requireNonNull(config, "config is null").get().engine();
        this.mode = engine.auditForward();
        this.syslogSocket = engine.syslogSocket().toString();
        this.journalSocket = engine.journalSocket();
    }

    void forward(String line)
    {
        switch (mode) {
            // The journal's own socket, not the process's log: a command run in its own process (a restore,
            // an update) has no journal on its stdout, and its line would not get off the file at all.
            // An audit line is one line of JSON, so it is a valid MESSAGE= field of the native protocol.
            case "journal" -> {
                if (Files.exists(journalSocket)) {
                    try {
                        UnixDatagram.send(journalSocket.toString(), ("SYSLOG_IDENTIFIER=hyperops-audit\nPRIORITY=6\nSYSLOG_FACILITY=10\nMESSAGE=" + line + "\n")
                                .getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    catch (RuntimeException e) {
                        log.warn("Cannot forward an audit line to the journal at {}: {}", journalSocket, e.getMessage());
                    }
                }
                journal.info("{}", line);
            }
            case "syslog" -> {
                try {
                    UnixDatagram.send(syslogSocket, (SYSLOG_PREFIX + line).getBytes(StandardCharsets.UTF_8));
                }
                catch (RuntimeException e) {
                    log.warn("Cannot forward an audit line to syslog at {}: {}", syslogSocket, e.getMessage());
                }
            }
            default -> {
                // "none": the file alone.
            }
        }
    }
}
