package io.camelpowerbi;

/** Rows of the sample Orders table (config/datasets/sales.yaml) as CSV text, for tests that push files. */
public final class OrderRows {

    public static final String HEADER = "OrderId,OrderedAt,Customer,Region,Product,Quantity,UnitPrice,Paid\n";

    private OrderRows() {}

    /** One line of an order with this id, quantity and unit price (any text: the tests' hostile values too). */
    public static String row(long id, String quantity, String price) {
        return id + ",2026-11-30T10:15:30Z,Customer " + id % 50 + ",North,Widget," + quantity + "," + price + ",true\n";
    }

    /** Valid orders {@code from} to {@code to}, one line each. */
    public static String rows(long from, long to) {
        StringBuilder sb = new StringBuilder();
        for (long id = from; id <= to; id++) {
            sb.append(row(id, "3", "19.99"));
        }
        return sb.toString();
    }
}
