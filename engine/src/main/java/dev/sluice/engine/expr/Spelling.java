package dev.sluice.engine.expr;

import java.util.Collection;
import java.util.Locale;

/** Finds the name someone probably meant, by edit distance. */
public final class Spelling {

    private Spelling() {
    }

    /** {@code did you mean 'x'?} for the closest candidate, or null when none is close. */
    public static String didYouMean(String given, Collection<String> candidates) {
        String best = closest(given, candidates);
        return best == null ? null : "did you mean '" + best + "'?";
    }

    /** The candidate closest to {@code given}, or null when none is close enough. */
    public static String closest(String given, Collection<String> candidates) {
        if (given == null || given.isEmpty() || candidates.isEmpty()) return null;
        String lower = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(Locale.ROOT), Math.min(bestDistance, 8));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int limit = Math.max(2, (given.length() + 1) / 2);
        return bestDistance <= limit && bestDistance < given.length() ? best : null;
    }

    /** Levenshtein distance, or {@link Integer#MAX_VALUE} once it is known to exceed {@code max}. */
    static int distance(String a, String b, int max) {
        if (Math.abs(a.length() - b.length()) > max) return Integer.MAX_VALUE;
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > max) return Integer.MAX_VALUE;
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()] > max ? Integer.MAX_VALUE : prev[b.length()];
    }
}
