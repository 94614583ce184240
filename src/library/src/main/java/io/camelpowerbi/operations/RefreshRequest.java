package io.camelpowerbi.operations;

import io.camelpowerbi.InvalidOptionException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The body of {@code POST .../datasets/{d}/refreshes}. With nothing but {@code notifyOption} (or nothing at all) it is a
 * plain refresh, which any capacity accepts and which can only be followed through the refresh history. Any other field
 * makes it an enhanced refresh (Premium, PPU or Embedded only), which has its own status endpoint and can be cancelled.
 * A request that cannot work is an {@link InvalidOptionException} naming the option of {@code powerbi:refreshDataset}
 * (or the field of a request body).
 *
 * @param notifyOption       NoNotification, MailOnFailure or MailOnCompletion; plain refresh only, and not for service
 *                           principals
 * @param type               the enhanced refresh's type (Power BI's default Automatic)
 * @param commitMode         Power BI's default Transactional
 * @param objects            tables (and partitions) to refresh; empty for the whole model
 * @param maxParallelism     threads Power BI may use (its default 10)
 * @param retryCount         retries on failure (its default 0)
 * @param timeout            per attempt, whole seconds up to 24 hours, sent as {@code hh:mm:ss} (its default 05:00:00)
 * @param applyRefreshPolicy whether the incremental refresh policy applies (its default true; must be false with
 *                           PartialBatch)
 * @param effectiveDate      the date the incremental refresh policy counts from, ISO {@code yyyy-MM-dd}
 */
