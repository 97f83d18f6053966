package io.hyperops.spi;

/** The settings type of a job that has none; its {@code settings} section must be absent or empty. */
@Description("This job has no settings.")
public record NoSettings()
{
}
