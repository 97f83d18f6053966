package io.hyperops.spi;

import java.util.Locale;

/**
 * The result of one check (health, pre-flight, posture), ordered from best to worst as in the seed's
 * scripts: OK, INFO, WARN, ERROR.
 */
public enum CheckStatus
{
    OK,
    INFO,
    WARN,
    ERROR;

    public CheckStatus worst(CheckStatus other)
    {
        return other.ordinal() > ordinal() ? other : this;
    }

    public String jsonName()
    {
        return name();
    }

    public String lowerCase()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
