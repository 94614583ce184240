package io.camelpowerbi.operations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Update Refresh Schedule In Group accepts, as Microsoft documents it
 * (https://learn.microsoft.com/rest/api/power-bi/datasets/update-refresh-schedule-in-group): checked before the call, so
 * a bad field is named with its fix instead of coming back as a bare 400.
 */
final class RefreshScheduleRules {

    private static final Set<String> FIELDS = Set.of("days", "times", "enabled", "localTimeZoneId", "notifyOption");
    private static final Set<String> DAYS =
            Set.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):(00|30)");

    private RefreshScheduleRules() {}

    /** The changes as the request's {@code value}, or an {@link IllegalArgumentException} naming the field and the fix. */
    static Map<String, Object> check(Map<String, ?> changes) {
        if (changes == null || changes.isEmpty()) {
            throw new IllegalArgumentException(
                    "body: updateRefreshSchedule needs a Map (or JSON object) of the schedule's"
                            + " fields to change: days, times, enabled, localTimeZoneId, notifyOption");
        }
        Map<String, Object> value = new LinkedHashMap<>();
        changes.forEach((key, v) -> {
            // the swagger spells it NotifyOption, Microsoft's examples and answers notifyOption
            String field = "NotifyOption".equals(key) ? "notifyOption" : String.valueOf(key);
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(
                        "refresh schedule: unknown field '" + key + "'; the fields are " + FIELDS);
            }
            value.put(field, v);
        });
        if (Boolean.FALSE.equals(value.get("enabled")) && value.size() > 1) {
            throw new IllegalArgumentException(
                    "refresh schedule: a request that disables the schedule must change nothing"
                            + " else (Power BI's rule); send {enabled: false} alone");
        }
        if (value.containsKey("days")) {
            value.put("days", strings(value.get("days"), "days", DAYS::contains, "Monday ... Sunday"));
        }
        if (value.containsKey("times")) {
            value.put(
                    "times",
                    strings(
                            value.get("times"),
                            "times",
                            t -> TIME.matcher(t).matches(),
                            "hh:mm with the minutes 00 or 30, e.g. 07:00 or 16:30"));
        }
        Object notify = value.get("notifyOption");
        if (notify != null && !"NoNotification".equals(notify)) {
            throw new IllegalArgumentException("refresh schedule: notifyOption '" + notify
                    + "': service principals only" + " support NoNotification");
        }
        return value;
    }

    private static List<String> strings(
            Object list, String field, java.util.function.Predicate<String> ok, String fix) {
        List<String> out = new ArrayList<>();
        Iterable<?> items = list instanceof Iterable<?> it
                ? it
                : list instanceof String s && !s.isBlank() ? List.of(s.split("\\s*,\\s*")) : null;
        if (items == null) {
            throw new IllegalArgumentException("refresh schedule: " + field + " must be a list (" + fix + ")");
        }
        for (Object item : items) {
            String text = String.valueOf(item).trim();
            if (!ok.test(text)) {
                throw new IllegalArgumentException("refresh schedule: " + field + " has '" + text + "'; use " + fix);
            }
            out.add(text);
        }
        return out;
    }
}
