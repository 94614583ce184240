package io.camelpowerbi.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rows against the table: coercion, column matching, unknown columns, and the first problem as the reason. */
class RowValidatorTest {

    static final TableSchema ORDERS = TableSchema.parse("{\"name\":\"Orders\",\"columns\":["
            + "{\"name\":\"Id\",\"dataType\":\"Int64\"},{\"name\":\"Customer\",\"dataType\":\"string\"},"
            + "{\"name\":\"Amount\",\"dataType\":\"Decimal\"},{\"name\":\"Paid\",\"dataType\":\"bool\"},"
            + "{\"name\":\"When\",\"dataType\":\"dateTime\"},{\"name\":\"Score\",\"dataType\":\"Double\"}]}");

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void coercesToTheTableOrderAndSpelling() {
        RowValidator v = new RowValidator(ORDERS, false);
        RowOutcome out = v.validate(RawRow.of(
                1,
                row(
                        "score",
                        "1.5",
                        "when",
                        "2026-11-30",
                        "paid",
                        "yes",
                        "AMOUNT",
                        "12.50",
                        "customer",
                        "ACME",
                        "id",
                        "7")));
        ValidRow valid = assertInstanceOf(ValidRow.class, out);
        assertEquals(
                List.of("Id", "Customer", "Amount", "Paid", "When", "Score"),
                List.copyOf(valid.values().keySet()));
        assertEquals(7L, valid.values().get("Id"));
        assertEquals("ACME", valid.values().get("Customer"));
        assertEquals(new BigDecimal("12.5"), valid.values().get("Amount"));
        assertEquals(true, valid.values().get("Paid"));
        assertEquals("2026-11-30T00:00:00.000Z", valid.values().get("When"));
        assertEquals(1.5d, valid.values().get("Score"));
        assertEquals("row 1", valid.toString(), "no values in toString");
    }

    @Test
    void missingColumnsAreLeftOutAndNullsKept() {
        ValidRow valid = (ValidRow) new RowValidator(ORDERS, false).validate(RawRow.of(3, row("Id", 1, "Amount", "")));
        assertEquals(2, valid.values().size());
        assertTrue(valid.values().containsKey("Amount"));
        assertNull(valid.values().get("Amount"));
    }

    @Test
    void unknownColumnsAreRejectedUnlessIgnored() {
        Map<String, Object> raw = row("Id", 1, "Custmer", "typo");
        RejectedRow rejected =
                assertInstanceOf(RejectedRow.class, new RowValidator(ORDERS, false).validate(RawRow.of(9, raw)));
        assertEquals(9, rejected.rowNumber());
        assertEquals("Custmer", rejected.column());
        assertTrue(
                rejected.reason().contains("has no column 'Custmer'")
                        && rejected.reason().contains("ignoreUnknownColumns=true")
                        && rejected.reason().contains("Customer"),
                rejected.reason());
        assertEquals(raw, rejected.row(), "the row as read is kept for the route");

        ValidRow valid = assertInstanceOf(ValidRow.class, new RowValidator(ORDERS, true).validate(RawRow.of(9, raw)));
        assertEquals(Map.of("Id", 1L), valid.values());
    }

    @Test
    void theFirstBadValueIsTheReason() {
        RejectedRow r = (RejectedRow) new RowValidator(ORDERS, false)
                .validate(RawRow.of(7, row("Id", "1", "Amount", "1.23456", "Score", "NaN")));
        assertEquals("Amount", r.column());
        assertTrue(r.reason().contains("digits after the decimal point"));
        assertTrue(r.toString().startsWith("row 7, column 'Amount': "), r.toString());
        assertFalse(r.toString().contains("{"), "toString shows no row values");
    }

    @Test
    void aColumnGivenTwiceIsRejected() {
        RejectedRow r = (RejectedRow) new RowValidator(ORDERS, false).validate(RawRow.of(2, row("Id", 1, "ID", 2)));
        assertEquals("Id", r.column());
        assertTrue(r.reason().contains("twice"));
    }

