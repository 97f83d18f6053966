package io.hyperops.engine.text;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for names an operator misspelled: config keys, job names, schedule words, time units. */
public final class Suggestions
{
    private Suggestions() {}

    /**
     * The candidate closest to {@code word}, ignoring case, if it is close enough to be what was meant:
     * at most two edits and fewer edits than half the word, so that short words do not get wild guesses.
     */
    public static Optional<String> closest(String word, Collection<String> candidates)
    {
        String lowerWord = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(lowerWord, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null || bestDistance > 2 || bestDistance * 2 >= word.length()) {
            return Optional.empty();
        }
        return Optional.of(best);
    }

    /** "; did you mean 'x'?" or nothing, ready to append to a message. */
    public static String didYouMean(String word, Collection<String> candidates)
    {
        return closest(word, candidates).map(name -> "; did you mean '" + name + "'?").orElse("");
    }

    /** Optimal string alignment distance: Levenshtein plus swapping two neighbours, the commonest typo. */
    static int distance(String first, String second)
    {
        int[][] table = new int[first.length() + 1][second.length() + 1];
        for (int i = 0; i <= first.length(); i++) {
            table[i][0] = i;
        }
        for (int j = 0; j <= second.length(); j++) {
            table[0][j] = j;
        }
        for (int i = 1; i <= first.length(); i++) {
            for (int j = 1; j <= second.length(); j++) {
                int cost = first.charAt(i - 1) == second.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(table[i - 1][j] + 1, table[i][j - 1] + 1), table[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && first.charAt(i - 1) == second.charAt(j - 2) && first.charAt(i - 2) == second.charAt(j - 1)) {
                    best = Math.min(best, table[i - 2][j - 2] + 1);
                }
                table[i][j] = best;
            }
        }
        return table[first.length()][second.length()];
    }
}
