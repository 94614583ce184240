package io.camelpowerbi.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark's order rows, generated reproducibly from a fixed seed: row {@code n} is the same in every run and in
 * both forms, a CSV file (what the pipeline reads) and pre-serialised POST rows bodies (what the baseline sends).
 *
 * <p>Columns: {@code OrderId} (Int64), {@code OrderedAt} (DateTime), {@code Customer}, {@code Region}, {@code Product}
 * (String; one product name holds a comma, so some CSV values are quoted), {@code Quantity} (Int64), {@code UnitPrice}
 * (Decimal, 2 places), {@code Paid} (Boolean).
 */
final class OrderData {

    static final long SEED = 20_260_314L;
    static final String TABLE = "Orders";
    static final String HEADER = "OrderId,OrderedAt,Customer,Region,Product,Quantity,UnitPrice,Paid";

    private static final String[] REGIONS = {"North", "South", "East", "West", "Central", "Overseas"};
    private static final String[] PRODUCTS = {
        "Widget",
        "Widget Pro",
        "Gadget",
        "Gizmo",
        "Sprocket",
        "Flange",
        "Bracket, large",
        "Bracket, small",
        "Cable 2m",
        "Adapter",
        "Charger",
        "Lamp"
    };
    private static final long START = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
    private static final int YEAR_SECONDS = 365 * 86_400;

    private OrderData() {}

    /** One row's values, in column order, as the generator produced them. */
    private static final class Row {
        long orderId;
        long orderedAt; // epoch seconds
        int customer;
        String region;
        String product;
        int quantity;
        int unitPriceCents;
        boolean paid;
    }

    /** Yields rows 1..n in order; every call with the same seed yields the same rows. */
    private static final class Generator {
        private final Random random = new Random(SEED);
        private final Row row = new Row();
        private long next = 1;

        Row next() {
            row.orderId = next++;
            row.orderedAt = START + random.nextInt(YEAR_SECONDS);
            row.customer = 1 + random.nextInt(25_000);
            row.region = REGIONS[random.nextInt(REGIONS.length)];
            row.product = PRODUCTS[random.nextInt(PRODUCTS.length)];
            row.quantity = 1 + random.nextInt(20);
            row.unitPriceCents = 99 + random.nextInt(99_900);
            row.paid = random.nextInt(10) < 8;
            return row;
        }
    }

    /**
     * The CSV of {@code rows} rows under {@code dir}, written once (same seed, same content) and reused afterwards.
     * Written to a temporary name first, so an interrupted run never leaves a short file behind.
     */
    static Path csv(Path dir, int rows) throws IOException {
        Path file = dir.resolve("orders-v1-" + rows + "-seed" + SEED + ".csv"); // v: bump when the generator changes
        if (Files.isRegularFile(file)) {
            return file;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        long t0 = System.nanoTime();
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            Generator g = new Generator();
            StringBuilder sb = new StringBuilder(128);
            for (int i = 0; i < rows; i++) {
                Row r = g.next();
                sb.setLength(0);
                sb.append(r.orderId).append(',');
                appendIso(sb, r.orderedAt, false);
                sb.append(",Customer ")
                        .append(r.customer)
                        .append(',')
                        .append(r.region)
                        .append(',');
                if (r.product.indexOf(',') >= 0) {
                    sb.append('"').append(r.product).append('"');
                } else {
                    sb.append(r.product);
                }
                sb.append(',').append(r.quantity).append(',');
                appendPrice(sb, r.unitPriceCents);
                sb.append(',').append(r.paid).append('\n');
                w.append(sb);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf(
                "generated %s (%,d rows, %,d MB) in %.1f s%n",
                file, rows, Files.size(file) >> 20, (System.nanoTime() - t0) / 1e9);
        return file;
    }

    /**
     * Rows 1..{@code rows} as POST rows bodies {@code {"rows":[...]}} of {@code batchSize} rows, serialised the way the
     * pipeline serialises them (DateTime as {@code 2026-03-14T09:26:53.000Z}); built up front, so a baseline that
     * sends them pays for HTTP only.
     */
    static List<byte[]> jsonBatches(int rows, int batchSize) {
        List<byte[]> batches = new ArrayList<>(rows / batchSize + 1);
        Generator g = new Generator();
        StringBuilder sb = new StringBuilder(batchSize * 180);
        for (int start = 0; start < rows; start += batchSize) {
            sb.setLength(0);
            sb.append("{\"rows\":[");
            for (int i = start; i < Math.min(rows, start + batchSize); i++) {
                Row r = g.next();
                if (i > start) {
                    sb.append(',');
                }
                sb.append("{\"OrderId\":").append(r.orderId).append(",\"OrderedAt\":\"");
                appendIso(sb, r.orderedAt, true);
                sb.append("\",\"Customer\":\"Customer ")
                        .append(r.customer)
                        .append("\",\"Region\":\"")
                        .append(r.region)
                        .append("\",\"Product\":\"")
                        .append(r.product)
                        .append("\",\"Quantity\":")
                        .append(r.quantity)
                        .append(",\"UnitPrice\":");
                appendPrice(sb, r.unitPriceCents);
                sb.append(",\"Paid\":").append(r.paid).append('}');
            }
            sb.append("]}");
            batches.add(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return batches;
    }

    /** The push dataset definition (JSON, which {@code datasetDefinition} reads like YAML) for table Orders. */
    static String definitionJson(String datasetName, String retentionPolicy) {
        return "{\"name\":\"" + datasetName + "\",\"retentionPolicy\":\"" + retentionPolicy
                + "\",\"tables\":[{\"name\":\""
                + TABLE + "\",\"columns\":["
                + "{\"name\":\"OrderId\",\"dataType\":\"Int64\"},"
                + "{\"name\":\"OrderedAt\",\"dataType\":\"DateTime\"},"
                + "{\"name\":\"Customer\",\"dataType\":\"String\"},"
                + "{\"name\":\"Region\",\"dataType\":\"String\"},"
                + "{\"name\":\"Product\",\"dataType\":\"String\"},"
                + "{\"name\":\"Quantity\",\"dataType\":\"Int64\"},"
                + "{\"name\":\"UnitPrice\",\"dataType\":\"Decimal\"},"
                + "{\"name\":\"Paid\",\"dataType\":\"Boolean\"}]}]}";
    }

    private static void appendPrice(StringBuilder sb, int cents) {
        sb.append(cents / 100).append('.');
        int c = cents % 100;
        if (c < 10) {
            sb.append('0');
        }
        sb.append(c);
    }

    /** {@code 2026-03-14T09:26:53Z}, or with {@code .000} milliseconds as the pipeline writes DateTime values. */
    private static void appendIso(StringBuilder sb, long epochSecond, boolean millis) {
        java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(epochSecond, 0, java.time.ZoneOffset.UTC);
        sb.append(t.getYear()).append('-');
        two(sb, t.getMonthValue());
        sb.append('-');
        two(sb, t.getDayOfMonth());
        sb.append('T');
        two(sb, t.getHour());
        sb.append(':');
        two(sb, t.getMinute());
        sb.append(':');
        two(sb, t.getSecond());
        sb.append(millis ? ".000Z" : "Z");
    }

    private static void two(StringBuilder sb, int v) {
        if (v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }
}
