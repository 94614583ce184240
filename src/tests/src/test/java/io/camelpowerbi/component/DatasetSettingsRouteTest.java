package io.camelpowerbi.component;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.camelpowerbi.client.PowerBiException;
import io.camelpowerbi.sandbox.Dataset;
import io.camelpowerbi.sandbox.Sandbox;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * getParameters, updateParameters, getDatasources and takeOver from YAML routes against the sandbox's "Finance Model":
 * parameters change only for the owner, all or none, within the documented limitations.
 */
class DatasetSettingsRouteTest extends SandboxRouteTest {

    Dataset model;

    @BeforeEach
    void start() throws Exception {
        model = sandbox.dataset(Sandbox.DATASET_FINANCE_MODEL);
        routes("""
                - route:
                    from:
                      uri: direct:parameters
                      steps:
                        - to:
                            uri: powerbi:getParameters
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model" }
                - route:
                    from:
                      uri: direct:lastYear
                      steps:
                        - to:
                            uri: powerbi:updateParameters
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model",
                                          parameterValues: "Year=2025,IncludeForecast=TRUE" }
                - route:
                    from:
                      uri: direct:update
                      steps:
                        - to:
                            uri: powerbi:updateParameters
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model" }
                - route:
                    from:
                      uri: direct:takeOver
                      steps:
                        - to:
                            uri: powerbi:takeOver
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model" }
                - route:
                    from:
                      uri: direct:datasources
                      steps:
                        - to:
                            uri: powerbi:getDatasources
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model" }
                - route:
                    from:
                      uri: direct:schedule
                      steps:
                        - to:
                            uri: powerbi:getRefreshSchedule
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model" }
                - route:
                    from:
                      uri: direct:weekdayMornings
                      steps:
                        - setBody:
                            constant: '{"days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], "times": ["07:00", "12:30"], "enabled": true, "localTimeZoneId": "W. Europe Standard Time"}'
                        - to:
                            uri: powerbi:updateRefreshSchedule
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model" }
                - route:
                    from:
                      uri: direct:updateSchedule
                      steps:
                        - to:
                            uri: powerbi:updateRefreshSchedule
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model" }
                - route:
                    from:
                      uri: direct:bind
                      steps:
                        - to:
                            uri: powerbi:bindToGateway
                            parameters: { workspace: "Sales Analytics", dataset: "Finance Model",
                                          gateway: "1f69e798-5852-4fdd-ab01-33bb14b6e934" }
                """);
    }

    Map<String, String> values() {
        return model.parameters().stream()
                .collect(Collectors.toMap(
                        p -> p.get("name").asText(),
                        p -> p.path("currentValue").asText(),
                        (a, b) -> a,
                        LinkedHashMap::new));
    }

    @Test
    void theParametersAreListed() {
        Exchange e = ok(send("direct:parameters", null));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> parameters = e.getMessage().getBody(List.class);
        assertEquals(
                List.of("Server", "Year", "IncludeForecast", "Source"),
                parameters.stream().map(p -> p.get("name")).toList());
        assertEquals(
                Map.of(
                        "name",
                        "Year",
                        "type",
                        "Number",
                        "isRequired",
                        true,
                        "currentValue",
                        "2026",
                        "suggestedValues",
                        List.of("2025", "2026")),
                parameters.get(1));
        assertEquals(4, e.getMessage().getHeader(PowerBiConstants.RESULT_COUNT));
    }

    @Test
    void onlyTheOwnerChangesParametersSoTheRouteTakesTheDatasetOverFirst() {
        Map<String, String> before = values();

        Exchange refused = send("direct:lastYear", null);

        PowerBiException e = assertInstanceOf(PowerBiException.class, refused.getException());
        assertEquals(403, e.httpStatus());
        assertEquals(before, values());

        ok(send("direct:takeOver", null));
        ok(send("direct:lastYear", null));

        assertEquals(sandbox.devClientId(), model.configuredBy());
        assertEquals("2025", values().get("Year"));
        assertEquals("TRUE", values().get("IncludeForecast"));
        assertEquals(before.get("Server"), values().get("Server"), "the others are left alone");
    }

