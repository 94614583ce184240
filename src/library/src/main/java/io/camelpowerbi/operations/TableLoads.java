package io.camelpowerbi.operations;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.client.Idempotency;
import io.camelpowerbi.client.PathSegment;
import io.camelpowerbi.client.PowerBiClient;
import io.camelpowerbi.client.PowerBiRequest;
import io.camelpowerbi.client.PowerBiResponse;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's Load Table ({@code POST /v1/workspaces/{w}/lakehouses/{l}/tables/{table}/load}, a preview API) and the
 * long-running operation it starts, followed to its end.
 *
 * <p>The answer is 202 with {@code Location}, {@code x-ms-operation-id} and {@code Retry-After}; the operation is polled
 * at the {@code Location} exactly as Fabric returned it (which need not carry {@code /v1}, as Microsoft's examples
 * show), each answer's {@code Location} replacing the last, waiting {@code Retry-After} between polls (else the poll
 * interval), until {@code Succeeded} or {@code Failed} (Microsoft Learn, "Long running operations"). An API answering
 * 200 or 201 has finished already. Fabric has no call to cancel an operation, so one that outlives the wait is left
 * running and reported with its id ({@link OperationTimeoutException#jobId()}, readable with {@link #operation}).
 *
 * <p>Idempotency: an Overwrite load sent twice leaves the table as once (replaced by the same file), so it is resent
 * after a lost answer; an Append sent twice would add the rows twice, and Fabric has no list of operations to look for
 * the one a lost answer started, so after an ambiguous failure it is not resent and the call fails with
 * {@link io.camelpowerbi.client.PowerBiOutcomeUnknownException} (the file stays in OneLake: check the table, then load
 * it again). A 429 or a refused connection is retried, as the request provably was not processed.
 */
public final class TableLoads {

    /** Fabric's {@code tableName} pattern (lakehouse swagger, Tables_LoadTable). */
    private static final Pattern TABLE = Pattern.compile("^(?=[0-9]*[a-zA-Z_])[a-zA-Z0-9_]{1,256}$");

    private static final Logger LOG = LoggerFactory.getLogger(TableLoads.class);

    private final PowerBiClient fabric;
    private final Poller poller;

    public TableLoads(PowerBiClient fabric, Poller poller) {
        this.fabric = Objects.requireNonNull(fabric, "fabric");
        this.poller = Objects.requireNonNull(poller, "poller");
    }

    /**
     * Checks a table name against Fabric's rule: letters, digits and underscores, at most 256, not digits only.
     *
     * @throws InvalidOptionException naming {@code option}
     */
    public static String checkTable(String table, String option) {
        if (table == null || !TABLE.matcher(table).matches()) {
            throw new InvalidOptionException(
                    option,
                    "'" + table + "' is not a Lakehouse table name Fabric's Load Table " + "takes",
                    "use letters, digits and underscores (at most 256, not digits only), e.g. Orders or "
                            + "sales_orders");
        }
        return table;
    }

    /**
     * Loads {@code request} into {@code table} and, with a {@code timeout}, waits for the operation to end.
     *
     * @param pollInterval between polls when Fabric sends no {@code Retry-After}
     * @param timeout      how long to wait; null to return right after the start
     * @throws LoadTableFailedException    the operation ended Failed
     * @throws OperationTimeoutException   it was still running after {@code timeout} (it goes on: Fabric cannot cancel
     *                                     it)
     * @throws InvalidOptionException      a table name Fabric refuses, a lakehouse created with schemas, or a folder
     *                                     without a format
     */
    public LoadTableResult load(
            LakehouseRef lakehouse, String table, LoadTableRequest request, Duration pollInterval, Duration timeout) {
        checkTable(table, "table");
        if (lakehouse.schemaEnabled()) {
            throw new InvalidOptionException(
                    "lakehouse",
                    "'" + lakehouse.displayName() + "' was created with schemas "
                            + "(default schema " + lakehouse.defaultSchema()
                            + "), and Fabric's Load Table API does not take such"
                            + " a lakehouse (UnsupportedOperationForSchemasEnabledLakehouse)",
                    "load into a lakehouse created " + "without schemas");
        }
        if (request.folder() && request.format() == LoadFormat.AUTO) {
            throw new InvalidOptionException(
                    "loadFormat",
                    "a folder (" + request.relativePath() + ") has no extension " + "to tell its format by",
                    "set loadFormat to CSV or PARQUET");
        }
        String path = "/workspaces/" + PathSegment.encode(lakehouse.workspaceId()) + "/lakehouses/"
                + PathSegment.encode(lakehouse.id()) + "/tables/" + PathSegment.encode(table) + "/load";
        // Overwrite twice = once; Append twice = the rows twice (and Fabric lists no operations to reconcile by)
        PowerBiRequest post = PowerBiRequest.json(
                        "POST",
                        path,
                        Map.of(),
                        Api.bytes(request.toJson()),
                        "table '" + table + "' of lakehouse " + lakehouse.displayName())
                .with(request.mode() == LoadMode.Overwrite ? Idempotency.IDEMPOTENT : Idempotency.NOT_IDEMPOTENT);
        Poller.Deadline deadline = timeout == null ? null : poller.deadline(timeout);
        PowerBiResponse started = fabric.send(post);
        String operationId = started.header("x-ms-operation-id");
        if (started.status() != 202) {
            // "the API may also answer 200 or 201 when the operation is already complete"
            LOG.info(
                    "Fabric loaded {} into table '{}' at once (HTTP {})",
                    request.relativePath(),
                    table,
                    started.status());
            return new LoadTableResult(
                    lakehouse.workspaceId(),
                    lakehouse.id(),
                    table,
                    request.relativePath(),
                    request.mode(),
                    operationId,
                    new OperationState(operationId, OperationState.SUCCEEDED, null, null, 100, null, null));
        }
        if (operationId == null && started.header("Location") == null) {
            throw new PowerBiOperationException(
                    "Fabric accepted the load of " + request.relativePath() + " into table '" + table
                            + "' (HTTP 202) without a Location or x-ms-operation-id, so it cannot be followed");
        }
        LOG.info(
                "Fabric accepted the load of {} into table '{}' of lakehouse {} as operation {}",
                request.relativePath(),
                table,
                lakehouse.displayName(),
                operationId);
        OperationState state = new OperationState(operationId, "NotStarted", null, null, 0, null, null);
        if (deadline != null) {
            state = await(
                    operationId,
                    started,
                    pollInterval,
                    deadline,
                    "the load of " + request.relativePath() + " into table '" + table + "'");
            if (!state.succeeded()) {
                throw new LoadTableFailedException(
                        "Fabric could not load " + request.relativePath() + " into table '"
                                + table + "' of lakehouse " + lakehouse.displayName() + " (operation " + operationId
                                + ", "
                                + state.errorCode() + "): " + state.errorMessage()
                                + ". Nothing was loaded; the file stays in "
                                + "OneLake.",
                        operationId,
                        state.errorCode());
            }
            LOG.info("operation {} succeeded: {} is in table '{}'", operationId, request.relativePath(), table);
        }
        return new LoadTableResult(
                lakehouse.workspaceId(),
                lakehouse.id(),
                table,
                request.relativePath(),
                request.mode(),
                operationId,
                state);
    }

    /** The state of operation {@code operationId} now ({@code GET /v1/operations/{id}}). */
    public OperationState operation(String operationId) {
        if (operationId == null || operationId.isBlank()) {
            throw new InvalidOptionException(
                    "operationId",
                    "no operation id is given",
                    "set the header " + "CamelPowerBiFabricOperationId to the x-ms-operation-id of the operation");
        }
        PowerBiResponse r = fabric.send(PowerBiRequest.get(
                "/operations/" + PathSegment.encode(operationId), Map.of(), "operation " + operationId));
        return OperationState.from(operationId, r.json());
    }

    /** Polls the operation at the {@code Location}s Fabric hands out until it ends or {@code deadline} passes. */
    private OperationState await(
            String operationId, PowerBiResponse started, Duration pollInterval, Poller.Deadline deadline, String what) {
        String next = started.header("Location") != null
                ? absolute(started.header("Location"))
                : "/operations/" + PathSegment.encode(operationId);
        Duration wait = waitAfter(started, pollInterval);
        OperationState last = null;
        while (true) {
            if (poller.expired(deadline)) {
                throw new OperationTimeoutException(
                        what + " (Fabric operation " + operationId + ") did not end within "
                                + deadline.timeout() + (last == null ? "" : "; it was " + last.status())
                                + ". Fabric has no call "
                                + "to cancel it, so it may still run: read its state with powerbi:getOperation and header "
                                + "CamelPowerBiFabricOperationId=" + operationId,
                        operationId,
                        last == null ? null : last.status(),
                        deadline.timeout());
            }
            poller.pause(wait, deadline);
            if (poller.expired(deadline)) {
                continue;
            }
            PowerBiResponse r = fabric.send(PowerBiRequest.get(next, Map.of(), "operation " + operationId));
            last = OperationState.from(operationId, r.json());
            LOG.debug("operation {}: {} ({}%)", operationId, last.status(), last.percentComplete());
            if (last.ended()) {
                return last;
            }
            if (r.header("Location") != null) {
                next = absolute(r.header("Location")); // as returned: the running state's need not carry /v1
            }
            wait = waitAfter(r, pollInterval);
        }
    }

    private Duration waitAfter(PowerBiResponse r, Duration pollInterval) {
        Duration retryAfter = r.retryAfter(poller.sleeper().now());
        return retryAfter != null ? retryAfter : pollInterval;
    }

    /** A Location as given when absolute; a relative one resolved against the API's base, not rewritten. */
    private String absolute(String location) {
        URI uri = URI.create(location.trim());
        return uri.isAbsolute()
                ? uri.toString()
                : URI.create(fabric.apiBaseUrl() + "/").resolve(uri).toString();
    }
}
