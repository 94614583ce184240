package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The Power BI activity log behind {@code GET admin/activityevents} (https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-auditing): a seeded history plus
 * the events of the calls the sandbox serves and the events a test adds.
 *
 * <p><b>Seeded history.</b> The events of a UTC day are a pure function of {@code activityEvents.seed}, the day and the
 * tenant's workspaces (names and ids), so a restart regenerates the same events with the same ids. Working days get
 * about {@code eventsPerDay} events (weekends a third), mostly during office hours, so night hours are empty. The
 * history starts {@code historyDays} before the sandbox started and runs up to "now" on the sandbox clock: it keeps
 * filling as time passes.
 *
 * <p><b>Visibility.</b> Every event (seeded, served or added) is listed only once
 * {@code CreationTime + visibilityDelaySeconds} has passed on the sandbox clock (the log lags behind the service).
 *
 * <p><b>Paging.</b> A query (window, filter) is answered against a snapshot: the first page fixes the instant "as of"
 * which visibility is decided, and the continuation token carries it, so later pages neither repeat nor miss events that
 * became visible meanwhile. A page covers at most {@code pageMinutes} of the window and at most {@code pageSize} events;
 * spans without events give pages with zero entities and a token; the last page has {@code lastResultSet: true}.
 */
public final class ActivityLog {

    /** One event: when it happened and its JSON (the {@code ActivityEventEntity} keys). */
    public record Event(Instant time, String id, ObjectNode json) {

        public String activity() {
            return json.path("Activity").asText(null);
        }

        public String userId() {
            return json.path("UserId").asText(null);
        }
    }

    /** A decoded continuation token: the query and where the next page starts. */
    record Cursor(Instant start, Instant end, String filter, Instant asOf, Instant chunk, int offset) {}

    /** A page of a query. */
    record Page(List<Event> events, Cursor next) {}

    // guess: CreationTime as in the PBIDOCS example ("2019-08-13T07:55:15": UTC, no zone designator, no fraction)
    static final DateTimeFormatter CREATION_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final String[] FIRST = {
        "Alex", "Maria", "Jonas", "Priya", "Chen", "Fatima", "Lukas", "Sofia", "Omar", "Emma", "Noah", "Aiko", "Mateo",
        "Lea", "Ivan", "Grace"
    };
    private static final String[] LAST = {"Keller", "Santos", "Berg", "Nair", "Wei", "Haddad", "Novak", "Rossi"};
    /** Seeded activities and their weights. guess: a plausible mix of the documented activity names. */
    private static final Object[][] MIX = {
        {"ViewReport", 40},
        {"ViewDashboard", 10},
        {"ViewTile", 6},
        {"ExportReport", 4},
        {"RefreshDataset", 6},
        {"EditReport", 3},
        {"CreateReport", 2},
        {"CreateDataset", 1},
        {"DeleteReport", 1},
        {"ShareReport", 2},
        {"AnalyzeInExcel", 2},
        {"GetGroups", 2},
        {"GetDatasets", 2},
        {"GetReports", 2}
    };

    private static final int MIX_TOTAL =
            java.util.Arrays.stream(MIX).mapToInt(m -> (Integer) m[1]).sum();

    private final Supplier<ApiSettings.ActivityEvents> settings;
    private final SandboxClock clock;
    private final Supplier<Tenant> tenant;
    private final Instant historyStart;
    private final Map<String, List<Event>> seededDays = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Event> recorded = new CopyOnWriteArrayList<>();

    ActivityLog(Supplier<ApiSettings.ActivityEvents> settings, SandboxClock clock, Supplier<Tenant> tenant) {
        this.settings = settings;
        this.clock = clock;
        this.tenant = tenant;
        this.historyStart = clock.now();
    }

    // ------------------------------------------------------------------ Java API

    /** The first instant of the seeded history ({@code historyDays} before the sandbox started). */
    public Instant historyStart() {
        return historyStart.minus(Duration.ofDays(settings.get().historyDays()));
    }