    @Test
    void aMapBodySetsParametersAndAValueOfTheWrongTypeChangesNone() {
        ok(send("direct:takeOver", null));
        Map<String, String> before = values();

        Exchange wrong = send("direct:update", Map.of("Server", "other.database.windows.net", "Year", "last year"));

        PowerBiException e = assertInstanceOf(PowerBiException.class, wrong.getException());
        assertEquals(400, e.httpStatus());
        assertTrue(e.getMessage().contains("Year"), e.getMessage());
        assertEquals(before, values(), "all or none");

        ok(send("direct:update", Map.of("Server", "other.database.windows.net")));
        assertEquals("other.database.windows.net", values().get("Server"));
    }

    @Test
    void parametersOfTypeAnyAreNotUpdatableAndNoValuesIsRefusedBeforeAnyCall() {
        ok(send("direct:takeOver", null));

        PowerBiException any = assertInstanceOf(
                PowerBiException.class,
                send("direct:update", Map.of("Source", "x")).getException());
        assertEquals(400, any.httpStatus());

        IllegalArgumentException none = assertInstanceOf(
                IllegalArgumentException.class, send("direct:update", null).getException());
        assertTrue(none.getMessage().startsWith("parameterValues:"), none.getMessage());
    }

    @Test
    void theDatasourcesAreListed() {
        Exchange e = ok(send("direct:datasources", null));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sources = e.getMessage().getBody(List.class);
        assertEquals(1, sources.size());
        assertEquals("Sql", sources.get(0).get("datasourceType"));
        assertEquals(
                Map.of("server", "finance-sql.database.windows.net", "database", "Finance"),
                sources.get(0).get("connectionDetails"));
        assertEquals("8f2a6c4e-1d3b-4e7a-9c5f-2b8d0e6a4c17", sources.get(0).get("gatewayId"));
    }

    @Test
    void theOwnerSetsARefreshScheduleAndTheRulesAreCheckedBeforeAnyCall() {
        @SuppressWarnings("unchecked")
        Map<String, Object> before =
                ok(send("direct:schedule", null)).getMessage().getBody(Map.class);
        assertEquals(false, before.get("enabled"));

        PowerBiException notOwner = assertInstanceOf(
                PowerBiException.class, send("direct:weekdayMornings", null).getException());
        assertEquals(403, notOwner.httpStatus());

        ok(send("direct:takeOver", null));
        ok(send("direct:weekdayMornings", null));

        assertEquals(
                Map.of(
                        "days",
                        List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
                        "times",
                        List.of("07:00", "12:30"),
                        "enabled",
                        true,
                        "localTimeZoneId",
                        "W. Europe Standard Time",
                        "notifyOption",
                        "NoNotification"),
                ok(send("direct:schedule", null)).getMessage().getBody(Map.class));

        IllegalArgumentException quarter = assertInstanceOf(
                IllegalArgumentException.class,
                send("direct:updateSchedule", Map.of("times", List.of("07:15"))).getException());
        assertTrue(quarter.getMessage().contains("times has '07:15'"), quarter.getMessage());
        IllegalArgumentException disableAndChange = assertInstanceOf(
                IllegalArgumentException.class,
                send("direct:updateSchedule", Map.of("enabled", false, "times", List.of("08:00")))
                        .getException());
        assertTrue(disableAndChange.getMessage().contains("disables"), disableAndChange.getMessage());

        ok(send("direct:updateSchedule", Map.of("enabled", false)));
        assertEquals(false, model.refreshSchedule().get("enabled").asBoolean());
        assertEquals("07:00", model.refreshSchedule().get("times").get(0).asText(), "disabling changes nothing else");
    }

    @Test
    void theDataSourcesAreBoundToTheGateway() {
        ok(send("direct:bind", null));

        assertEquals(
                "1f69e798-5852-4fdd-ab01-33bb14b6e934",
                model.datasources().get(0).get("gatewayId").asText());
    }
}
