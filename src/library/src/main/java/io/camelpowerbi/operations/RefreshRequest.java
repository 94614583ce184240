package io.camelpowerbi.operations;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code POST .../datasets/{d}/refreshes}. With nothing but {@code notifyOption} (or nothing at all) it is a
 * plain refresh, which any capacity accepts and which can only be followed through the refresh history. Any other field
 * makes it an enhanced refresh (Premium, PPU or Embedded only), which has its own status endpoint and can be cancelled.
 *
 * @param notifyOption       NoNotification, MailOnFailure or MailOnCompletion; plain refresh only, and not for service
 *                           principals
 * @param type               Full, ClearValues, Calculate, DataOnly, Automatic (Power BI's default) or Defragment
 * @param commitMode         Transactional (default) or PartialBatch
 * @param objects            tables (and partitions) to refresh; empty for the whole model
 * @param maxParallelism     threads Power BI may use (its default 10)
 * @param retryCount         retries on failure (its default 0)
 * @param timeout            per attempt, {@code hh:mm:ss} (its default 05:00:00)
 * @param applyRefreshPolicy whether the incremental refresh policy applies (its default true; must be false with
 *                           PartialBatch)
 * @param effectiveDate      the date the incremental refresh policy counts from, ISO {@code yyyy-MM-dd}
 */
public record RefreshRequest(String notifyOption, String type, String commitMode, List<RefreshObject> objects,
        Integer maxParallelism, Integer retryCount, String timeout, Boolean applyRefreshPolicy, String effectiveDate) {

    private static final List<String> NOTIFY = List.of("NoNotification", "MailOnFailure", "MailOnCompletion");
    private static final List<String> TYPES = List.of("Full", "ClearValues", "Calculate", "DataOnly", "Automatic", "Defragment");
    private static final List<String> COMMIT = List.of("Transactional", "PartialBatch");
    private static final Pattern TIMEOUT = Pattern.compile("^\\d{1,2}:[0-5]\\d:[0-5]\\d$");

    /** A table, optionally one partition of it. */
    public record RefreshObject(String table, String partition) {

        public RefreshObject {
            if (table == null || table.isBlank()) {
                throw new IllegalArgumentException("objects: every refresh object needs a table");
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
        type = canonical(type, TYPES, "type");
        commitMode = canonical(commitMode, COMMIT, "commitMode");
        objects = objects == null ? List.of() : List.copyOf(objects);
        if (maxParallelism != null && maxParallelism < 1) {
            throw new IllegalArgumentException("maxParallelism must be at least 1, was " + maxParallelism);
        }
        if (retryCount != null && retryCount < 0) {
            throw new IllegalArgumentException("retryCount must not be negative, was " + retryCount);
        }
        if (timeout != null && !TIMEOUT.matcher(timeout).matches()) {
            throw new IllegalArgumentException("timeout must be hh:mm:ss (e.g. 02:00:00), was '" + timeout + "'");
        }
        if (effectiveDate != null) {
            checkDate(effectiveDate);
        }
        if ("PartialBatch".equals(commitMode)) {
            if (Boolean.TRUE.equals(applyRefreshPolicy)) {
                throw new IllegalArgumentException("applyRefreshPolicy must be false with commitMode PartialBatch "
                        + "(Power BI rejects the combination)");
            }
            // Power BI's default for applyRefreshPolicy is true, which it then rejects with PartialBatch: say false.
            applyRefreshPolicy = Boolean.FALSE;
        }
        boolean enhanced = type != null || commitMode != null || !objects.isEmpty() || maxParallelism != null
                || retryCount != null || timeout != null || applyRefreshPolicy != null || effectiveDate != null;
        if (enhanced && notifyOption != null) {
            throw new IllegalArgumentException("notifyOption applies to a plain refresh only; drop it, or drop the enhanced "
                    + "refresh parameters (type, commitMode, objects, maxParallelism, retryCount, timeout, applyRefreshPolicy, "
                    + "effectiveDate)");
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
    public static RefreshRequest enhanced(String type) {
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
                    objects.add(slash < 0 ? new RefreshObject(s, null) : new RefreshObject(s.substring(0, slash), s.substring(slash + 1)));
                }
            }
        } else if (raw != null) {
            throw new IllegalArgumentException("objects must be a list of {table, partition}");
        }
        for (Object key : map.keySet()) {
            if (!List.of("notifyOption", "type", "commitMode", "objects", "maxParallelism", "retryCount", "timeout",
                    "applyRefreshPolicy", "effectiveDate").contains(String.valueOf(key))) {
                throw new IllegalArgumentException("unknown refresh parameter '" + key + "'");
            }
        }
        return new RefreshRequest(str(map.get("notifyOption")), str(map.get("type")), str(map.get("commitMode")), objects,
                integer(map.get("maxParallelism"), "maxParallelism"), integer(map.get("retryCount"), "retryCount"),
                str(map.get("timeout")), bool(map.get("applyRefreshPolicy")), str(map.get("effectiveDate")));
    }

    /** Whether this is an enhanced refresh (any field but notifyOption set). */
    public boolean enhanced() {
        return notifyOption == null && !toJson().isEmpty();
    }

    /** The JSON body; empty for a plain refresh without notification. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        put(json, "notifyOption", notifyOption);
        put(json, "type", type);
        put(json, "commitMode", commitMode);
        if (!objects.isEmpty()) {
            List<Object> os = new ArrayList<>();
            objects.forEach(o -> os.add(o.toJson()));
            json.put("objects", os);
        }
        put(json, "maxParallelism", maxParallelism);
        put(json, "retryCount", retryCount);
        put(json, "timeout", timeout);
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
        throw new IllegalArgumentException(field + " '" + value + "' is not one of " + String.join(", ", allowed));
    }

    private static void checkDate(String value) {
        try {
            LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            try {
                OffsetDateTime.parse(value);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("effectiveDate must be an ISO date like 2025-01-31, was '" + value + "'");
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
            throw new IllegalArgumentException(field + " must be a whole number, was '" + o + "'");
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
        throw new IllegalArgumentException("applyRefreshPolicy must be true or false, was '" + o + "'");
    }
}
