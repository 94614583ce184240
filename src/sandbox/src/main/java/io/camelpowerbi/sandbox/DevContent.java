package io.camelpowerbi.sandbox;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The seeded content of the built-in development tenant, with fixed ids so documentation can name them. Written as the
 * YAML {@code config/sandbox.yaml} carries, so that file and the built-in defaults stay equal.
 *
 * <ul>
 * <li>"Sales Analytics" (dedicated capacity): push dataset "Retail" ({@link Sandbox#DATASET_RETAIL}, table
 * {@code Sales}, basicFIFO, five rows); imported dataset "Finance Model" ({@link Sandbox#DATASET_FINANCE_MODEL},
 * refresh 2 s, table {@code Budget} readable by DAX, one canned query); report "Sales Report"
 * ({@link Sandbox#REPORT_SALES}, PowerBIReport on Finance Model, 2 pages); paginated report "Invoice"
 * ({@link Sandbox#REPORT_INVOICE}).</li>
 * <li>"Finance" (shared capacity): imported dataset "Ledger" ({@link Sandbox#DATASET_LEDGER}), for the
 * shared-capacity refresh rules.</li>
 * </ul>
 */
final class DevContent {

    static final String SALES_ANALYTICS_DATASETS = """
            - id: 3f9c1a7e-2b4d-4e6f-8a1c-5d7e9b2f4a61
              name: Retail
              push: true
              defaultRetentionPolicy: basicFIFO
              tables:
                - name: Sales
                  columns:
                    - { name: OrderId, dataType: Int64 }
                    - { name: OrderDate, dataType: DateTime }
                    - { name: Region, dataType: String }
                    - { name: Product, dataType: String }
                    - { name: Quantity, dataType: Int64 }
                    - { name: Amount, dataType: Decimal }
                    - { name: Paid, dataType: Boolean }
                  rows:
                    - { OrderId: 1001, OrderDate: "2026-01-05T09:30:00Z", Region: North, Product: Bike, Quantity: 2, Amount: 1299.9, Paid: true }
                    - { OrderId: 1002, OrderDate: "2026-01-05T11:05:00Z", Region: South, Product: Helmet, Quantity: 5, Amount: 249.75, Paid: true }
                    - { OrderId: 1003, OrderDate: "2026-01-06T14:20:00Z", Region: East, Product: Lock, Quantity: 3, Amount: 89.97, Paid: false }
                    - { OrderId: 1004, OrderDate: "2026-01-07T08:45:00Z", Region: West, Product: Bike, Quantity: 1, Amount: 649.95, Paid: true }
                    - { OrderId: 1005, OrderDate: "2026-01-07T16:10:00Z", Region: North, Product: Pump, Quantity: 4, Amount: 119.6, Paid: false }
            - id: a8d2e4f6-1b3c-4d5e-9f7a-2c4e6b8d0f13
              name: Finance Model
              refreshSeconds: 2
              refreshOutcome: Completed
              tables:
                - name: Budget
                  columns:
                    - { name: Year, dataType: Int64 }
                    - { name: Department, dataType: String }
                    - { name: Amount, dataType: Decimal }
                  rows:
                    - { Year: 2025, Department: Sales, Amount: 750000 }
                    - { Year: 2025, Department: Operations, Amount: 450000 }
                    - { Year: 2026, Department: Sales, Amount: 820000 }
                    - { Year: 2026, Department: Operations, Amount: 470000 }
              parameters:
                - { name: Server, type: Text, isRequired: true, currentValue: "finance-sql.database.windows.net" }
                - { name: Year, type: Number, isRequired: true, currentValue: "2026", suggestedValues: ["2025", "2026"] }
                - { name: IncludeForecast, type: Logical, isRequired: false, currentValue: "FALSE" }
                - { name: Source, type: Any, isRequired: false, currentValue: "finance" }
              datasources:
                - datasourceType: Sql
                  connectionDetails: { server: finance-sql.database.windows.net, database: Finance }
                  datasourceId: 5e1d9b3a-7c2f-4a8e-b6d4-0f3a9c7e1b52
                  gatewayId: 8f2a6c4e-1d3b-4e7a-9c5f-2b8d0e6a4c17
              queries:
                - query: "EVALUATE SUMMARIZECOLUMNS('Budget'[Year], \\"Total\\", SUM('Budget'[Amount]))"
                  rows:
                    - { "Budget[Year]": 2025, "[Total]": 1200000 }
                    - { "Budget[Year]": 2026, "[Total]": 1290000 }
            """;

    static final String SALES_ANALYTICS_REPORTS = """
            - id: 5c7e9a1b-3d5f-4a2c-8e6b-9d1f3a5c7e82
              name: Sales Report
              datasetId: a8d2e4f6-1b3c-4d5e-9f7a-2c4e6b8d0f13
              reportType: PowerBIReport
              pageCount: 2
            - id: b1d3f5a7-9c2e-4b6d-8f1a-3e5c7a9b1d24
              name: Invoice
              reportType: PaginatedReport
            """;

    static final String FINANCE_DATASETS = """
            - id: c2e4a6b8-0d1f-4e3a-9b5c-7d9f1b3e5a46
              name: Ledger
              refreshSeconds: 2
            """;

    private static final List<SandboxConfig.DatasetConfig> SALES_DATASETS =
            parse(SALES_ANALYTICS_DATASETS, new TypeReference<>() {});
    private static final List<SandboxConfig.ReportConfig> SALES_REPORTS =
            parse(SALES_ANALYTICS_REPORTS, new TypeReference<>() {});
    private static final List<SandboxConfig.DatasetConfig> FINANCE = parse(FINANCE_DATASETS, new TypeReference<>() {});

    private DevContent() {}

    static List<SandboxConfig.DatasetConfig> salesAnalyticsDatasets() {
        return SALES_DATASETS;
    }

    static List<SandboxConfig.ReportConfig> salesAnalyticsReports() {
        return SALES_REPORTS;
    }

    static List<SandboxConfig.DatasetConfig> financeDatasets() {
        return FINANCE;
    }

    private static <T> List<T> parse(String yaml, TypeReference<List<T>> type) {
        try {
            return List.copyOf(Json.YAML.readValue(yaml, type));
        } catch (IOException e) {
            throw new UncheckedIOException("built-in sandbox content does not parse", e);
        }
    }
}
