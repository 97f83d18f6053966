package io.hyperops.engine;

import io.hyperops.engine.json.JsonFileStore;
import io.hyperops.engine.json.JsonMapper;

import java.nio.file.Path;

/** Rewrites one state file as fast as it can, forever, until killed: the victim of {@link TestStateFileSurvivesKill}. */
public final class StateWriterMain
{
    private StateWriterMain() {}

    public static void main(String[] args)
    {
        JsonFileStore files = new JsonFileStore(JsonMapper.create());
        Path file = Path.of(args[0]);
        for (int generation = args.length > 1 ? Integer.parseInt(args[1]) : 1; ; generation++) {
            files.write(file, Generation.of(generation));
        }
    }

    /** A value whose parts must agree: a torn write would break the agreement or the JSON. */
    public record Generation(int number, String payload)
    {
        static Generation of(int number)
        {
            // Sizes vary from 100 KB to 1 MB so writes take long enough to be caught mid-way.
            return new Generation(number, String.valueOf((char) ('a' + number % 26)).repeat(100_000 + (number % 10) * 100_000));
        }

        boolean consistent()
        {
            return payload.equals(of(number).payload());
        }
    }
}
