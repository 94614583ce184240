package io.camelpowerbi.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.camelpowerbi.component.PowerBiComponent;
import io.camelpowerbi.sandbox.Sandbox;
import io.camelpowerbi.sandbox.SandboxConfig;
import io.camelpowerbi.sandbox.testing.LocalSandbox;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's {@code csv} data format ({@code marshal: csv: {}}), through the shipped routes/dax-to-csv.camel.yaml
 * against the sandbox: rows pushed with text a spreadsheet would run as a formula come back from DAX and are written
 * escaped (OWASP "CSV Injection"); numbers stay numbers; escaping can be turned off; camel-csv's option names work.
 */
class CsvDataFormatTest {

    /** Cells a spreadsheet would run, one per OWASP's list of leading characters. */
    private static final List<String> FORMULAS = List.of(
            "=HYPERLINK(\"http://evil.example\",\"click\")", "+SUM(1,2)", "-2+3", "@SUM(A1:A2)", "\tTAB", "\rCR");

    @TempDir
    static Path dir;

    static Sandbox sandbox;

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = Sandbox.start(SandboxConfig.defaults().with(SandboxConfig::stateDir, dir.resolve("sandbox")));
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @Test
    void theDaxRouteWritesFormulaTextEscapedAndNumbersAsNumbers() throws Exception {
        Path data = dir.resolve("escaped");
        try (CamelContext context = context(data, "EVALUATE TOPN(100, 'Orders', 'Orders'[OrderId], ASC)")) {
            pushOrders(context);
            loadRoute(context, Files.readString(Path.of("routes", "dax-to-csv.camel.yaml")));
            context.getRouteController().startRoute("dax-to-csv");
            List<List<String>> lines = read(awaitFile(data.resolve("out")));

            assertEquals(
                    List.of("OrderId", "OrderedAt", "Customer", "Region", "Product", "Quantity", "UnitPrice", "Paid"),
                    lines.get(0),
                    "header: the result's columns in order");
            assertEquals(FORMULAS.size() + 1, lines.size() - 1, "one line per row");
            for (int i = 0; i < FORMULAS.size(); i++) {
                List<String> row = lines.get(i + 1);
                assertEquals("'" + FORMULAS.get(i), row.get(2), "Customer of order " + (i + 1));
                assertEquals(String.valueOf(-(i + 1)), row.get(5), "a negative number is not text: not escaped");
            }
            List<String> plain = lines.get(FORMULAS.size() + 1);
            assertEquals("Plain, with \"quotes\"", plain.get(2), "ordinary text is left alone (RFC 4180 quoting)");
            assertEquals(0, new BigDecimal(plain.get(6)).compareTo(new BigDecimal("12.50")), "a decimal: " + plain);
        }
    }

    @Test
    void escapingCanBeTurnedOffAndCamelCsvOptionsApply() throws Exception {
        Path data = dir.resolve("raw");
        try (CamelContext context = context(data, "EVALUATE 'Orders'")) {
            pushOrders(context);
            loadRoute(context, """
                    - beans:
                        - name: rawCsv
                          type: io.camelpowerbi.app.JacksonCsvDataFormat
                          properties: { escapeFormulas: false }
                    - route:
                        id: raw
                        from:
                          uri: direct:raw
                          steps:
                            - marshal: { custom: { ref: rawCsv } }
                    - route:
                        id: semicolons
                        from:
                          uri: direct:semicolons
                          steps:
                            - marshal: { csv: { delimiter: ";", header: "Quantity,Customer", quoteMode: ALL } }
                    """);
            ProducerTemplate template = context.createProducerTemplate();
            Object rows = template.requestBody(
                    "powerbi:executeQuery?workspace=Sales Analytics&dataset=Sales" + "&stripTableNames=true",
                    "EVALUATE TOPN(100, 'Orders', 'Orders'[OrderId], ASC)");

            List<List<String>> raw = read(template.requestBody("direct:raw", rows, String.class));
            for (int i = 0; i < FORMULAS.size(); i++) {
                assertEquals(FORMULAS.get(i), raw.get(i + 1).get(2), "escapeFormulas=false writes the text as it is");
            }

            String semicolons = template.requestBody("direct:semicolons", rows, String.class);
            assertTrue(semicolons.startsWith("\"Quantity\";\"Customer\"\r\n\"-1\";\"'=HYPERLINK("), semicolons);
        }
    }

