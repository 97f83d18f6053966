package io.hyperops.engine.cli;

import picocli.CommandLine.IVersionProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version Maven stamped into the engine jar. */
public final class VersionProvider
        implements IVersionProvider
{
    public static String version()
    {
        Properties properties = new Properties();
        try (InputStream input = VersionProvider.class.getResourceAsStream("/io/hyperops/engine/version.properties")) {
            if (input != null) {
                properties.load(input);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion()
    {
        return new String[] {"hyperops " + version()};
    }
}
