package io.camelpowerbi.app;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

/**
 * The sample orders file of the shipped job: {@code rows} orders with the columns of {@code config/datasets/sales.yaml},
 * the same every time (fixed seed), plus a few rows that do not fit the table so the rejected-rows path has work.
 */
final class RunnerSampleData {

    static final String HEADER = "OrderId,OrderedAt,Customer,Region,Product,Quantity,UnitPrice,Paid";
    /** The deliberately bad rows, each with the reason the push rejects it; inserted at fixed positions. */
    static final String[] BAD_ROWS = {
        "%d,2026-01-15T10:00:00Z,Customer 7,North,Bike,many,649.95,true", // Quantity not a number
        "%d,not-a-date,Customer 8,South,Helmet,2,49.95,false", // OrderedAt not a date
        "%d,2026-01-16T12:30:00Z,Customer 9,East,Lock,1,n/a,true", // UnitPrice not a number
        "%d,2026-01-17T08:15:00Z,Customer 10,West,Pump,3,29.90,maybe", // Paid not a boolean
        "twelve,2026-01-18T17:45:00Z,Customer 11,North,Light,1,19.99,true", // OrderId not a number
    };

    private static final String[] REGIONS = {"North", "South", "East", "West", "Central"};
    private static final String[] PRODUCTS = {"Bike", "Helmet", "Lock", "Pump", "Light", "Bell", "Bottle", "Saddle"};
    private static final double[] PRICES = {649.95, 49.95, 29.99, 24.90, 19.99, 9.95, 7.50, 59.00};
    private static final long SEED = 20260101L;

    private RunnerSampleData() {}

    /** Writes {@code file} (through a temporary file, so a poller never sees half of it); returns the rows written. */
    static int generate(Path file, int rows) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Random random = new Random(SEED);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        int written = 0;
        int badEvery = Math.max(1, rows / BAD_ROWS.length);
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        OwnerOnly.file(tmp); // before a row is written
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            int bad = 0;
            for (int i = 1; i <= rows; i++) {
                int product = random.nextInt(PRODUCTS.length);
                BigDecimal price = BigDecimal.valueOf(PRICES[product]).setScale(2, RoundingMode.HALF_UP);
                w.write(i + "," + start.plus(random.nextInt(60 * 24 * 90), ChronoUnit.MINUTES) + ",Customer "
                        + (1 + random.nextInt(2_000)) + "," + REGIONS[random.nextInt(REGIONS.length)] + ","
                        + PRODUCTS[product] + "," + (1 + random.nextInt(9)) + "," + price.toPlainString() + ","
                        + random.nextBoolean() + "\n");
                written++;
                if (bad < BAD_ROWS.length && i % badEvery == badEvery / 2) {
                    w.write(String.format(BAD_ROWS[bad++], rows + bad) + "\n");
                    written++;
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return written;
    }
}
