package io.hyperops.engine.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * logback's configuration until a command sets up its own ({@link LogSetup}): warnings to stderr.
 * Found by logback through ServiceLoader, so nothing is parsed from XML and commands that never log
 * never load logback at all.
 */
public final class QuietConfigurator
        extends ContextAwareBase
        implements Configurator
{
    @Override
    public ExecutionStatus configure(LoggerContext context)
    {
        LogSetup.configureQuiet(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
