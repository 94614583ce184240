package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Power BI admin APIs under {@code /v1.0/myorg/admin} (https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-auditing, https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-metadata-scanning, https://learn.microsoft.com/en-us/rest/api/power-bi/groups/get-groups, https://learn.microsoft.com/en-us/power-bi/developer/embedded/troubleshoot-rest-api):
 * {@code GET activityevents}, the scanner ({@code GET workspaces/modified}, {@code POST workspaces/getInfo},
 * {@code GET workspaces/scanStatus/{id}}, {@code GET workspaces/scanResult/{id}}) and {@code GET groups}. They see every
 * workspace of the caller's tenant, member or not.
 *
 * <p>Access: the tenant switch "Allow service principals to use read-only admin APIs"
 * ({@code servicePrincipalsCanUseReadOnlyAdminApis}) must be on, and the app must not hold admin-consent Power BI
 * permissions ({@code Tenant.Read.All}, {@code Tenant.ReadWrite.All} roles), else 401.
 *
 * <p>Rate limits ({@link LimitsConfig}, time-scaled): activityevents 200/hour per caller; workspaces/modified 30/hour,
 * getInfo 500/hour and 16 scans in flight, scanStatus 10,000/hour, scanResult 500/hour, groups 50/hour and 15/minute,
 * per tenant. Every request counts, refused ones included (guess). A 429 carries {@code Retry-After} and the bare
 * {@code message} body of pbimonitor #58.
 *
 * <p>guess: every 400 here is {@code {"error":{"code":"InvalidRequest","message":...}}}; the service documents the
 * rules, not how it refuses them.
 */
final class PowerBiAdminApi implements PowerBiApi.Module {

    private static final Logger LOG = LoggerFactory.getLogger(PowerBiAdminApi.class);
    static final String ADMIN = PowerBiApi.BASE_PATH + "/admin";
    static final Set<String> GROUP_PROPERTIES =
            Set.of("id", "name", "isReadOnly", "isOnDedicatedCapacity", "capacityId", "type", "state");
    static final Set<String> EXPANDABLE =
            Set.of("users", "reports", "dashboards", "datasets", "dataflows", "workbooks");
    /** Admin-consent Power BI application permissions; a service principal holding one is refused (https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-auditing, https://learn.microsoft.com/en-us/power-bi/developer/embedded/embed-service-principal). */
    static final Set<String> ADMIN_CONSENT_ROLES = Set.of("tenant.read.all", "tenant.readwrite.all");

    private PowerBiApi api;

    @Override
    public void register(Router router, PowerBiApi powerBiApi) {
        this.api = powerBiApi;
        router.get(ADMIN + "/activityevents", admin("activityevents", this::activityEvents));
        router.get(ADMIN + "/workspaces/modified", admin("workspaces/modified", this::modified));
        router.post(ADMIN + "/workspaces/getInfo", admin("workspaces/getInfo", this::getInfo));
        router.get(ADMIN + "/workspaces/scanStatus/{scanId}", admin("workspaces/scanStatus", this::scanStatus));
        router.get(ADMIN + "/workspaces/scanResult/{scanId}", admin("workspaces/scanResult", this::scanResult));
        router.get(ADMIN + "/groups", admin("groups", this::groups));
    }

    private RouteHandler admin(String endpoint, PowerBiApi.AuthenticatedHandler handler) {
        return api.authenticated((ex, caller) -> {
            api.countAdminCall(endpoint);
            requireAdminCaller(ex, caller);
            handler.handle(ex, caller);
        });
    }

    /**
     * guess: both refusals are 401 PowerBINotAuthorizedException (shape #2) with {@code x-powerbi-error-info} naming
     * the reason; which body the live service sends for the admin switch is unverified.
     */
    private static void requireAdminCaller(SandboxExchange ex, Caller caller) {
        String why = null;
        if (!caller.tenant().servicePrincipalsCanUseReadOnlyAdminApis()) {
            why = "ServicePrincipalIsNotAllowedByTenantAdminSwitch";
        } else if (caller.roles().stream().anyMatch(r -> ADMIN_CONSENT_ROLES.contains(r.toLowerCase(Locale.ROOT)))) {
            why = "ServicePrincipalHasAdminConsentPermissions";
        }
        if (why != null) {
            LOG.info("admin API {} {} refused for app {}: {}", ex.method(), ex.path(), caller.appId(), why);
            throw new PowerBiError(
                            401,
                            PowerBiError.pbiError("PowerBINotAuthorizedException"),
                            Map.of("x-powerbi-error-info", why))
                    .exception();
        }
    }

    /** One request against {@code max} per {@code windowSeconds} (sandbox time), else 429. */
    private void throttle(String key, long windowSeconds, long max) {
        LimitsConfig limits = api.limits();
        if (!limits.enabled()) {
            return;
        }
        long wait = api.adminWindow(key).tryAcquire(System.nanoTime(), limits.windowNanos(windowSeconds), max, 1);
        if (wait > 0) {
            throw throttled(key, wait);
        }
    }

    private PowerBiException throttled(String key, long waitNanos) {
        api.countThrottledAdminCall();
        long seconds = RateWindow.retryAfterSeconds(waitNanos);
        LOG.info("admin API {} throttled: 429, Retry-After {}", key, seconds);
        return PowerBiError.tooManyRequests(seconds).exception();
    }

    private static PowerBiException bad(String message) {
        return PowerBiError.badRequest("InvalidRequest", message).exception();
    }

    // ------------------------------------------------------------------ activity events

    private void activityEvents(SandboxExchange ex, Caller caller) throws IOException {
        throttle(
                "activityevents|" + caller.tenant().id() + "|" + caller.appId(),
                3600,
                api.limits().activityEventsPerHour());
        String tokenParam = ex.query("continuationToken");
        String startParam = ex.query("startDateTime");
        String endParam = ex.query("endDateTime");
        Instant now = api.now();
        ActivityLog.Cursor cursor;
        if (tokenParam != null) {
            if (startParam != null || endParam != null) {
                // guess: the service wants either the window or the token
                throw bad("Specify either startDateTime and endDateTime, or continuationToken, not both.");
            }
            String token = unquote("continuationToken", tokenParam);
            if (token.contains("%")) {
                token = SandboxExchange.decode(token);
            }
            cursor = ActivityLog.decode(token);
            if (cursor == null) {
                throw bad("Invalid continuationToken.");
            }
        } else {
            if (startParam == null || endParam == null) {
                throw bad("startDateTime and endDateTime are required (or continuationToken), e.g. "
                        + "startDateTime='2019-08-31T00:00:00.000Z'&endDateTime='2019-08-31T23:59:59.999Z'.");
            }
            Instant start = dateTime("startDateTime", unquote("startDateTime", startParam));
            Instant end = dateTime("endDateTime", unquote("endDateTime", endParam));
            if (end.isBefore(start)) {
                throw bad("endDateTime must not be before startDateTime.");
            }
            if (!ActivityLog.day(start).equals(ActivityLog.day(end))) {
                // guess: documented rule ("both on the same UTC day"), unverified code and message
                throw bad("startDateTime and endDateTime must be within the same UTC day.");
            }
            if (start.isBefore(now.minus(Duration.ofDays(30)).truncatedTo(java.time.temporal.ChronoUnit.DAYS))) {
                // guess: the log keeps 30 days
                throw bad("startDateTime must be within the last 30 days.");
            }
            String filter = ex.query("$filter");
            try {
                ActivityFilter.parse(filter);
            } catch (IllegalArgumentException e) {
                throw bad("Invalid $filter: " + e.getMessage());
            }
            cursor = new ActivityLog.Cursor(start, end, filter, now, start, 0);
        }
        ActivityFilter filter;
        try {
            filter = ActivityFilter.parse(cursor.filter());
        } catch (IllegalArgumentException e) {
            throw bad("Invalid continuationToken.");
        }
        String tenantId = caller.tenant().id();
        ActivityLog.Page page = api.activityLog()
                .page(
                        cursor,
                        filter.and(e -> tenantId.equalsIgnoreCase(
                                e.json().path("OrganizationId").asText(tenantId))));
        ObjectNode body = Json.object();
        ArrayNode entities = body.putArray("activityEventEntities");
        page.events().forEach(e -> entities.add(e.json()));
        if (page.next() == null) {
            body.putNull("continuationUri");
            body.putNull("continuationToken");
            body.put("lastResultSet", true);
        } else {
            // the token is returned URL-encoded
            // (https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-auditing); the URI carries it as the
            // service does, in quotes
            String encoded = URLEncoder.encode(ActivityLog.encode(page.next()), StandardCharsets.UTF_8);
            body.put("continuationUri", ex.origin() + ADMIN + "/activityevents?continuationToken='" + encoded + "'");
            body.put("continuationToken", encoded);
            body.put("lastResultSet", false);
        }
        LOG.debug(
                "activityevents {}..{} chunk {}: {} events, last {}",
                cursor.start(),
                cursor.end(),
                cursor.chunk(),
                page.events().size(),
                page.next() == null);
        ex.sendJson(200, body);
    }

    /** The value inside the single quotes the API requires (https://learn.microsoft.com/en-us/power-bi/enterprise/service-admin-auditing). */
    private static String unquote(String name, String value) {
        String v = value.trim();
        if (v.length() < 2 || !v.startsWith("'") || !v.endsWith("'")) {
            // guess: 400 for a value without the quotes
            throw bad("The value of " + name + " must be enclosed in single quotes, e.g. " + name + "='" + v + "'.");
        }
        return v.substring(1, v.length() - 1);
    }

    /** An ISO-8601 date-time; without an offset it is UTC. */
    static Instant dateTime(String name, String value) {
        String v = value.trim();
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException e3) {
                    throw bad("Invalid " + name + " '" + v + "': an ISO-8601 UTC date-time is required, e.g. "
                            + "2019-08-31T00:00:00.000Z.");
                }
            }
        }
    }

    // ------------------------------------------------------------------ scanner

    private void modified(SandboxExchange ex, Caller caller) throws IOException {
        throttle("modified|" + caller.tenant().id(), 3600, api.limits().modifiedWorkspacesPerHour());
        Instant now = api.now();
        String sinceParam = ex.query("modifiedSince");
        Instant since = null;
        if (sinceParam != null && !sinceParam.isBlank()) {
            String v = sinceParam.trim();
            if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
                v = v.substring(1, v.length() - 1);
            }
            since = dateTime("modifiedSince", v);
            if (since.isAfter(now.minus(Duration.ofMinutes(30))) || since.isBefore(now.minus(Duration.ofDays(30)))) {
                // guess: documented range, unverified answer
                throw bad("modifiedSince must be between 30 minutes and 30 days ago: " + sinceParam);
            }
        }
        boolean noPersonal = bool(ex, "excludePersonalWorkspaces");
        boolean noInactive = bool(ex, "excludeInActiveWorkspaces");
        Instant after = since;
        ArrayNode body = Json.array();
        caller.tenant().workspaces().stream()
                .filter(w -> after == null || w.lastModified().isAfter(after))
                .filter(w -> !noPersonal || !"PersonalGroup".equals(w.type()))
                .filter(w -> !noInactive || "Active".equals(w.state()))
                .forEach(w -> body.addObject().put("id", w.id()));
        ex.sendJson(200, body);
    }

    private void getInfo(SandboxExchange ex, Caller caller) throws IOException {
        String tenantId = caller.tenant().id();
        throttle("getInfo|" + tenantId, 3600, api.limits().scanRequestsPerHour());
        JsonNode body = PowerBiApi.jsonBody(ex);
        JsonNode ids = body == null ? null : body.get("workspaces");
        if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > 100) {
            // guess: documented 1-100, unverified answer
            throw bad("'workspaces' must list 1 to 100 workspace ids; it has "
                    + (ids == null || !ids.isArray() ? "none" : ids.size()) + ".");
        }
        List<String> workspaceIds = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || !SandboxConfig.isGuid(id.asText())) {
                throw bad("'" + id.asText() + "' is not a workspace id (a GUID).");
            }
            workspaceIds.add(id.asText().toLowerCase(Locale.ROOT));
        }
        Instant now = api.now();
        LimitsConfig limits = api.limits();
        if (limits.enabled()) {
            synchronized (api.scanJobs()) {
                List<ScanJob> inFlight = api.scanJobs().values().stream()
                        .filter(j -> j.tenantId().equals(tenantId) && j.inFlight(now))
                        .sorted(Comparator.comparing(ScanJob::succeededAt))
                        .toList();
                if (inFlight.size() >= limits.scansInFlight()) {
                    long nanos =
                            Duration.between(now, inFlight.get(0).succeededAt()).toNanos();
                    throw throttled("getInfo in flight|" + tenantId, Math.max(1, nanos));
                }
                return202(ex, caller, workspaceIds, now);
                return;
            }
        }
        return202(ex, caller, workspaceIds, now);
    }

    private void return202(SandboxExchange ex, Caller caller, List<String> workspaceIds, Instant now)
            throws IOException {
        ApiSettings.Scans s = api.settings().scans();
        ScanJob job = new ScanJob(
                UUID.randomUUID().toString(),
                caller.tenant().id(),
                now,
                ApiSettings.seconds(s.durationSeconds()),
                ApiSettings.seconds(s.resultValidityHours() * 3600),
                workspaceIds,
                new ScanJob.Options(
                        bool(ex, "lineage"),
                        bool(ex, "datasourceDetails"),
                        bool(ex, "datasetSchema"),
                        bool(ex, "datasetExpressions"),
                        bool(ex, "getArtifactUsers")));
        api.scanJobs().put(job.id(), job);
        LOG.info("scan {} of {} workspaces requested by app {}", job.id(), workspaceIds.size(), caller.appId());
        ex.setResponseHeader("Location", ex.origin() + ADMIN + "/workspaces/scanStatus/" + job.id());
        ex.sendJson(202, scanRequest(job, now));
    }

    private static ObjectNode scanRequest(ScanJob job, Instant now) {
        ObjectNode json = Json.object();
        json.put("id", job.id());
        json.put("createdDateTime", Json.time(job.createdAt()));
        json.put("status", job.status(now));
        return json;
    }

    /** guess: an unknown scan id, or one of another tenant, is 404 PowerBIEntityNotFound. */
    private ScanJob job(SandboxExchange ex, Caller caller) {
        ScanJob job = api.scanJobs().get(ex.pathParam("scanId").toLowerCase(Locale.ROOT));
        if (job == null || !job.tenantId().equals(caller.tenant().id())) {
            throw PowerBiError.entityNotFound().exception();
        }
        return job;
    }

    private void scanStatus(SandboxExchange ex, Caller caller) throws IOException {
        throttle("scanStatus|" + caller.tenant().id(), 3600, api.limits().scanStatusPerHour());
        ScanJob job = job(ex, caller);
        ex.sendJson(200, scanRequest(job, api.now()));
    }

    private void scanResult(SandboxExchange ex, Caller caller) throws IOException {
        throttle("scanResult|" + caller.tenant().id(), 3600, api.limits().scanResultPerHour());
        ScanJob job = job(ex, caller);
        Instant now = api.now();
        if (job.expired(now)) {
            // guess: 404 once the result is gone (kept 24 h)
            throw PowerBiError.entityNotFound().exception();
        }
        if (!"Succeeded".equals(job.status(now))) {
            // guess: 400 before success
            throw bad("The scan " + job.id() + " has not succeeded yet (status " + job.status(now)
                    + "); poll workspaces/scanStatus until it is Succeeded.");
        }
        ObjectNode body = Json.object();
        ArrayNode workspaces = body.putArray("workspaces");
        ArrayNode datasources = Json.array();
        for (String id : job.workspaceIds()) {
            // guess: ids of unknown workspaces are left out of the result
            caller.tenant()
                    .workspace(id)
                    .ifPresent(w -> workspaces.add(workspaceInfo(w, job.options(), caller, datasources, now)));
        }
        body.set("datasourceInstances", datasources);
        ex.sendJson(200, body);
    }

    private static ObjectNode workspaceInfo(
            Workspace w, ScanJob.Options o, Caller caller, ArrayNode datasources, Instant now) {
        ObjectNode json = Json.object();
        json.put("id", w.id());
        json.put("name", w.name());
        json.put("type", w.type());
        json.put("state", w.state());
        json.put("isOnDedicatedCapacity", w.isOnDedicatedCapacity());
        if (w.capacityId() != null) {
            json.put("capacityId", w.capacityId());
        }
        json.put("defaultDatasetStorageFormat", "Small");
        ArrayNode reports = json.putArray("reports");
        for (Report r : w.visibleReports(now)) {
            ObjectNode rj = reports.addObject();
            rj.put("reportType", r.reportType());
            rj.put("id", r.id());
            rj.put("name", r.name());
            if (r.datasetId() != null) {
                rj.put("datasetId", r.datasetId());
                rj.put("datasetWorkspaceId", w.id());
            }
            if (o.getArtifactUsers()) {
                rj.putArray("users")
                        .addObject()
                        .put("reportUserAccessRight", "Owner")
                        .put("identifier", SandboxConfig.DatasetConfig.DEFAULT_CONFIGURED_BY)
                        .put("principalType", "User");
            }
        }
        json.putArray("dashboards");
        ArrayNode datasets = json.putArray("datasets");
        for (Dataset d : w.visibleDatasets(now)) {
            ObjectNode dj = datasets.addObject();
            dj.put("id", d.id());
            dj.put("name", d.name());
            if (o.datasetSchema()) {
                ArrayNode tables = dj.putArray("tables");
                for (PushTable t : d.tables()) {
                    ObjectNode tj = tables.addObject();
                    tj.put("name", t.name());
                    ArrayNode columns = tj.putArray("columns");
                    t.columns()
                            .forEach(c -> columns.addObject()
                                    .put("name", c.name())
                                    .put("dataType", c.type().canonicalName())
                                    .put("isHidden", false));
                    tj.putArray("measures");
                    tj.put("isHidden", false);
                    if (o.datasetExpressions() && !d.isPush()) {
                        tj.putArray("source")
                                .addObject()
                                .put(
                                        "expression",
                                        "let\n    Source = Sql.Database("
                                                + "\"sandbox-sql.database.windows.net\", \"" + d.name()
                                                + "\"),\n    Data = Source{[Schema"
                                                + "=\"dbo\",Item=\"" + t.name() + "\"]}[Data]\nin\n    Data");
                    }
                }
            }
            if (o.datasetExpressions()) {
                ArrayNode expressions = dj.putArray("expressions");
                if (!d.isPush()) {
                    expressions
                            .addObject()
                            .put("name", "ServerName")
                            .put(
                                    "expression",
                                    "\"sandbox-sql.database.windows.net\" meta [IsParameterQuery=true, "
                                            + "Type=\"Text\", IsParameterQueryRequired=true]");
                }
            }
            dj.put("configuredBy", d.configuredBy());
            dj.put("targetStorageMode", "Abf");
            dj.put("createdDate", Json.time(d.createdDate()));
            dj.put("contentProviderType", d.isPush() ? "PushDataset" : "PbixInImportMode");
            if ((o.datasourceDetails() || o.lineage()) && !d.isPush()) {
                String datasourceId = UUID.nameUUIDFromBytes(("datasource:" + d.id()).getBytes(StandardCharsets.UTF_8))
                        .toString();
                dj.putArray("datasourceUsages").addObject().put("datasourceInstanceId", datasourceId);
                if (o.datasourceDetails()) {
                    ObjectNode ds = datasources.addObject();
                    ds.put("datasourceType", "Sql");
                    ds.putObject("connectionDetails")
                            .put("server", "sandbox-sql.database.windows.net")
                            .put("database", d.name());
                    ds.put("datasourceId", datasourceId);
                    ds.put("gatewayId", "00000000-0000-0000-0000-000000000000");
                }
            }
            if (o.getArtifactUsers()) {
                dj.putArray("users")
                        .addObject()
                        .put("datasetUserAccessRight", "ReadWriteReshareExplore")
                        .put("identifier", d.configuredBy())
                        .put("principalType", "User");
            }
        }
        json.putArray("dataflows");
        json.putArray("datamarts");
        if (o.getArtifactUsers()) {
            ArrayNode users = json.putArray("users");
            users.addObject()
                    .put("groupUserAccessRight", "Admin")
                    .put("emailAddress", SandboxConfig.DatasetConfig.DEFAULT_CONFIGURED_BY)
                    .put("displayName", "Sandbox Admin")
                    .put("identifier", SandboxConfig.DatasetConfig.DEFAULT_CONFIGURED_BY)
                    .put("principalType", "User");
            for (String member : w.members().stream().sorted().toList()) {
                App app = caller.tenant().app(member).orElse(null);
                ObjectNode u = users.addObject();
                u.put("groupUserAccessRight", "Member");
                u.put("displayName", app == null ? member : app.displayName());
                u.put("identifier", member);
                if (app != null) {
                    u.put("graphId", app.objectId());
                }
                u.put("principalType", "App");
            }
        }
        return json;
    }

    // ------------------------------------------------------------------ groups

    private void groups(SandboxExchange ex, Caller caller) throws IOException {
        String tenantId = caller.tenant().id();
        LimitsConfig limits = api.limits();
        if (limits.enabled()) {
            // both windows (50 per hour, 15 per minute) must have room; only then the call counts in both
            long now = System.nanoTime();
            RateWindow hour = api.adminWindow("groups/hour|" + tenantId);
            RateWindow minute = api.adminWindow("groups/minute|" + tenantId);
            synchronized (hour) {
                long wait = Math.max(
                        hour.waitTime(now, limits.windowNanos(3600), limits.adminGroupsPerHour(), 1),
                        minute.waitTime(now, limits.windowNanos(60), limits.adminGroupsPerMinute(), 1));
                if (wait > 0) {
                    throw throttled("groups|" + tenantId, wait);
                }
                hour.tryAcquire(now, limits.windowNanos(3600), limits.adminGroupsPerHour(), 1);
                minute.tryAcquire(now, limits.windowNanos(60), limits.adminGroupsPerMinute(), 1);
            }
        }
        String top = ex.query("$top");
        if (top == null || top.isBlank()) {
            // guess: documented as required, unverified answer
            throw bad("The $top query parameter is required (1 to 5000).");
        }
        int n;
        try {
            n = Integer.parseInt(top.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 5000) {
            throw bad("Invalid $top '" + top + "': it must be between 1 and 5000.");
        }
        Set<String> expand = new LinkedHashSet<>();
        String expandParam = ex.query("$expand");
        if (expandParam != null && !expandParam.isBlank()) {
            for (String e : expandParam.split(",")) {
                String key = e.trim();
                if (!EXPANDABLE.contains(key)) {
                    throw bad("Invalid $expand '" + key + "': use users, reports, dashboards, datasets, dataflows "
                            + "or workbooks.");
                }
                expand.add(key);
            }
        }
        ODataQuery query = ODataQuery.from(ex, GROUP_PROPERTIES);
        List<Workspace> page = query.apply(caller.tenant().workspaces(), PowerBiAdminApi::groupProperties);
        Instant now = api.now();
        ObjectNode body = Json.object();
        body.put("@odata.context", PowerBiApi.odataContext(ex, "groups"));
        ArrayNode value = body.putArray("value");
        for (Workspace w : page) {
            ObjectNode json = value.addObject();
            json.put("id", w.id());
            json.put("isReadOnly", w.isReadOnly());
            json.put("isOnDedicatedCapacity", w.isOnDedicatedCapacity());
            if (w.capacityId() != null) {
                json.put("capacityId", w.capacityId());
            }
            json.put("type", w.type());
            json.put("state", w.state());
            json.put("name", w.name());
            if (expand.contains("users")) {
                ArrayNode users = json.putArray("users");
                w.members().stream()
                        .sorted()
                        .forEach(m -> users.addObject()
                                .put("groupUserAccessRight", "Member")
                                .put("identifier", m)
                                .put("principalType", "App"));
            }
            if (expand.contains("reports")) {
                ArrayNode reports = json.putArray("reports");
                w.visibleReports(now).forEach(r -> reports.add(reportJson(r)));
            }
            if (expand.contains("datasets")) {
                ArrayNode datasets = json.putArray("datasets");
                w.visibleDatasets(now).forEach(d -> datasets.add(DatasetsApi.toJson(d)));
            }
            for (String empty : List.of("dashboards", "dataflows", "workbooks")) {
                if (expand.contains(empty)) {
                    json.putArray(empty);
                }
            }
        }
        ex.sendJson(200, body);
    }

    private static ObjectNode reportJson(Report r) {
        ObjectNode json = Json.object();
        json.put("id", r.id());
        json.put("reportType", r.reportType());
        json.put("name", r.name());
        json.put("webUrl", "https://app.powerbi.com/groups/" + r.workspaceId() + "/reports/" + r.id());
        if (r.datasetId() != null) {
            json.put("datasetId", r.datasetId());
        }
        return json;
    }

    static Function<String, Object> groupProperties(Workspace w) {
        return name -> switch (name) {
            case "id" -> w.id();
            case "name" -> w.name();
            case "isReadOnly" -> w.isReadOnly();
            case "isOnDedicatedCapacity" -> w.isOnDedicatedCapacity();
            case "capacityId" -> w.capacityId();
            case "type" -> w.type();
            case "state" -> w.state();
            default -> null;
        };
    }

    private static boolean bool(SandboxExchange ex, String name) {
        String v = ex.query(name);
        return v != null && v.trim().equalsIgnoreCase("true");
    }
}
