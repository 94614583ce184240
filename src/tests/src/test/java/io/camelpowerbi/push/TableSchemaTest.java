package io.camelpowerbi.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a Power BI Table object into a schema. Fetching it from Power BI is in {@link PushPipelineTest}. */
class TableSchemaTest {

    @Test
    void readsATableObjectInOrder() {
        TableSchema s = TableSchema.parse("{\"name\":\"Orders\",\"columns\":[{\"name\":\"Id\",\"dataType\":\"Int64\"},"
                + "{\"name\":\"Paid\",\"dataType\":\"bool\",\"formatString\":\"x\"},{\"name\":\"At\",\"dataType\":\"Datetime\"}],"
                + "\"measures\":[]}");
        assertEquals("Orders", s.name());
        assertEquals(List.of("Id", "Paid", "At"), List.copyOf(s.columns().keySet()));
        assertEquals(ColumnType.BOOLEAN, s.type("Paid"));
        assertEquals(ColumnType.DATETIME, s.type("At"));
    }

    @Test
    void badSchemasSayWhatIsWrong() {
        SchemaException noColumns = assertThrows(SchemaException.class, () -> TableSchema.parse("{\"name\":\"T\"}"));
        assertTrue(noColumns.getMessage().contains("without columns"), noColumns.getMessage());
        SchemaException badType = assertThrows(
                SchemaException.class,
                () -> TableSchema.parse("{\"name\":\"T\",\"columns\":[{\"name\":\"X\",\"dataType\":\"Text\"}]}"));
        assertTrue(
                badType.getMessage().contains("column 'X'")
                        && badType.getMessage().contains("'Text'"),
                badType.getMessage());
        SchemaException noName = assertThrows(SchemaException.class, () -> TableSchema.parse("{\"columns\":[]}"));
        assertTrue(noName.getMessage().contains("\"name\""));
        assertThrows(SchemaException.class, () -> TableSchema.parse("not json"));
        SchemaException twice = assertThrows(
                SchemaException.class,
                () -> TableSchema.parse("{\"name\":\"T\",\"columns\":["
                        + "{\"name\":\"A\",\"dataType\":\"Int64\"},{\"name\":\"a\",\"dataType\":\"Int64\"}]}"));
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    }

    @Test
    void columnsAreImmutable() {
        Map<String, ColumnType> cols = new LinkedHashMap<>();
        cols.put("A", ColumnType.STRING);
        TableSchema s = new TableSchema("T", cols);
        cols.put("B", ColumnType.INT64);
        assertEquals(1, s.columns().size());
        assertThrows(UnsupportedOperationException.class, () -> s.columns().put("C", ColumnType.INT64));
    }
}
