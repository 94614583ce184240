package io.camelpowerbi.operations;

import static io.camelpowerbi.operations.WireMockSupport.assertContains;
import static io.camelpowerbi.operations.WireMockSupport.assertNotContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetDefinitionTest {

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(DatasetDefinitionTest.class.getResource(name).toURI());
    }

    @Test
    void loadsYamlWithDefaultsAndCanonicalTypes() throws Exception {
        DatasetDefinition def = DatasetDefinition.load(fixture("sales.yaml"));

        assertEquals("Sales", def.name());
        assertEquals("Push", def.defaultMode());
        assertEquals("basicFIFO", def.retentionPolicy());
        assertEquals("sales.yaml", def.source());
        assertEquals(2, def.tables().size());
        assertEquals(7, def.columnCount());
        DatasetDefinition.Table orders = def.table("orders");
        assertEquals(
                List.of("Int64", "String", "Decimal", "Boolean", "DateTime"),
                orders.columns().stream()
                        .map(DatasetDefinition.Column::dataType)
                        .toList());
        assertEquals("0.00", orders.column("amount").formatString());
        assertEquals("SUM(Orders[Amount])", orders.measures().get(0).expression());
        assertEquals(1, def.relationships().size());

        Map<String, Object> request = def.toCreateRequest();
        assertEquals("Sales", request.get("name"));
        assertEquals("Push", request.get("defaultMode"));
        assertEquals(2, ((List<?>) request.get("tables")).size());
        assertEquals(1, ((List<?>) request.get("relationships")).size());
    }

    @Test
    void loadsJson() throws Exception {
        DatasetDefinition def = DatasetDefinition.load(fixture("sales.json"));
        assertEquals("SalesJson", def.name());
        assertEquals("None", def.retentionPolicy());
        assertEquals("Int64", def.tables().get(0).columns().get(0).dataType());
    }

    @Test
    void reportsEveryProblemNamingFileTableAndColumn() throws Exception {
        DatasetDefinitionException e =
                assertThrows(DatasetDefinitionException.class, () -> DatasetDefinition.load(fixture("broken.yaml")));

        assertEquals("broken.yaml", e.source());
        String m = e.getMessage();
        assertContains(
                m,
                "broken.yaml",
                "retentionPolicy 'forever' is not one of None, basicFIFO",
                "table 'Orders.2024': a table name may hold letters, digits, spaces and # - @ ^ _ ~ only, not '.'",
                "table 'Orders.2024', column 'Amount': unknown dataType 'money'",
                "table 'Orders.2024', column 'orderid' appears more than once",
                "table 'Orders.2024', column 'Note': unknown key 'datatype'",
                "table 'Orders.2024', column 'Note': dataType is missing",
                "table 'Empty' needs at least one column");
    }

    @Test
    void enforcesPowerBiLimits() {
        List<Object> tables = new ArrayList<>();
        for (int t = 0; t < 76; t++) {
            tables.add(Map.of("name", "T" + t, "columns", List.of(Map.of("name", "c", "dataType", "String"))));
        }
        List<Object> wide = new ArrayList<>();
        for (int c = 0; c < 76; c++) {
            wide.add(Map.of("name", "c" + c, "dataType", "Double"));
        }
        tables.set(0, Map.of("name", "Wide", "columns", wide));
        tables.set(1, Map.of("name", "x".repeat(101), "columns", List.of(Map.of("name", "c", "dataType", "String"))));
        List<Object> relationships = new ArrayList<>();
        for (int r = 0; r < 76; r++) {
            relationships.add(
                    Map.of("name", "R" + r, "fromTable", "T2", "fromColumn", "c", "toTable", "T3", "toColumn", "c"));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", "Big");
        map.put("tables", tables);
        map.put("relationships", relationships);

        DatasetDefinitionException e =
                assertThrows(DatasetDefinitionException.class, () -> DatasetDefinition.fromMap(map));

        assertContains(
                e.getMessage(),
                "inline definition",
                "the dataset has 76 tables; Power BI allows at most 75",
                "table 'Wide' has 76 columns; Power BI allows at most 75",
                "a table name may have at most 100 characters, this one has 101",
                "the dataset has 76 relationships; Power BI allows at most 75");
    }

    @Test
    void inlineDefinitionChecksRelationshipsAndMeasures() {
        Map<String, Object> map = Map.of(
                "name",
                "X",
                "defaultMode",
                "pushstreaming",
                "tables",
                List.of(Map.of(
                        "name",
                        "A",
                        "columns",
                        List.of(Map.of("name", "id", "dataType", "Int64")),
                        "measures",
                        List.of(Map.of("name", "m")))),
                "relationships",
                List.of(Map.of(
                        "name",
                        "r",
                        "fromTable",
                        "A",
                        "fromColumn",
                        "nope",
                        "toTable",
                        "B",
                        "toColumn",
                        "id",
                        "crossFilteringBehavior",
                        "sideways")));

        DatasetDefinitionException e =
                assertThrows(DatasetDefinitionException.class, () -> DatasetDefinition.fromMap(map));

        assertContains(
                e.getMessage(),
                "table 'A', measure 'm': expression (DAX) is missing",
                "relationship 'r': fromColumn 'nope' is not a column of table 'A'",
                "relationship 'r': toTable 'B' is not a table of the dataset",
                "crossFilteringBehavior 'sideways' is not one of OneDirection, BothDirections, Automatic");
        assertNotContains(e.getMessage(), "defaultMode");
    }

    @Test
    void validInlineDefinitionKeepsOptionalColumnProperties() {
        DatasetDefinition def = DatasetDefinition.fromMap(Map.of(
                "name",
                "X",
                "retentionPolicy",
                "basicfifo",
                "tables",
                List.of(Map.of(
                        "name",
                        "A",
                        "isHidden",
                        false,
                        "columns",
                        List.of(Map.of("name", "id", "dataType", "INT64", "summarizeBy", "none"))))));
        assertEquals("basicFIFO", def.retentionPolicy());
        Map<String, Object> table = def.tables().get(0).toJson();
        assertEquals(false, table.get("isHidden"));
        assertEquals(List.of(Map.of("name", "id", "dataType", "Int64", "summarizeBy", "none")), table.get("columns"));
        assertNull(table.get("measures"));
    }

    @Test
    void invalidYamlNamesTheFileAndLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yml");
        Files.writeString(file, "name: X\ntables:\n  - name: [unclosed\n");
        DatasetDefinitionException e =
                assertThrows(DatasetDefinitionException.class, () -> DatasetDefinition.load(file));
        assertContains(e.getMessage(), "bad.yml", "not valid YAML at line");

        Path list = dir.resolve("list.json");
        Files.writeString(list, "[1,2]");
        assertContains(
                assertThrows(DatasetDefinitionException.class, () -> DatasetDefinition.load(list))
                        .getMessage(),
                "list.json",
                "must hold a mapping");
    }
}
