package io.hyperops.engine.schedule;

/** Quotes operator input inside a message without letting a stray line break split the message. */
final class OneLine
{
    private OneLine() {}

    static String of(String text)
    {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }
}
