package dev.sluice.engine.pipeline;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.util.Locale;
import java.util.Map;

/**
 * The cron dialect of pipelines: 5-field Unix cron (minute hour day-of-month month day-of-week)
 * or a macro ({@code @hourly @daily @midnight @weekly @monthly @yearly @annually}). Read with
 * cron-utils; the scheduler uses {@link #parse} so that both agree.
 */
public final class Crons {

    private static final Map<String, String> MACROS = Map.of(
            "@hourly", "0 * * * *",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@weekly", "0 0 * * 0",
            "@monthly", "0 0 1 * *",
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private Crons() {
    }

    /** The 5-field form of an expression: a macro replaced by its fields, otherwise trimmed. */
    public static String normalize(String expression) {
        String t = expression == null ? "" : expression.strip();
        String macro = MACROS.get(t.toLowerCase(Locale.ROOT));
        return macro != null ? macro : t;
    }

    /**
     * Reads a cron expression or macro.
     *
     * @throws IllegalArgumentException with a one-line message saying what is wrong
     */
    public static Cron parse(String expression) {
        String t = normalize(expression);
        if (t.isEmpty()) throw new IllegalArgumentException("empty cron");
        if (t.startsWith("@")) {
            throw new IllegalArgumentException("unknown cron macro '" + t
                    + "'; use @hourly, @daily, @weekly, @monthly or @yearly");
        }
        int fields = t.split("\\s+").length;
        if (fields != 5) {
            throw new IllegalArgumentException("a cron has 5 fields (minute hour day month weekday), not " + fields);
        }
        try {
            Cron cron = PARSER.parse(t);
            return cron.validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(clean(e.getMessage()));
        }
    }

    private static String clean(String message) {
        String m = message == null ? "invalid" : message.replace("Failed to parse cron expression. ", "");
        m = m.replace('\n', ' ').strip();
        if (m.endsWith(".")) m = m.substring(0, m.length() - 1);
        return m.isEmpty() ? "invalid" : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }
}