    @Test
    void anOptionOfCamelCsvThatIsNotSupportedFailsTheRouteAtStartNamingIt() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            loadRoute(context, """
                    - route:
                        from:
                          uri: direct:in
                          steps:
                            - marshal: { csv: { commentMarker: "#" } }
                    """);
            Exception e = assertThrows(Exception.class, context::start);
            assertTrue(causes(e).contains("commentMarker"), causes(e));
        }
    }

    @Test
    void unmarshalsLinesOrRowsKeyedByTheHeaderLine() throws Exception {
        try (CamelContext context = new DefaultCamelContext()) {
            loadRoute(context, """
                    - route:
                        from:
                          uri: direct:lists
                          steps:
                            - unmarshal: { csv: {} }
                    - route:
                        from:
                          uri: direct:maps
                          steps:
                            - unmarshal: { csv: { useMaps: true, delimiter: ";" } }
                    """);
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            assertEquals(
                    List.of(List.of("a", "b"), List.of("1", "x,y")),
                    template.requestBody("direct:lists", "a,b\r\n1,\"x,y\"\r\n", List.class));
            assertEquals(
                    List.of(Map.of("a", "1", "b", "2"), Map.of("a", "3", "b", "4")),
                    template.requestBody("direct:maps", "a;b\n1;2\n\n3;4\n", List.class));
        }
    }

    private static CamelContext context(Path data, String query) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties p = new Properties();
        p.setProperty("powerbi.workspace", "Sales Analytics");
        p.setProperty("powerbi.dax.dataset", "Sales");
        p.setProperty("powerbi.dax.query", query);
        p.setProperty("powerbi.data.dir", data.toString());
        context.getPropertiesComponent().setInitialProperties(p);
        PowerBiComponent powerbi = new PowerBiComponent();
        new LocalSandbox(sandbox).configure(powerbi.getConfiguration());
        context.addComponent("powerbi", powerbi);
        context.start();
        return context;
    }

    /** Orders 1..6 with a formula as customer and a negative quantity, and one ordinary order. */
    private static void pushOrders(CamelContext context) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < FORMULAS.size(); i++) {
            rows.add(order(i + 1, FORMULAS.get(i), -(i + 1)));
        }
        rows.add(order(FORMULAS.size() + 1, "Plain, with \"quotes\"", 4));
        ProducerTemplate template = context.createProducerTemplate();
        template.sendBody(
                "powerbi:ensureDataset?workspace=Sales Analytics" + "&datasetDefinition=config/datasets/sales.yaml",
                null);
        template.requestBody("powerbi:deleteRows?workspace=Sales Analytics&dataset=Sales&table=Orders", (Object) null);
        template.requestBody(
                "powerbi:pushRows?workspace=Sales Analytics&dataset=Sales&table=Orders"
                        + "&datasetDefinition=config/datasets/sales.yaml",
                rows);
    }

    private static Map<String, Object> order(int id, String customer, int quantity) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("OrderId", id);
        row.put("OrderedAt", "2026-01-0" + Math.min(id, 9) + "T10:00:00Z");
        row.put("Customer", customer);
        row.put("Region", "North");
        row.put("Product", "Bike");
        row.put("Quantity", quantity);
        row.put("UnitPrice", "12.50");
        row.put("Paid", true);
        return row;
    }

    private static void loadRoute(CamelContext context, String yaml) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("test.camel.yaml", yaml));
    }

    private static Path awaitFile(Path dir) {
        return await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> {
                            if (!Files.isDirectory(dir)) {
                                return null;
                            }
                            try (Stream<Path> s = Files.list(dir)) {
                                return s.filter(p -> p.toString().endsWith(".csv"))
                                        .findFirst()
                                        .orElse(null);
                            }
                        },
                        f -> f != null);
    }

    private static List<List<String>> read(Path file) throws Exception {
        return read(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Reads CSV with Jackson's parser, independently of the data format under test. */
    private static List<List<String>> read(String csv) throws Exception {
        List<List<String>> lines = new ArrayList<>();
        try (MappingIterator<List<String>> it = new CsvMapper()
                .readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(csv)) {
            it.forEachRemaining(lines::add);
        }
        return lines;
    }

    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
