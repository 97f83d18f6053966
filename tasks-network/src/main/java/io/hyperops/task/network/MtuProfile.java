package io.hyperops.task.network;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * The seed's MTU profiles: {@code standard} 1500, {@code performance} 9000 (jumbo frames), or a number
 * (1450 is the usual choice under VLANs and tunnels, which add headers).
 */
public final class MtuProfile
{
    public static final int STANDARD = 1500;
    public static final int PERFORMANCE = 9000;
    public static final int TUNNEL = 1450;

    private MtuProfile() {}

    /** The MTU the text names; empty when it is neither a profile nor a whole number. */
    public static OptionalInt parse(String text)
    {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("standard")) {
            return OptionalInt.of(STANDARD);
        }
        if (value.equals("performance") || value.equals("jumbo")) {
            return OptionalInt.of(PERFORMANCE);
        }
        if (!value.matches("[0-9]{1,6}")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(value));
    }
}