    @Test
    void unreadableRowsAreRejectedWithTheirError() {
        RejectedRow r =
                (RejectedRow) new RowValidator(ORDERS, false).validate(RawRow.broken(4, "line 4 is not valid JSON"));
        assertEquals(4, r.rowNumber());
        assertNull(r.column());
        assertEquals("row 4: line 4 is not valid JSON", r.toString());
    }

    /** CSV rows come as positional arrays under one shared header; they must be judged exactly like map rows. */
    @Test
    void positionalRowsUnderASharedHeaderAreJudgedLikeMapRows() {
        String[][] headers = {
            {"score", "when", "paid", "AMOUNT", "customer", "id"}, // other order and case
            {"Id", "Amount"}, // columns missing
            {"Id", "Nickname", "Amount"}, // an unknown column
            {"Id", "ID"}, // a column twice
        };
        Object[][] values = {
            {"1.5", "2026-11-30", "yes", "12.50", "ACME", "7"},
            {"1", ""},
            {"1", "Al", "3.25"},
            {"1", "2"},
        };
        Object[][] broken = {
            {"1.5", "2026-11-30", "yes", "12.50", "ACME", "seven"}, // a bad value: rejected with its column
            {"1", "1.23456"},
        };
        for (boolean ignoreUnknown : new boolean[] {false, true}) {
            RowValidator positional = new RowValidator(ORDERS, ignoreUnknown);
            RowValidator mapped = new RowValidator(ORDERS, ignoreUnknown);
            for (int h = 0; h < headers.length; h++) {
                for (Object[] v :
                        h < broken.length ? new Object[][] {values[h], broken[h]} : new Object[][] {values[h]}) {
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < v.length; i++) {
                        map.put(headers[h][i], v[i]);
                    }
                    RowOutcome expected = mapped.validate(RawRow.of(5, map));
                    RowOutcome actual = positional.validate(RawRow.of(5, new FieldRow(headers[h], v.clone())));
                    String what = "header " + List.of(headers[h]) + ", ignoreUnknownColumns=" + ignoreUnknown;
                    assertEquals(expected.getClass(), actual.getClass(), what);
                    if (expected instanceof ValidRow e) {
                        assertEquals(
                                List.copyOf(e.values().entrySet()),
                                List.copyOf(((ValidRow) actual).values().entrySet()),
                                what);
                    } else {
                        assertEquals(expected.toString(), actual.toString(), what);
                        assertEquals(map, ((RejectedRow) actual).row(), what + ": the row as read is kept");
                    }
                }
            }
        }
    }

    @Test
    void aValueThatBreaksTheArithmeticIsThatRowsAndColumnsProblem() {
        Number exotic = new Number() { // a Number type the checks do not know, failing the way BigInteger overflows
                    @Override
                    public int intValue() {
                        return 0;
                    }

                    @Override
                    public long longValue() {
                        return 0;
                    }

                    @Override
                    public float floatValue() {
                        return 0;
                    }

                    @Override
                    public double doubleValue() {
                        return 0;
                    }

                    @Override
                    public String toString() {
                        throw new ArithmeticException("BigInteger would overflow supported range");
                    }
                };
        RejectedRow rejected = assertInstanceOf(
                RejectedRow.class,
                new RowValidator(ORDERS, false).validate(RawRow.of(4, row("Id", exotic, "Customer", "ACME"))));
        assertEquals(4, rejected.rowNumber());
        assertEquals("Id", rejected.column());
        assertTrue(
                rejected.reason().contains("cannot be converted to Int64")
                        && rejected.reason().contains("ArithmeticException")
                        && rejected.reason().contains("fix the value"),
                rejected.reason());
    }

    @Test
    void allValidYieldsCheckedRowsUntilTheFirstThatDoesNotFitAndNamesIt() {
        RowValidator v = new RowValidator(ORDERS, false);
        java.util.Iterator<ValidRow> rows =
                v.allValid(RowSource.open("Id,Amount\n1,2.50\n2,3\n3,lots\n4,5\n", Format.CSV));

        assertEquals(new BigDecimal("2.5"), rows.next().values().get("Amount"));
        assertEquals(2L, rows.next().values().get("Id"));
        IllegalArgumentException e =
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, rows::next);
        assertTrue(e.getMessage().contains("row 3, column 'Amount'"), e.getMessage());
    }
}
