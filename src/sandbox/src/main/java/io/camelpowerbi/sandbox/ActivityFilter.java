package io.camelpowerbi.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code $filter} of {@code GET admin/activityevents}: conditions on {@code Activity} and {@code UserId}, operator
 * {@code eq} only, joined by {@code and} only (PBIDOCS service-admin-auditing.md), e.g.
 * {@code Activity eq 'viewreport' and UserId eq 'john@contoso.com'}. guess: values compare case-insensitively (the
 * documentation's own example writes the activity in lower case).
 */
final class ActivityFilter implements Predicate<ActivityLog.Event> {

    private static final Pattern CONDITION = Pattern.compile("\\s*(\\w+)\\s+(\\w+)\\s+'((?:[^']|'')*)'\\s*");
    private static final Pattern AND = Pattern.compile("\\s+and\\s+", Pattern.CASE_INSENSITIVE);

    static final ActivityFilter NONE = new ActivityFilter(List.of());

    private record Condition(String property, String value) {}

    private final List<Condition> conditions;

    private ActivityFilter(List<Condition> conditions) {
        this.conditions = conditions;
    }

    /** Null or blank: no filter. Anything else than the documented form is an {@link IllegalArgumentException}. */
    static ActivityFilter parse(String filter) {
        if (filter == null || filter.isBlank()) {
            return NONE;
        }
        List<Condition> conditions = new ArrayList<>();
        for (String part : AND.split(filter.trim())) {
            Matcher m = CONDITION.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not of the form Property eq 'value'; "
                        + "only 'eq' conditions on Activity and UserId joined by 'and' are supported");
            }
            String property = switch (m.group(1).toLowerCase(Locale.ROOT)) {
                case "activity" -> "Activity";
                case "userid" -> "UserId";
                default ->
                    throw new IllegalArgumentException("unsupported filter property '" + m.group(1)
                            + "': only Activity and UserId can be filtered");
            };
            if (!m.group(2).equals("eq")) {
                throw new IllegalArgumentException("unsupported operator '" + m.group(2) + "': only eq is supported");
            }
            conditions.add(new Condition(property, m.group(3).replace("''", "'")));
        }
        return new ActivityFilter(List.copyOf(conditions));
    }

    @Override
    public boolean test(ActivityLog.Event e) {
        for (Condition c : conditions) {
            String actual = e.json().path(c.property()).asText(null);
            if (actual == null || !actual.equalsIgnoreCase(c.value())) {
                return false;
            }
        }
        return true;
    }
}
