package io.hyperops.engine.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.sift.SiftingAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.sift.AbstractDiscriminator;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Logging set up from the config file, since the log folder lives there: the engine log
 * ({@code hyperops.log}, rotated), one file per run, and the console. A {@code logback.xml} given with
 * {@code -Dlogback.configurationFile} wins over all of this.
 */
public final class LogSetup
{
    // %line1 is the message on one line (OneLineMessage): caller-supplied text cannot forge log lines
    private static final String FILE_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{30} job=%X{job:-} run=%X{run_id:-} - %line1%n";
    private static final String RUN_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{30} job=%X{job} run=%X{run_id} - %line1%n";

    /** Where console lines go and how they look. */
    public enum Console
    {
        /** Under systemd: plain lines on stdout; the journal adds time and unit. */
        JOURNAL("%-5level %logger{20} [%X{job:-}/%X{run_id:-}] %line1%n", Level.INFO, false),
        /** A person at a terminal: short lines on stderr, no stack traces (they are in the log file). */
        TERMINAL("%d{HH:mm:ss} %-5level %msg%n%nopex", Level.INFO, true),
        /** Commands that only read: warnings and errors only. */
        QUIET("%-5level %msg%n%nopex", Level.WARN, true);

        private final String pattern;
        private final Level threshold;
        private final boolean stderr;

        Console(String pattern, Level threshold, boolean stderr)
        {
            this.pattern = pattern;
            this.threshold = threshold;
            this.stderr = stderr;
        }
    }

    private LogSetup() {}

    /** Console only, for commands that write no logs and for the time before the config is read. */
    public static void consoleOnly(Console console)
    {
        LoggerContext context = reset();
        if (context == null) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console(context, console));
    }

    /** What {@link QuietConfigurator} installs when logback starts on its own. */
    static void configureQuiet(LoggerContext context)
    {
        context.getLogger("org.quartz").setLevel(Level.WARN);
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console(context, Console.QUIET));
    }

    /** Engine log, per-run logs and the console. */
    public static void withFiles(Path logDir, Console console)
    {
        LoggerContext context = reset();
        if (context == null) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console(context, console));
        root.addAppender(engineFile(context, logDir));
        root.addAppender(runFiles(context, logDir));
    }

    private static LoggerContext reset()
    {
        if (System.getProperty("logback.configurationFile") != null || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        context.reset();
        // Quartz and JNA are chatty at INFO about things an operator never needs.
        context.getLogger("org.quartz").setLevel(Level.WARN);
        return context;
    }

    private static Appender<ILoggingEvent> console(LoggerContext context, Console console)
    {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName("console");
        appender.setTarget(console.stderr ? "System.err" : "System.out");
        appender.setEncoder(encoder(context, console.pattern));
        appender.addFilter(new ThresholdFilter(console.threshold));
        appender.start();
        return appender;
    }

    private static Appender<ILoggingEvent> engineFile(LoggerContext context, Path logDir)
    {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("engine");
        appender.setFile(logDir.resolve("hyperops.log").toString());
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(logDir.resolve("hyperops.%i.log.gz").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(5);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(FileSize.valueOf("10MB"));
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder(context, FILE_PATTERN));
        appender.start();
        return appender;
    }

    private static Appender<ILoggingEvent> runFiles(LoggerContext context, Path logDir)
    {
        SiftingAppender sifting = new SiftingAppender();
        sifting.setContext(context);
        sifting.setName("runs");
        RunDiscriminator discriminator = new RunDiscriminator();
        discriminator.setContext(context);
        discriminator.start();
        sifting.setDiscriminator(discriminator);
        sifting.setAppenderFactory((appenderContext, runLog) -> {
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(appenderContext);
            file.setName("run-" + runLog);
            file.setFile(logDir.resolve("runs").resolve(runLog + ".log").toString());
            file.setEncoder(encoder(appenderContext, RUN_PATTERN));
            file.start();
            return file;
        });
        // Lines logged outside any run belong to the engine log only.
        sifting.addFilter(new RunOnlyFilter());
        sifting.start();
        return sifting;
    }

    @SuppressWarnings("unchecked")
    private static void registerOneLineMessage(ch.qos.logback.core.Context context)
    {
        Object registry = context.getObject(CoreConstants.PATTERN_RULE_REGISTRY);
        Map<String, String> rules = registry instanceof Map<?, ?> map ? (Map<String, String>) map : new HashMap<>();
        rules.put("line1", OneLineMessage.class.getName());
        context.putObject(CoreConstants.PATTERN_RULE_REGISTRY, rules);
    }

    private static PatternLayoutEncoder encoder(ch.qos.logback.core.Context context, String pattern)
    {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        registerOneLineMessage(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    /**
     * Picks the run's file by its {@code <job>/<run id>} tag. logback's own MDC discriminator refuses
     * values with a path separator; ours are made by the engine from validated job names, not input.
     */
    private static final class RunDiscriminator
            extends AbstractDiscriminator<ILoggingEvent>
    {
        @Override
        public String getDiscriminatingValue(ILoggingEvent event)
        {
            return event.getMDCPropertyMap().getOrDefault(RunLogs.RUN_LOG, "none");
        }

        @Override
        public String getKey()
        {
            return RunLogs.RUN_LOG;
        }
    }

    private static final class RunOnlyFilter
            extends Filter<ILoggingEvent>
    {
        @Override
        public FilterReply decide(ILoggingEvent event)
        {
            return event.getMDCPropertyMap().containsKey(RunLogs.RUN_LOG) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
    }

    private static final class ThresholdFilter
            extends Filter<ILoggingEvent>
    {
        private final Level threshold;

        ThresholdFilter(Level threshold)
        {
            this.threshold = threshold;
            start();
        }

        @Override
        public FilterReply decide(ILoggingEvent event)
        {
            return event.getLevel().isGreaterOrEqual(threshold) ? FilterReply.NEUTRAL : FilterReply.DENY;
        }
    }
}