    /**
     * Every event (seeded, served or added) that happened within {@code [from, to]} and is visible at {@code asOf},
     * oldest first: what the API delivers for that window (unfiltered) when asked at {@code asOf}.
     */
    public List<Event> events(Instant from, Instant to, Instant asOf) {
        ApiSettings.ActivityEvents s = settings.get();
        Duration delay = ApiSettings.seconds(s.visibilityDelaySeconds());
        Instant seededFrom = historyStart();
        List<Event> result = new ArrayList<>();
        for (LocalDate day = day(from); !day.isAfter(day(to)); day = day.plusDays(1)) {
            for (Event e : seeded(day, s)) {
                if (!e.time().isBefore(seededFrom) && within(e, from, to) && visible(e, asOf, delay)) {
                    result.add(e);
                }
            }
        }
        for (Event e : recorded) {
            if (within(e, from, to) && visible(e, asOf, delay)) {
                result.add(e);
            }
        }
        result.sort(Comparator.comparing(Event::time).thenComparing(Event::id));
        return result;
    }

    /** {@link #events(Instant, Instant, Instant)} as of now on the sandbox clock. */
    public List<Event> events(Instant from, Instant to) {
        return events(from, to, clock.now());
    }

    /** Events recorded from served calls or added, visible or not yet, oldest first. */
    public List<Event> recorded() {
        return List.copyOf(recorded);
    }

