package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpowerbi.InvalidOptionException;
import io.camelpowerbi.operations.CommitMode;
import io.camelpowerbi.operations.ExportFormat;
import io.camelpowerbi.operations.NameConflict;
import io.camelpowerbi.operations.RefreshType;
import io.camelpowerbi.push.Format;
import io.camelpowerbi.push.InvalidRowPolicy;
import io.camelpowerbi.sandbox.testing.PowerBiSandbox;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Option values the Camel way: every duration is a {@code java.time.Duration} that takes Camel's forms ({@code 30s},
 * {@code 1m30s}, ISO-8601 {@code PT30S}, plain milliseconds) alike in a URI, in YAML {@code parameters:} and in
 * {@code camel.component.powerbi.*} properties; every option with a fixed set of values is an enum, listed as such in the
 * catalog and matched ignoring case.
 */
class OptionValuesTest extends CamelTestSupport {

    @RegisterExtension
    static PowerBiSandbox powerBi = PowerBiSandbox.create();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return powerBi.configure(super.createCamelContext());
    }

    @Override
    public void configureTest(TestExecutionConfiguration testConfiguration) {
        super.configureTest(testConfiguration);
        testConfiguration.withAutoStartContext(false); // the YAML test loads its route first
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "30s, PT30S",
        "PT30S, PT30S",
        "pt30s, PT30S",
        "1500, PT1.5S",
        "1500ms, PT1.5S",
        "1m30s, PT1M30S",
        "2h, PT2H",
        "1d, PT24H",
        "P1D, PT24H"
    })
    void aDurationInAUri(String text, Duration expected) {
        PowerBiConfiguration c = context.getEndpoint(
                        "powerbi:refreshDataset?pollInterval=" + text + "&waitTimeout="
                                + text + "&lag=" + text + "&maxRetryAfter=" + text + "&connectTimeout=" + text
                                + "&tokenRefreshMargin="
                                + text + "&scanPollInterval=" + text,
                        PowerBiEndpoint.class)
                .getConfiguration();
        assertEquals(
                List.of(expected, expected, expected, expected, expected, expected, expected),
                List.of(
                        c.getPollInterval(),
                        c.getWaitTimeout(),
                        c.getLag(),
                        c.getMaxRetryAfter(),
                        c.getConnectTimeout(),
                        c.getTokenRefreshMargin(),
                        c.getScanPollInterval()));
    }

    /** YAML's unquoted 1500 is an integer, its quoted one a string: both are milliseconds. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"30s|PT30S", "PT30S|PT30S", "1500|PT1.5S", "'1500'|PT1.5S", "1m30s|PT1M30S"})
    void aDurationInYamlParameters(String yaml, Duration expected) throws Exception {
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.fromString("durations.camel.yaml", """
                - route:
                    from:
                      uri: direct:refresh
                      steps:
                        - to:
                            uri: powerbi:refreshDataset
                            parameters: { workspace: Finance, pollInterval: %1$s, waitTimeout: %1$s, lag: %1$s,
                                          maxRetryAfter: %1$s, progressInterval: %1$s }
                """.formatted(yaml)));
        context.start(); // the route starts: every value was taken
        PowerBiConfiguration c = context.getEndpoints().stream()
                .filter(PowerBiEndpoint.class::isInstance)
                .map(e -> ((PowerBiEndpoint) e).getConfiguration())
                .findFirst()
                .orElseThrow();
        assertEquals(
                List.of(expected, expected, expected, expected, expected),
                List.of(
                        c.getPollInterval(),
                        c.getWaitTimeout(),
                        c.getLag(),
                        c.getMaxRetryAfter(),
                        c.getProgressInterval()));
    }

    /** As camel-main binds them (the runner, Camel JBang, an application's properties), dashed names and camelCase. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"30s, PT30S", "PT30S, PT30S", "1500, PT1.5S", "1h30m, PT1H30M"})
    void aDurationInComponentProperties(String text, Duration expected) throws Exception {
        Main main = new Main();
        PowerBiComponent sandboxed = new PowerBiComponent();
        powerBi.configure(sandboxed.getConfiguration()); // so that its endpoints start
        main.bind("powerbi", sandboxed);
        main.addInitialProperty("camel.component.powerbi.poll-interval", text);
        main.addInitialProperty("camel.component.powerbi.maxRetryAfter", text);
        main.addInitialProperty("camel.component.powerbi.lag", text);
        main.addInitialProperty("camel.component.powerbi.response-timeout", text);
        main.start();
        try {
            PowerBiConfiguration c = main.getCamelContext()
                    .getComponent("powerbi", PowerBiComponent.class)
                    .getConfiguration();
            assertEquals(
                    List.of(expected, expected, expected, expected),
                    List.of(c.getPollInterval(), c.getMaxRetryAfter(), c.getLag(), c.getResponseTimeout()));
            // and each endpoint starts from them
            PowerBiConfiguration e = main.getCamelContext()
                    .getEndpoint("powerbi:exportReport", PowerBiEndpoint.class)
                    .getConfiguration();
            assertEquals(expected, e.getPollInterval());
        } finally {
            main.stop();
        }
    }

    /** Camel itself would read a word as 0 ms; the component reads the property again and refuses it at start. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "camel.component.powerbi.lag, lag",
        "camel.component.powerbi.max-retry-after, maxRetryAfter",
        "camel.component.powerbi.tokenRefreshMargin, tokenRefreshMargin"
    })
    void aWordInComponentPropertiesFailsTheStart(String property, String option) {
        Main main = new Main();
        main.bind("powerbi", new PowerBiComponent());
        main.addInitialProperty(property, "later");
        try {
            Exception e = assertThrows(Exception.class, main::start);
            InvalidOptionException invalid = null;
            for (Throwable t = e; t != null; t = t.getCause()) {
                invalid = t instanceof InvalidOptionException i ? i : invalid;
            }
            assertNotNull(invalid, "the start failed for the option: " + e);
            assertEquals(option, invalid.option());
            assertEquals(
                    option + ": 'later' is not a duration. Fix: " + PowerBiConfiguration.DURATION_FORMS + ".",
                    invalid.getMessage());
        } finally {
            main.stop();
        }
    }

    @Test
    void enumsAreConvertedIgnoringCase() {
        PowerBiConfiguration c = context.getEndpoint(
                        "powerbi:pushRows?format=csv&invalidRowPolicy=skip"
                                + "&exportFormat=accessiblepdf&refreshType=dataonly&commitMode=partialBatch&nameConflict=createOrOverwrite",
                        PowerBiEndpoint.class)
                .getConfiguration();
        assertEquals(Format.CSV, c.getFormat());
        assertEquals(InvalidRowPolicy.SKIP, c.getInvalidRowPolicy());
        assertEquals(ExportFormat.ACCESSIBLEPDF, c.getExportFormat());
        assertEquals(RefreshType.DataOnly, c.getRefreshType());
        assertEquals(CommitMode.PartialBatch, c.getCommitMode());
        assertEquals(NameConflict.CreateOrOverwrite, c.getNameConflict());
    }

    /**
     * The catalog (what IDEs, Kaoto and camel-catalog validation read) says it too: an enum option is of type enum with
     * its constants as values, a Duration option of type duration; and no option is a number or text holding a time
     * in a unit of its own, nor a text with a fixed list of values. Options added later follow, or this fails.
     */
    @Test
    void theCatalogListsEnumsAndDurations() throws Exception {
        JsonNode catalog;
        try (InputStream in =
                PowerBiComponent.class.getResourceAsStream("/META-INF/io/camelpowerbi/component/powerbi.json")) {
            catalog = new ObjectMapper().readTree(in);
        }
        JsonNode properties = catalog.path("properties");
        List<String> wrong = new ArrayList<>();
        for (Field f : PowerBiConfiguration.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            JsonNode option = properties.path(f.getName());
            assertFalse(option.isMissingNode(), f.getName() + " is not in the catalog");
            if (f.getType().isEnum()) {
                List<String> values = new ArrayList<>();
                option.path("enum").forEach(v -> values.add(v.asText()));
                List<String> constants = Arrays.stream(f.getType().getEnumConstants())
                        .map(e -> ((Enum<?>) e).name())
                        .toList();
                if (!"enum".equals(option.path("type").asText()) || !values.equals(constants)) {
                    wrong.add(f.getName() + ": an enum, but the catalog says " + option.path("type") + " " + values);
                }
            } else if (f.getType() == Duration.class) {
                if (!"duration".equals(option.path("type").asText())) {
                    wrong.add(f.getName() + ": a Duration, but the catalog says " + option.path("type"));
                }
            } else if (f.getType() != boolean.class && f.getType() != Boolean.class) {
                String name = f.getName().toLowerCase(Locale.ROOT);
                if (name.matches(
                        ".*(seconds|millis|ms|minutes|timeout|interval|period|duration|delay|lag|margin|retryafter)")) {
                    wrong.add(f.getName() + ": a time as " + f.getType().getSimpleName()
                            + "; make it a java.time.Duration");
                }
                if (option.has("enum")) {
                    wrong.add(f.getName() + ": a " + f.getType().getSimpleName()
                            + " with a fixed set of values; make it" + " an enum");
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals("duration", properties.path("pollInterval").path("type").asText()); // the check above saw them
    }
}
