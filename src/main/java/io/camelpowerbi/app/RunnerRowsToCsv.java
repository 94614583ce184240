package io.camelpowerbi.app;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns rows ({@code List<Map>}, e.g. the body after {@code powerbi:executeQuery}) into CSV text with a header line:
 * the columns in the order they first appear, RFC 4180 quoting. Used by {@code routes/dax-to-csv.camel.yaml}
 * ({@code camel-csv} is not on the runner's classpath; Jackson's CSV module is).
 */
public class RunnerRowsToCsv implements Processor {

    private static final CsvMapper MAPPER = new CsvMapper();

    @Override
    public void process(Exchange exchange) throws Exception {
        List<?> rows = exchange.getMessage().getMandatoryBody(List.class);
        Set<String> columns = new LinkedHashSet<>();
        for (Object row : rows) {
            if (row instanceof Map<?, ?> map) {
                map.keySet().forEach(k -> columns.add(String.valueOf(k)));
            }
        }
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        columns.forEach(schema::addColumn);
        exchange.getMessage().setBody(MAPPER.writer(schema.build()).writeValueAsString(rows));
    }
}
