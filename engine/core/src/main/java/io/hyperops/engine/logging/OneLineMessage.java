package io.hyperops.engine.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %msg} on one line: line breaks and other control characters become spaces. A message can
 * carry a caller's text (an unknown {@code --since} value in an error, say); with a line break in it,
 * that caller could forge whole lines of the engine log, or of the journal, which splits on them, and
 * an escape sequence would reach the terminal of whoever reads {@code hyperops logs}.
 */
public final class OneLineMessage
        extends MessageConverter
{
    @Override
    public String convert(ILoggingEvent event)
    {
        String message = super.convert(event);
        StringBuilder line = null;
        for (int index = 0; index < message.length(); index++) {
            char character = message.charAt(index);
            if (Character.isISOControl(character) && character != '\t') {
                if (line == null) {
                    line = new StringBuilder(message);
                }
                line.setCharAt(index, ' ');
            }
        }
        return line == null ? message : line.toString();
    }
}
