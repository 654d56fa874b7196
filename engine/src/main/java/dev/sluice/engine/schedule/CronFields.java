package dev.sluice.engine.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.field.expression.And;
import com.cronutils.model.field.expression.Between;
import com.cronutils.model.field.expression.Every;
import com.cronutils.model.field.expression.FieldExpression;
import com.cronutils.model.field.expression.On;
import com.cronutils.model.field.expression.QuestionMark;
import java.util.BitSet;

/**
 * The values each field of a parsed 5-field cron matches, read from cron-utils' model: minutes
 * 0-59, hours 0-23, days of month 1-31, months 1-12, days of week 0-6 (0 = Sunday; 7 is folded
 * into 0). A wildcard ({@code *}) is remembered because it decides how days of month and days of
 * week combine. The sets are copied out on every read, so an instance stays immutable.
 */
record CronFields(
        BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek,
        boolean anyDayOfMonth, boolean anyDayOfWeek, boolean anyMonth) {

    CronFields {
        minutes = (BitSet) minutes.clone();
        hours = (BitSet) hours.clone();
        daysOfMonth = (BitSet) daysOfMonth.clone();
        months = (BitSet) months.clone();
        daysOfWeek = (BitSet) daysOfWeek.clone();
    }

    static CronFields of(Cron cron) {
        BitSet dow = values(cron, CronFieldName.DAY_OF_WEEK, 0, 7);
        if (dow.get(7)) {
            dow.clear(7);
            dow.set(0);
        }
        return new CronFields(
                values(cron, CronFieldName.MINUTE, 0, 59),
                values(cron, CronFieldName.HOUR, 0, 23),
                values(cron, CronFieldName.DAY_OF_MONTH, 1, 31),
                values(cron, CronFieldName.MONTH, 1, 12),
                dow,
                isAny(cron, CronFieldName.DAY_OF_MONTH),
                isAny(cron, CronFieldName.DAY_OF_WEEK),
                isAny(cron, CronFieldName.MONTH));
    }

    @Override
    public BitSet minutes() {
        return (BitSet) minutes.clone();
    }

    @Override
    public BitSet hours() {
        return (BitSet) hours.clone();
    }

    @Override
    public BitSet daysOfMonth() {
        return (BitSet) daysOfMonth.clone();
    }

    @Override
    public BitSet months() {
        return (BitSet) months.clone();
    }

    @Override
    public BitSet daysOfWeek() {
        return (BitSet) daysOfWeek.clone();
    }

    private static boolean isAny(Cron cron, CronFieldName name) {
        FieldExpression e = cron.retrieve(name).getExpression();
        return e instanceof Always || e instanceof QuestionMark;
    }

    private static BitSet values(Cron cron, CronFieldName name, int min, int max) {
        BitSet set = new BitSet(max + 1);
        add(set, cron.retrieve(name).getExpression(), min, max);
        return set;
    }

    private static void add(BitSet set, FieldExpression e, int min, int max) {
        if (e instanceof Always || e instanceof QuestionMark) {
            set.set(min, max + 1);
        } else if (e instanceof On on) {
            set.set(on.getTime().getValue());
        } else if (e instanceof Between between) {
            set.set(number(between.getFrom().getValue()), number(between.getTo().getValue()) + 1);
        } else if (e instanceof Every every) {
            int step = every.getPeriod().getValue();
            FieldExpression start = every.getExpression();
            int from = min;
            int to = max;
            if (start instanceof On on) {
                from = on.getTime().getValue();
            } else if (start instanceof Between between) {
                from = number(between.getFrom().getValue());
                to = number(between.getTo().getValue());
            } else if (!(start instanceof Always)) {
                throw unsupported(e);
            }
            for (int v = from; v <= to; v += step) {
                set.set(v);
            }
        } else if (e instanceof And and) {
            for (FieldExpression part : and.getExpressions()) {
                add(set, part, min, max);
            }
        } else {
            throw unsupported(e);
        }
    }

    private static int number(Object value) {
        if (value instanceof Integer i) return i;
        throw new IllegalArgumentException("unsupported cron value '" + value + "'");
    }

    private static IllegalArgumentException unsupported(FieldExpression e) {
        return new IllegalArgumentException("unsupported cron field '" + e.asString() + "'");
    }
}
