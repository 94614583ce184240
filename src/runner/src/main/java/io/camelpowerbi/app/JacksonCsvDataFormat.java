package io.camelpowerbi.app;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.DataFormat;
import org.apache.camel.spi.DataFormatName;
import org.apache.camel.spi.annotations.Dataformat;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The runner's {@code csv} data format ({@code marshal: csv: {}}), on Jackson's CSV module: camel-csv is not published
 * for Camel 4.18. It takes the options of camel-csv that a table of rows needs ({@code delimiter}, {@code header},
 * {@code headerDisabled}, {@code quote}, {@code quoteMode}, {@code recordSeparator}, {@code nullString}; for unmarshal
 * {@code useMaps}/{@code useOrderedMaps}, {@code skipHeaderRecord}, {@code ignoreEmptyLines}, {@code trim}); any other
 * camel-csv option is refused when the route starts.
 *
 * <p>Marshal: rows ({@code List}, {@code Iterator} or array of {@code Map}s, e.g. {@code powerbi:executeQuery}'s result,
 * or of lists) to RFC 4180 text with a header line: the columns of {@code header}, else every key in the order it first
 * appears. Text cells starting with {@code =}, {@code +}, {@code -}, {@code @}, tab or carriage return are prefixed with
 * {@code '} so a spreadsheet shows them instead of running them as formulas (OWASP "CSV Injection"); numbers are written
 * as numbers. {@code escapeFormulas=false} turns that off (a bean of this class, or
 * {@code camel.dataformat.csv.escape-formulas=false}).
 *
 * <p>Unmarshal: {@code List<List<String>>}, or with {@code useMaps} the first line as the keys of one {@code Map} per
 * row.
 */
@Dataformat("csv")
@Configurer(extended = true)
public class JacksonCsvDataFormat extends ServiceSupport implements DataFormat, DataFormatName {

    /** Quote every cell, or only those that need it (RFC 4180). */
    public enum QuoteMode {
        ALL,
        MINIMAL
    }

    // the exchange's stream is Camel's to close
    private static final CsvMapper MAPPER = CsvMapper.builder()
            .disable(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private String delimiter = ",";
    private String quote = "\"";
    private QuoteMode quoteMode = QuoteMode.MINIMAL;
    private String recordSeparator = "\r\n";
    private String header;
    private boolean headerDisabled;
    private String nullString = "";
    private boolean escapeFormulas = true;
    private boolean useMaps;
    private boolean useOrderedMaps;
    private boolean skipHeaderRecord;
    private boolean ignoreEmptyLines = true;
    private boolean trim;

    @Override
    public String getDataFormatName() {
        return "csv";
    }

    @Override
    protected void doStart() {
        one("delimiter", delimiter);
        one("quote", quote);
    }

    private static char one(String option, String value) {
        if (value == null || value.length() != 1) {
            throw new IllegalArgumentException("csv " + option + " must be one character, not '" + value + "'");
        }
        return value.charAt(0);
    }

    // ------------------------------------------------------------------ marshal

    @Override
    public void marshal(Exchange exchange, Object graph, OutputStream stream) throws Exception {
        List<?> rows = rows(graph);
        List<String> columns = columns(rows);
        // rows of lists without a header option: no header line (there are no names to write)
        boolean named = header != null && !header.isBlank() || rows.stream().anyMatch(r -> r instanceof Map<?, ?>);
        CsvSchema.Builder schema = CsvSchema.builder()
                .setColumnSeparator(one("delimiter", delimiter))
                .setQuoteChar(one("quote", quote))
                .setLineSeparator(recordSeparator)
                .setNullValue(nullString)
                .setUseHeader(named && !headerDisabled && !columns.isEmpty());
        columns.forEach(schema::addColumn);
        Charset charset = Charset.forName(exchange.getProperty(Exchange.CHARSET_NAME, "UTF-8", String.class));
        com.fasterxml.jackson.databind.ObjectWriter writer = MAPPER.writer(schema.build());
        if (quoteMode == QuoteMode.ALL) {
            writer = writer.with(CsvGenerator.Feature.ALWAYS_QUOTE_STRINGS)
                    .with(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS);
        }
        Writer out = new java.io.OutputStreamWriter(stream, charset);
        try (com.fasterxml.jackson.databind.SequenceWriter sequence = writer.writeValues(out)) {
            for (Object row : rows) {
                sequence.write(cells(row, columns));
            }
        }
        out.flush();
    }

    private static List<?> rows(Object graph) {
        if (graph == null) {
            return List.of();
        }
        if (graph instanceof Map<?, ?> single) {
            return List.of(single);
        }
        if (graph instanceof Collection<?> c) {
            return c instanceof List<?> l ? l : new ArrayList<>(c);
        }
        if (graph instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (graph instanceof Iterator<?> it) {
            List<Object> list = new ArrayList<>();
            it.forEachRemaining(list::add);
            return list;
        }
        if (graph instanceof Iterable<?> it) {
            List<Object> list = new ArrayList<>();
            it.forEach(list::add);
            return list;
        }
        throw new IllegalArgumentException("csv marshals rows (a List, Iterator or array of Maps or Lists, e.g. the"
                + " result of powerbi:executeQuery), not " + graph.getClass().getName());
    }

    private List<String> columns(List<?> rows) {
        if (header != null && !header.isBlank()) {
            return Arrays.stream(header.split(","))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
        Set<String> keys = new LinkedHashSet<>();
        int width = 0;
        for (Object row : rows) {
            if (row instanceof Map<?, ?> map) {
                map.keySet().forEach(k -> keys.add(String.valueOf(k)));
            } else {
                width = Math.max(width, cells(row).size());
            }
        }
        if (keys.isEmpty() && width > 0) {
            // rows of lists: as many columns as the widest row
            List<String> names = new ArrayList<>(width);
            for (int i = 1; i <= width; i++) {
                names.add("column" + i);
            }
            return names;
        }
        return List.copyOf(keys);
    }

    private List<String> cells(Object row, List<String> columns) {
        List<String> cells = new ArrayList<>(columns.size());
        if (row instanceof Map<?, ?> map) {
            for (String column : columns) {
                cells.add(cell(map.get(column)));
            }
        } else {
            List<?> values = cells(row);
            for (int i = 0; i < columns.size(); i++) {
                cells.add(i < values.size() ? cell(values.get(i)) : null);
            }
        }
        return cells;
    }

    private static List<?> cells(Object row) {
        if (row instanceof List<?> l) {
            return l;
        }
        if (row instanceof Object[] a) {
            return Arrays.asList(a);
        }
        if (row instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        throw new IllegalArgumentException("csv: a row must be a Map or a List, not "
                + (row == null ? "null" : row.getClass().getName()));
    }

    /** The text of one cell; null stays null (written as {@code nullString}). */
    private String cell(Object value) throws IllegalArgumentException {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String text;
        if (value instanceof Map<?, ?> || value instanceof Collection<?>) {
            try {
                text = JSON.writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                text = value.toString();
            }
        } else {
            text = value.toString();
        }
        return escapeFormulas ? escapeFormula(text) : text;
    }

    /** OWASP "CSV Injection": text a spreadsheet would run as a formula gets a leading {@code '}. */
    static String escapeFormula(String text) {
        return !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }

    // ------------------------------------------------------------------ unmarshal

    @Override
    public Object unmarshal(Exchange exchange, InputStream stream) throws Exception {
        CsvSchema schema = CsvSchema.emptySchema()
                .withColumnSeparator(one("delimiter", delimiter))
                .withQuoteChar(one("quote", quote))
                .withNullValue(null);
        Charset charset = Charset.forName(exchange.getProperty(Exchange.CHARSET_NAME, "UTF-8", String.class));
        Reader reader = new java.io.InputStreamReader(stream, charset);
        com.fasterxml.jackson.databind.ObjectReader csv = MAPPER.readerFor(String[].class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(schema);
        if (trim) {
            csv = csv.with(CsvParser.Feature.TRIM_SPACES);
        }
        List<String[]> lines = new ArrayList<>();
        try (MappingIterator<String[]> it = csv.readValues(reader)) {
            while (it.hasNext()) {
                String[] line = it.next();
                if (ignoreEmptyLines && (line.length == 0 || line.length == 1 && line[0].isEmpty())) {
                    continue;
                }
                lines.add(line);
            }
        }
        boolean maps = useMaps || useOrderedMaps;
        List<String> names = header == null || header.isBlank()
                ? null
                : Arrays.stream(header.split(",")).map(String::trim).toList();
        int first = 0;
        if (maps && names == null && !lines.isEmpty()) {
            names = Arrays.asList(lines.get(0));
            first = 1;
        } else if (skipHeaderRecord && !lines.isEmpty()) {
            first = 1;
        }
        List<Object> rows = new ArrayList<>(Math.max(0, lines.size() - first));
        for (int i = first; i < lines.size(); i++) {
            String[] line = lines.get(i);
            if (maps) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < names.size(); c++) {
                    row.put(names.get(c), c < line.length ? line[c] : null);
                }
                rows.add(row);
            } else {
                rows.add(Arrays.asList(line));
            }
        }
        return rows;
    }

    // ------------------------------------------------------------------ options (camel-csv's names)

    public String getDelimiter() {
        return delimiter;
    }

    public void setDelimiter(String delimiter) {
        this.delimiter = delimiter;
    }

    public String getQuote() {
        return quote;
    }

    public void setQuote(String quote) {
        this.quote = quote;
    }

    public QuoteMode getQuoteMode() {
        return quoteMode;
    }

    public void setQuoteMode(QuoteMode quoteMode) {
        this.quoteMode = quoteMode;
    }

    public String getRecordSeparator() {
        return recordSeparator;
    }

    public void setRecordSeparator(String recordSeparator) {
        this.recordSeparator = recordSeparator;
    }

    /** The columns, comma separated: their order on marshal, the keys on unmarshal. */
    public String getHeader() {
        return header;
    }

    public void setHeader(String header) {
        this.header = header;
    }

    public boolean isHeaderDisabled() {
        return headerDisabled;
    }

    public void setHeaderDisabled(boolean headerDisabled) {
        this.headerDisabled = headerDisabled;
    }

    public String getNullString() {
        return nullString;
    }

    public void setNullString(String nullString) {
        this.nullString = nullString;
    }

    public boolean isEscapeFormulas() {
        return escapeFormulas;
    }

    public void setEscapeFormulas(boolean escapeFormulas) {
        this.escapeFormulas = escapeFormulas;
    }

    public boolean isUseMaps() {
        return useMaps;
    }

    public void setUseMaps(boolean useMaps) {
        this.useMaps = useMaps;
    }

    public boolean isUseOrderedMaps() {
        return useOrderedMaps;
    }

    public void setUseOrderedMaps(boolean useOrderedMaps) {
        this.useOrderedMaps = useOrderedMaps;
    }

    public boolean isSkipHeaderRecord() {
        return skipHeaderRecord;
    }

    public void setSkipHeaderRecord(boolean skipHeaderRecord) {
        this.skipHeaderRecord = skipHeaderRecord;
    }

    public boolean isIgnoreEmptyLines() {
        return ignoreEmptyLines;
    }

    public void setIgnoreEmptyLines(boolean ignoreEmptyLines) {
        this.ignoreEmptyLines = ignoreEmptyLines;
    }

    public boolean isTrim() {
        return trim;
    }

    public void setTrim(boolean trim) {
        this.trim = trim;
    }
}