public record RefreshRequest(
        String notifyOption,
        RefreshType type,
        CommitMode commitMode,
        List<RefreshObject> objects,
        Integer maxParallelism,
        Integer retryCount,
        Duration timeout,
        Boolean applyRefreshPolicy,
        String effectiveDate) {

    private static final List<String> NOTIFY = List.of("NoNotification", "MailOnFailure", "MailOnCompletion");
    private static final Pattern TIMEOUT = Pattern.compile("^(\\d{1,2}):([0-5]\\d):([0-5]\\d)$");
    /** Power BI: a refresh request cannot run longer than 24 hours, retries included. */
    static final Duration MAX_TIMEOUT = Duration.ofHours(24);

    /** A table, optionally one partition of it. */
    public record RefreshObject(String table, String partition) {

        public RefreshObject {
            if (table == null || table.isBlank()) {
                throw new InvalidOptionException(
                        "objects", "a refresh object names no table", "give each as Table or Table/Partition");
            }
        }

        public Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("table", table);
            if (partition != null && !partition.isBlank()) {
                json.put("partition", partition);
            }
            return json;
        }
    }

    public RefreshRequest {
        notifyOption = canonical(notifyOption, NOTIFY, "notifyOption");
        objects = objects == null ? List.of() : List.copyOf(objects);
        if (maxParallelism != null && maxParallelism < 1) {
            throw new InvalidOptionException(
                    "maxParallelism",
                    "must be at least 1, was " + maxParallelism,
                    "leave it unset for Power BI's default (10) or give a positive number");
        }
        if (retryCount != null && retryCount < 0) {
            throw new InvalidOptionException(
                    "retryCount", "must not be negative, was " + retryCount, "give 0 (Power BI's default) or more");
        }
        if (timeout != null
                && (timeout.isNegative()
                        || timeout.isZero()
                        || timeout.compareTo(MAX_TIMEOUT) > 0
                        || timeout.getNano() != 0)) {
            throw new InvalidOptionException(
                    "refreshTimeout",
                    "must be whole seconds between 1 s and 24 h (Power BI's" + " limit for a refresh), was " + timeout,
                    "give e.g. 2h or PT2H");
        }
        if (effectiveDate != null) {
            checkDate(effectiveDate);
        }
        if (commitMode == CommitMode.PartialBatch) {
            if (Boolean.TRUE.equals(applyRefreshPolicy)) {
                throw new InvalidOptionException(
                        "applyRefreshPolicy",
                        "must be false with commitMode PartialBatch" + " (Power BI rejects the combination)",
                        "drop applyRefreshPolicy, or use commitMode Transactional");
            }
            // Power BI's default for applyRefreshPolicy is true, which it then rejects with PartialBatch: say false.
            applyRefreshPolicy = Boolean.FALSE;
        }
        boolean enhanced = type != null
                || commitMode != null
                || !objects.isEmpty()
                || maxParallelism != null
                || retryCount != null
                || timeout != null
                || applyRefreshPolicy != null
                || effectiveDate != null;
        if (enhanced && notifyOption != null) {
            throw new InvalidOptionException(
                    "notifyOption",
                    "applies to a plain refresh only",
                    "drop it, or drop the"
                            + " enhanced refresh parameters (type, commitMode, objects, maxParallelism, retryCount, timeout,"
                            + " applyRefreshPolicy, effectiveDate)");
        }
    }

    /** A plain refresh with an empty body. */
    public static RefreshRequest plain() {
        return new RefreshRequest(null, null, null, null, null, null, null, null, null);
    }

    /** A plain refresh that mails the dataset owner (not possible for service principals). */
    public static RefreshRequest plain(String notifyOption) {
        return new RefreshRequest(notifyOption, null, null, null, null, null, null, null, null);
    }

    /** An enhanced refresh of the given type (e.g. Full) with Power BI's defaults otherwise. */
    public static RefreshRequest enhanced(RefreshType type) {
        return new RefreshRequest(null, type, null, null, null, null, null, null, null);
    }

    /**
     * Reads the fields from a map (a Camel message body or a YAML parameter). {@code objects} may be a list of maps
     * with table and partition, or a list of "Table" / "Table/Partition" strings.
     */
    public static RefreshRequest fromMap(Map<?, ?> map) {
        List<RefreshObject> objects = new ArrayList<>();
        Object raw = map.get("objects");
        if (raw instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m) {
                    objects.add(new RefreshObject(str(m.get("table")), str(m.get("partition"))));
                } else if (o != null) {
                    String s = o.toString();
                    int slash = s.indexOf('/');
                    objects.add(
                            slash < 0
                                    ? new RefreshObject(s, null)
                                    : new RefreshObject(s.substring(0, slash), s.substring(slash + 1)));
                }
            }
        } else if (raw != null) {
            throw new InvalidOptionException("objects", "must be a list of {table, partition}", "give a list");
        }
        for (Object key : map.keySet()) {
            if (!List.of(
                            "notifyOption",
                            "type",
                            "commitMode",
                            "objects",
                            "maxParallelism",
                            "retryCount",
                            "timeout",
                            "applyRefreshPolicy",
                            "effectiveDate")
                    .contains(String.valueOf(key))) {
                throw new InvalidOptionException(
                        String.valueOf(key),
                        "is not a refresh parameter",
                        "use notifyOption,"
                                + " type, commitMode, objects, maxParallelism, retryCount, timeout, applyRefreshPolicy or"
                                + " effectiveDate");
            }
        }
        return new RefreshRequest(
                str(map.get("notifyOption")),
                constant(RefreshType.class, map.get("type"), "type"),
                constant(CommitMode.class, map.get("commitMode"), "commitMode"),
                objects,
                integer(map.get("maxParallelism"), "maxParallelism"),
                integer(map.get("retryCount"), "retryCount"),
                timeout(map.get("timeout")),
                bool(map.get("applyRefreshPolicy")),
                str(map.get("effectiveDate")));
    }

    /** Whether this is an enhanced refresh (any field but notifyOption set). */
    public boolean enhanced() {
        return notifyOption == null && !toJson().isEmpty();
    }

    /** The JSON body; empty for a plain refresh without notification. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        put(json, "notifyOption", notifyOption);
        put(json, "type", type == null ? null : type.name());
        put(json, "commitMode", commitMode == null ? null : commitMode.name());
        if (!objects.isEmpty()) {
            List<Object> os = new ArrayList<>();
            objects.forEach(o -> os.add(o.toJson()));
            json.put("objects", os);
        }
        put(json, "maxParallelism", maxParallelism);
        put(json, "retryCount", retryCount);
        put(
                json,
                "timeout",
                timeout == null
                        ? null
                        : String.format(
                                Locale.ROOT,
                                "%02d:%02d:%02d",
                                timeout.toHours(),
                                timeout.toMinutesPart(),
                                timeout.toSecondsPart()));
        put(json, "applyRefreshPolicy", applyRefreshPolicy);
        put(json, "effectiveDate", effectiveDate);
        return json;
    }

    private static void put(Map<String, Object> json, String key, Object value) {
        if (value != null) {
            json.put(key, value);
        }
    }

    private static String canonical(String value, List<String> allowed, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value.trim())) {
                return a;
            }
        }
        throw new InvalidOptionException(
                field, "'" + value + "' is not a value it takes", "use one of " + String.join(", ", allowed));
    }

    /** A constant of {@code type} named by {@code value}, ignoring case; null stays null. */
    private static <E extends Enum<E>> E constant(Class<E> type, Object value, String field) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name());
        }
        String name = canonical(value == null ? null : value.toString(), names, field);
        return name == null ? null : Enum.valueOf(type, name);
    }

    /** Power BI's {@code hh:mm:ss}. */
    private static Duration timeout(Object value) {
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        Matcher m = TIMEOUT.matcher(value.toString().trim());
        if (!m.matches()) {
            throw new InvalidOptionException("timeout", "must be hh:mm:ss, was '" + value + "'", "give e.g. 02:00:00");
        }
        return Duration.ofHours(Long.parseLong(m.group(1)))
                .plusMinutes(Long.parseLong(m.group(2)))
                .plusSeconds(Long.parseLong(m.group(3)));
    }

    private static void checkDate(String value) {
        try {
            LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            try {
                OffsetDateTime.parse(value);
            } catch (DateTimeParseException e2) {
                throw new InvalidOptionException(
                        "effectiveDate", "must be an ISO date, was '" + value + "'", "give e.g. 2025-01-31");
            }
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static Integer integer(Object o, String field) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.valueOf(o.toString().trim());
        } catch (NumberFormatException e) {
            throw new InvalidOptionException(field, "must be a whole number, was '" + o + "'", "give e.g. 2");
        }
    }

    private static Boolean bool(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        String s = o.toString().trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        throw new InvalidOptionException(
                "applyRefreshPolicy", "must be true or false, was '" + o + "'", "give true or false");
    }
}
