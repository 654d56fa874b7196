package dev.sluice.engine.schedule;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.Cron;
import dev.sluice.engine.pipeline.Crons;
import dev.sluice.engine.pipeline.Schedule;
import java.time.DayOfWeek;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * A schedule in words for people, ending with its zone: "every day at 03:00 Europe/Paris", "every
 * hour at minute 0 UTC", "every 15 minutes UTC", "at 02:30 on Monday and Friday Europe/Paris".
 * Common shapes are worded here from the cron's field values; the rest fall back to cron-utils'
 * {@link CronDescriptor} in English.
 */
public final class ScheduleDescription {

    private static final int MAX_LISTED_TIMES = 4;
    private static final int MAX_LISTED_MINUTES = 6;

    private ScheduleDescription() {
    }

    /**
     * @throws IllegalArgumentException if the cron is not valid, with a one-line message
     */
    public static String describe(Schedule schedule) {
        Cron cron = Crons.parse(schedule.cron());
        CronFields f = CronFields.of(cron);
        String words = words(f);
        if (words == null) words = fallback(cron);
        return words + " " + schedule.timezone().getId();
    }

    private static String words(CronFields f) {
        String days = days(f);
        if (days == null) return null;
        BitSet minutes = f.minutes();
        BitSet hours = f.hours();
        String times = times(minutes, hours);
        if (times != null) {
            return days.isEmpty() ? "every day at " + times
                    : days.startsWith("in ") ? "every day " + days + " at " + times
                    : "at " + times + " " + days;
        }
        String within = within(minutes, hours);
        return within == null ? null : days.isEmpty() ? within : within + " " + days;
    }

    /** A few times of day, listed: "03:00", "09:00 and 17:00"; null for more. */
    private static String times(BitSet minutes, BitSet hours) {
        if (minutes.cardinality() * hours.cardinality() > MAX_LISTED_TIMES) return null;
        List<String> times = new ArrayList<>();
        hours.stream().forEach(h -> minutes.stream().forEach(m -> times.add(time(h, m))));
        return join(times);
    }

    /** Times repeating within hours: "every minute", "every 15 minutes from 09:00 to 17:45". */
    private static String within(BitSet minutes, BitSet hours) {
        String every = everyHour(minutes);
        if (every == null) return null;
        if (hours.cardinality() == 24) return every;
        int first = hours.nextSetBit(0);
        int last = hours.length() - 1;
        if (hours.cardinality() != last - first + 1) return null;
        if (minutes.cardinality() == 1) every = "every hour";
        return every + " from " + time(first, minutes.nextSetBit(0)) + " to " + time(last, minutes.length() - 1);
    }

    /** The minutes of an hour: "every 15 minutes", "every hour at minutes 5 and 35"; null for many. */
    private static String everyHour(BitSet minutes) {
        int count = minutes.cardinality();
        if (count == 60) return "every minute";
        int step = minutes.nextSetBit(1);
        if (minutes.get(0) && count * step == 60 && minutes.equals(multiples(step))) {
            return "every " + step + " minutes";
        }
        if (count > MAX_LISTED_MINUTES) return null;
        List<String> values = new ArrayList<>();
        minutes.stream().forEach(m -> values.add(String.valueOf(m)));
        return "every hour at minute" + (count == 1 ? " " : "s ") + join(values);
    }

    private static BitSet multiples(int step) {
        BitSet set = new BitSet(60);
        for (int m = 0; m < 60; m += step) set.set(m);
        return set;
    }

    /**
     * "" for every day, else "on Monday and Friday", "on day 1 of every month", "in January". When
     * both days of month and days of week are restricted, a day matching either one fires (as in
     * cron and cron-utils).
     */
    private static String days(CronFields f) {
        String months = f.anyMonth() ? null : list(f.months(), 1, 12, ScheduleDescription::month);
        if (!f.anyDayOfMonth() && !f.anyDayOfWeek()) {
            String dom = "on " + daysOfMonth(f.daysOfMonth());
            String dow = " and on " + weekdays(f.daysOfWeek());
            return months == null ? dom + " of every month" + dow : dom + dow + " in " + months;
        }
        if (!f.anyDayOfWeek()) {
            String weekdays = weekdays(f.daysOfWeek());
            return "on " + weekdays + (months == null ? "" : " in " + months);
        }
        if (!f.anyDayOfMonth()) {
            BitSet doms = f.daysOfMonth();
            if (months != null && doms.cardinality() == 1 && f.months().cardinality() == 1) {
                return "on " + doms.nextSetBit(0) + " " + months;
            }
            return "on " + daysOfMonth(doms) + " of " + (months == null ? "every month" : months);
        }
        return months == null ? "" : "in " + months;
    }

    private static String daysOfMonth(BitSet days) {
        return (days.cardinality() == 1 ? "day " : "days ") + list(days, 1, 31, String::valueOf);
    }

    private static String weekdays(BitSet daysOfWeek) {
        BitSet mondayFirst = new BitSet(7);
        daysOfWeek.stream().forEach(d -> mondayFirst.set(d == 0 ? 7 : d));
        return list(mondayFirst, 1, 7, d -> DayOfWeek.of(d).getDisplayName(TextStyle.FULL, Locale.ENGLISH));
    }

    /** Values in words, runs of three or more as ranges: "Monday to Friday and Sunday". */
    private static String list(BitSet values, int min, int max, IntFunction<String> name) {
        List<String> parts = new ArrayList<>();
        for (int v = values.nextSetBit(min); v >= 0 && v <= max; v = values.nextSetBit(v + 1)) {
            int end = v;
            while (end + 1 <= max && values.get(end + 1)) end++;
            if (end - v >= 2) {
                parts.add(name.apply(v) + " to " + name.apply(end));
                v = end;
            } else {
                parts.add(name.apply(v));
            }
        }
        return join(parts);
    }

    private static String join(List<String> parts) {
        if (parts.size() == 1) return parts.get(0);
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    private static String month(int month) {
        return Month.of(month).getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    private static String time(int hour, int minute) {
        return String.format(Locale.ROOT, "%02d:%02d", hour, minute);
    }

    private static String fallback(Cron cron) {
        try {
            return CronDescriptor.instance(Locale.ENGLISH).describe(cron);
        } catch (RuntimeException e) {
            return "cron " + cron.asString();
        }
    }
}