    /**
     * Adds an event; missing {@code Id}, {@code RecordType}, {@code CreationTime} (now), {@code Workload},
     * {@code Operation}/{@code Activity} (each from the other) are filled in. {@code CreationTime} may be an ISO instant
     * or the log's own form. Returns the stored event.
     */
    public Event add(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("an activity event must be a JSON object");
        }
        ObjectNode event = ((ObjectNode) json).deepCopy();
        Instant time = clock.now();
        JsonNode creation = event.get("CreationTime");
        if (creation != null && creation.isTextual()) {
            time = parseCreationTime(creation.asText());
        }
        String activity = event.path("Activity").asText(event.path("Operation").asText(null));
        if (activity == null || activity.isBlank()) {
            throw new IllegalArgumentException("an activity event needs 'Activity' (or 'Operation')");
        }
        ObjectNode full = Json.object();
        full.put("Id", event.path("Id").asText(UUID.randomUUID().toString()));
        full.put("RecordType", 20);
        full.put("CreationTime", CREATION_TIME.format(time));
        full.put("Operation", activity);
        full.put("OrganizationId", tenantId());
        full.put("UserType", 0);
        full.put("Workload", "PowerBI");
        full.put("Activity", activity);
        full.put("IsSuccess", true);
        full.setAll(event);
        full.put("CreationTime", CREATION_TIME.format(time));
        Event e = new Event(time, full.get("Id").asText(), full);
        recorded.add(e);
        return e;
    }

    /** Drops the recorded and added events (the seeded history stays: it is a function of the settings). */
    public void clearRecorded() {
        recorded.clear();
    }

    // ------------------------------------------------------------------ served calls

    /**
     * Records the event of a served call. guess: for a service principal, {@code UserId} is the app's client id and
     * {@code UserKey} its object id; {@code ClientIP} the caller's address.
     */
    void recordServed(SandboxExchange ex, Caller caller, String activity, Workspace w, Dataset d, Report r) {
        if (!settings.get().recordServedCalls()) {
            return;
        }
        ObjectNode json = Json.object();
        json.put("Id", UUID.randomUUID().toString());
        json.put("RecordType", 20);
        Instant now = clock.now();
        json.put("CreationTime", CREATION_TIME.format(now));
        json.put("Operation", activity);
        json.put("OrganizationId", caller.tenant().id());
        json.put("UserType", 0);
        json.put("UserKey", caller.objectId());
        json.put("Workload", "PowerBI");
        json.put("UserId", caller.appId());
        var remote = ex.remoteAddress();
        json.put(
                "ClientIP",
                remote == null || remote.getAddress() == null
                        ? "127.0.0.1"
                        : remote.getAddress().getHostAddress());
        json.put("UserAgent", ex.header("User-Agent") == null ? "" : ex.header("User-Agent"));
        json.put("Activity", activity);
        artifacts(json, w, d, r);
        json.put("IsSuccess", true);
        json.put("RequestId", ex.requestId());
        json.put("ActivityId", ex.correlationId());
        json.put("DistributionMethod", "Workspace");
        recorded.add(new Event(now, json.get("Id").asText(), json));
    }

    private static void artifacts(ObjectNode json, Workspace w, Dataset d, Report r) {
        String item = r != null ? r.name() : d != null ? d.name() : w != null ? w.name() : null;
        if (item != null) {
            json.put("ItemName", item);
            json.put("ObjectId", item);
        }
        if (w != null) {
            json.put("WorkSpaceName", w.name());
            json.put("WorkspaceId", w.id());
            json.put("CapacityId", w.capacityId());
        }
        if (d != null) {
            json.put("DatasetName", d.name());
            json.put("DatasetId", d.id());
        }
        if (r != null) {
            json.put("ReportName", r.name());
            json.put("ReportId", r.id());
            json.put("ReportType", r.reportType());
        }
    }

    // ------------------------------------------------------------------ queries

    /** The page starting at {@code cursor}, for the {@code filter} (already parsed from {@code cursor.filter()}). */
    Page page(Cursor cursor, java.util.function.Predicate<Event> filter) {
        ApiSettings.ActivityEvents s = settings.get();
        Instant chunkEnd = cursor.chunk().plus(Duration.ofMinutes(s.pageMinutes()));
        Instant last = cursor.end();
        Instant to = chunkEnd.isAfter(last) ? last : chunkEnd.minusNanos(1);
        List<Event> inChunk = events(cursor.chunk(), to, cursor.asOf()).stream()
                .filter(filter)
                .toList();
        int from = Math.min(cursor.offset(), inChunk.size());
        int until = Math.min(inChunk.size(), from + s.pageSize());
        List<Event> page = inChunk.subList(from, until);
        Cursor next;
        if (until < inChunk.size()) {
            next = new Cursor(cursor.start(), cursor.end(), cursor.filter(), cursor.asOf(), cursor.chunk(), until);
        } else if (chunkEnd.isAfter(last)) {
            next = null;
        } else {
            next = new Cursor(cursor.start(), cursor.end(), cursor.filter(), cursor.asOf(), chunkEnd, 0);
        }
        return new Page(page, next);
    }

    /** Opaque to clients: standard base64 of the cursor (with + / =, so it needs URL-encoding, as the live one). */
    static String encode(Cursor c) {
        ObjectNode json = Json.object();
        json.put("s", c.start().toString());
        json.put("e", c.end().toString());
        json.put("f", c.filter());
        json.put("a", c.asOf().toString());
        json.put("c", c.chunk().toString());
        json.put("o", c.offset());
        return Base64.getEncoder().encodeToString(("v1;" + json).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of a token, or null when it is not one of ours. */
    static Cursor decode(String token) {
        try {
            String text =
                    new String(Base64.getDecoder().decode(token.trim().replace(' ', '+')), StandardCharsets.UTF_8);
            if (!text.startsWith("v1;")) {
                return null;
            }
            JsonNode json = Json.MAPPER.readTree(text.substring(3));
            return new Cursor(
                    Instant.parse(json.get("s").asText()),
                    Instant.parse(json.get("e").asText()),
                    json.path("f").isNull() ? null : json.path("f").asText(null),
                    Instant.parse(json.get("a").asText()),
                    Instant.parse(json.get("c").asText()),
                    json.get("o").asInt());
        } catch (Exception e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ seeded history

    private List<Event> seeded(LocalDate day, ApiSettings.ActivityEvents s) {
        Tenant t = tenant.get();
        String key = s.seed() + "|" + s.eventsPerDay() + "|" + day + "|"
                + (t == null ? "" : t.workspaces().size());
        return seededDays.computeIfAbsent(key, k -> generate(day, s, t));
    }

    private List<Event> generate(LocalDate day, ApiSettings.ActivityEvents s, Tenant t) {
        Random random = new Random(s.seed() * 1_000_003L + day.toEpochDay());
        boolean weekend = day.getDayOfWeek().getValue() >= 6;
        int count = (int) Math.round(s.eventsPerDay() * (weekend ? 0.33 : 1.0) * (0.8 + 0.4 * random.nextDouble()));
        List<Workspace> spaces = t == null
                ? List.of()
                : t.workspaces().stream()
                        .filter(w -> !w.reports().isEmpty() || !w.datasets().isEmpty())
                        .toList();
        String tenantId = t == null ? Sandbox.DEV_TENANT_ID : t.id();
        Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // office hours 07-19 UTC for 90 %, the rest anywhere but the small hours (00-05 stay empty)
            long second = random.nextDouble() < 0.9
                    ? 7 * 3600 + (long) (random.nextDouble() * 12 * 3600)
                    : 5 * 3600 + (long) (random.nextDouble() * 19 * 3600);
            Instant time = midnight.plusMillis(second * 1000 + random.nextInt(1000));
            String id = UUID.nameUUIDFromBytes((s.seed() + "/" + day + "/" + i).getBytes(StandardCharsets.UTF_8))
                    .toString();
            String activity = pick(random);
            int user = random.nextInt(FIRST.length * LAST.length);
            String first = FIRST[user % FIRST.length];
            String last = LAST[user / FIRST.length];
            ObjectNode json = Json.object();
            json.put("Id", id);
            json.put("RecordType", 20);
            json.put("CreationTime", CREATION_TIME.format(time));
            json.put("Operation", activity);
            json.put("OrganizationId", tenantId);
            json.put("UserType", 0);
            json.put("UserKey", String.format(Locale.ROOT, "1003%012X", 0x5A17_0000L + user));
            json.put("Workload", "PowerBI");
            json.put("UserId", (first + "." + last + "@" + Sandbox.DEV_TENANT_DOMAIN).toLowerCase(Locale.ROOT));
            json.put("ClientIP", "10." + (20 + user % 8) + "." + (user % 50) + "." + (10 + user % 200));
            json.put(
                    "UserAgent",
                    random.nextInt(5) == 0
                            ? "PowerBIDesktop/2.129"
                            : "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                    + "Chrome/124.0 Safari/537.36 Edg/124.0");
            json.put("Activity", activity);
            if (!spaces.isEmpty()) {
                Workspace w = spaces.get(random.nextInt(spaces.size()));
                List<Report> reports = w.reports();
                List<Dataset> datasets = w.datasets();
                Report r = activity.contains("Report") && !reports.isEmpty()
                        ? reports.get(random.nextInt(reports.size()))
                        : null;
                Dataset d = r != null && r.datasetId() != null
                        ? w.dataset(r.datasetId()).orElse(null)
                        : activity.contains("Dataset") && !datasets.isEmpty()
                                ? datasets.get(random.nextInt(datasets.size()))
                                : null;
                artifacts(json, w, d, r);
            }
            json.put("IsSuccess", random.nextInt(200) != 0);
            json.put("RequestId", new UUID(random.nextLong(), random.nextLong()).toString());
            json.put("ActivityId", new UUID(random.nextLong(), random.nextLong()).toString());
            json.put("DistributionMethod", "Workspace");
            events.add(new Event(time, id, json));
        }
        events.sort(Comparator.comparing(Event::time).thenComparing(Event::id));
        return List.copyOf(events);
    }

    private static String pick(Random random) {
        int n = random.nextInt(MIX_TOTAL);
        for (Object[] m : MIX) {
            n -= (Integer) m[1];
            if (n < 0) {
                return (String) m[0];
            }
        }
        return "ViewReport";
    }

    private String tenantId() {
        Tenant t = tenant.get();
        return t == null ? Sandbox.DEV_TENANT_ID : t.id();
    }

    private static boolean within(Event e, Instant from, Instant to) {
        return !e.time().isBefore(from) && !e.time().isAfter(to);
    }

    private static boolean visible(Event e, Instant asOf, Duration delay) {
        return !e.time().plus(delay).isAfter(asOf);
    }

    static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** An ISO instant, or the log's own form (no zone: UTC). */
    static Instant parseCreationTime(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        }
    }

    static Instant truncatedToMillis(Instant i) {
        return i.truncatedTo(ChronoUnit.MILLIS);
    }
}
