package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.sandbox.testing.PowerBiSandbox;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A route with an option that cannot work does not start: the context's start fails with an
 * {@link InvalidOptionException} naming the option and the fix, before any message, for each kind of mistake: a value
 * the option does not take, a number out of range, options that contradict each other, an operation on the wrong side.
 */
class OptionsAtStartTest extends CamelTestSupport {

    @RegisterExtension
    static PowerBiSandbox powerBi = PowerBiSandbox.create();

    @TempDir
    static Path dir;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return powerBi.configure(super.createCamelContext());
    }

    @Override
    public void configureTest(TestExecutionConfiguration testConfiguration) {
        super.configureTest(testConfiguration);
        testConfiguration.withAutoStartContext(false); // each test adds its route, then starts
    }

    /** Starts the context with {@code routes}; the start must fail for an option. */
    InvalidOptionException startFails(RouteBuilder routes) throws Exception {
        context.addRoutes(routes);
        Exception e = assertThrows(Exception.class, context::start);
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidOptionException invalid) {
                assertTrue(e.getMessage().contains(invalid.option()), "the start failure names the option: " + e);
                assertFalse(context.isStarted());
                return invalid;
            }
        }
        throw new AssertionError("the start did not fail for an option", e);
    }

    InvalidOptionException producerFails(String operationAndOptions) throws Exception {
        return startFails(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("powerbi:" + operationAndOptions);
            }
        });
    }

    InvalidOptionException consumerFails(String operationAndOptions) throws Exception {
        return startFails(new RouteBuilder() {
            @Override
            public void configure() {
                from("powerbi:" + operationAndOptions).to("log:never");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "pushRows?format=XML|format|'XML' is not a value it takes. Fix: use one of AUTO, JSON, NDJSON, CSV.",
                "pushRows?invalidRowPolicy=IGNORE|invalidRowPolicy|Fix: use one of FAIL, SKIP.",
                "exportReport?exportFormat=DOC|exportFormat|Fix: use one of PDF, PPTX, PNG, IMAGE, XLSX",
                "refreshDataset?refreshType=Incremental|refreshType|Fix: use one of Full, ClearValues, Calculate",
                "refreshDataset?pollInterval=soon|pollInterval|'soon' is not a duration. Fix: give a duration such as 30s, 1m30s, 2h, PT30S or milliseconds",
                "refreshDataset?waitTimeout=1 hour|waitTimeout|Fix: give a duration such as 30s",
                "pushRows?batchSize=lots|batchSize|Fix: give a whole number.",
                "pushRows?charset=utf-9|charset|'utf-9' is not a character set this JVM knows",
                "listWorkspaces?tokenHosts=*.powerbi.com|tokenHosts|'*.powerbi.com' is not a host entry",
                "call?path=/groups%0AX-Injected: 1|path|holds a line break"
            })
    void aValueTheOptionDoesNotTake(String uri, String option, String message) throws Exception {
        InvalidOptionException e = producerFails(uri);
        assertEquals(option, e.option());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertNotNull(e.fix());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "pushRows?batchSize=20000|batchSize|must be 1 to 10000",
                "pushRows?maxPendingRequests=0|maxPendingRequests|must be at least 1, was 0",
                "refreshHistory?top=0|top|must be at least 1, was 0",
                "refreshDataset?pollInterval=0|pollInterval|must be longer than zero, was PT0S",
                "refreshDataset?maxParallelism=0|maxParallelism|must be at least 1",
                "refreshDataset?refreshTimeout=25h|refreshTimeout|between 1 s and 24 h",
                "listWorkspaces?maxAttempts=0|maxAttempts|must be at least 1",
                "listWorkspaces?proxyHost=proxy&proxyPort=70000|proxyPort|must be 1 to 65535",
                "listWorkspaces?connectTimeout=0s|connectTimeout|must be longer than zero"
            })
    void aNumberOutOfRange(String uri, String option, String message) throws Exception {
        InvalidOptionException e = producerFails(uri);
        assertEquals(option, e.option());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "pushRows?maxRowsPerHour=5000|batchSize|a batch of 10000 rows can never be sent within maxRowsPerHour=5000",
                "refreshDataset?commitMode=PartialBatch&applyRefreshPolicy=true|applyRefreshPolicy|must be false with commitMode PartialBatch",
                "exportReport?exportFormat=XLSX|exportFormat|XLSX is not available for Power BI reports. Fix: use PDF, PPTX or PNG, or set paginated=true",
                "exportReport?exportFormat=PNG&paginated=true|exportFormat|PNG is not available for paginated reports",
                "exportReport?paginated=true&exportFormat=XLSX&pages=ReportSection1|pages|apply to Power BI reports",
                "exportReport?parameterValues=Year|parameterValues|'Year' is not a name=value pair"
            })
    void optionsThatContradictEachOther(String uri, String option, String message) throws Exception {
        InvalidOptionException e = producerFails(uri);
        assertEquals(option, e.option());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /** Checked whatever the endpoint's operation: a message may name another with CamelPowerBiOperation. */
    @Test
    void anOptionOfAnotherOperationIsCheckedToo() throws Exception {
        assertEquals(
                "scanBatchSize",
                producerFails("listWorkspaces?scanBatchSize=101").option());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "activityEvents?startFrom=yesterday|startFrom|'yesterday' is neither an ISO instant nor a duration",
                "activityEvents?lag=later|lag|give a duration such as 30s",
                "activityEvents?maxWindowsPerPoll=0|maxWindowsPerPoll|must be at least 1",
                "activityEvents?checkpointId=a=b|checkpointId|holds '='",
                "scan?scanBatchSize=101|scanBatchSize|must be 1 to 100",
                "scan?maxScansInFlight=17|maxScansInFlight|must be 1 to 16",
                "scan?scanPollInterval=nonsense|scanPollInterval|give a duration such as 30s",
                "scan?modifiedSince=2026-13-01|modifiedSince|is neither an ISO instant nor a duration",
                "refreshes?workspace=Finance&endedAfter=then|endedAfter|is neither an ISO instant nor a duration",
                "refreshes?workspace=Finance&datasetPattern=Sales(|datasetPattern|is not a regular expression",
                "refreshes?workspace=Finance&dataset=Sales&datasetPattern=S.*|datasetPattern|both dataset and datasetPattern are set",
                "refreshes?top=5|workspace|watches the datasets of one workspace"
            })
    void aConsumerOptionThatCannotWork(String uri, String option, String message) throws Exception {
        InvalidOptionException e = consumerFails(uri);
        assertEquals(option, e.option());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"activityEvents", "refreshes", "scan"})
    void aConsumerInTo(String operation) throws Exception {
        InvalidOptionException e = producerFails(operation + "?workspace=Finance");
        assertEquals("operation", e.option());
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "operation: powerbi:" + operation + " is a consumer: it polls in from:,"
                                        + " nothing can be sent to it. Fix: use it in from:; in to: use a producer operation (pushRows,"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"pushRows", "refreshDataset", "listWorkspaces", "call"})
    void aProducerInFrom(String operation) throws Exception {
        InvalidOptionException e = consumerFails(operation);
        assertEquals("operation", e.option());
        assertTrue(
                e.getMessage()
                        .startsWith("operation: powerbi:" + operation + " is a producer: it is sent to in to:,"
                                + " it does not poll. Fix: use it in to:; in from: use a consumer operation (activityEvents, refreshes,"
                                + " scan)."),
                e.getMessage());
    }

    /** The same options, well set, start (the failures above are theirs, not the routes'). */
    @Test
    void theRoutesStartWithGoodValues() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:push").to("powerbi:pushRows?format=csv&batchSize=5000&maxRowsPerHour=5000");
                from("direct:refresh")
                        .to("powerbi:refreshDataset?refreshType=Full&commitMode=PartialBatch"
                                + "&applyRefreshPolicy=false&refreshTimeout=2h&pollInterval=500ms&maxParallelism=2");
                from("direct:export")
                        .to("powerbi:exportReport?exportFormat=XLSX&paginated=true" + "&parameterValues=Year=2025");
                from("powerbi:scan?scanBatchSize=100&maxScansInFlight=16&modifiedSince=7d&initialDelay=3600000"
                                + "&stateFile=" + dir.resolve("scan.dat"))
                        .to("log:scan");
                from("powerbi:refreshes?workspace=Finance&endedAfter=2026-01-01T00:00:00Z&initialDelay=3600000"
                                + "&stateFile=" + dir.resolve("refreshes.dat"))
                        .to("log:refreshes");
            }
        });
        context.start();
        assertTrue(context.isStarted());
        assertEquals(5, context.getRoutes().size());
    }
}
